from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from purposeful.core.limits import max_length
from purposeful.core.oneline import OneLineField

if TYPE_CHECKING:
    from purposeful.people.models import Member
from purposeful.organisation.models import (
    Ally,
    Organisation,
    PurposeVersion,
    Role,
    Team,
)


class PurposeForm(forms.Form):
    text = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why the organisation exists: the change it wants to see in the world.",
    )
    reason = forms.CharField(
        label="Why change it?",
        max_length=max_length(PurposeVersion, "reason"),
        required=False,
        help_text="Kept with this version in the history, so others can follow.",
    )


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "purpose"]
        field_classes = {"name": OneLineField}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ["name", "kind", "purpose", "accountabilities"]
        field_classes = {"name": OneLineField}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "accountabilities": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "kind": "A customer link talks with the team's customers and brings "
            "their issues and opportunities back to the team.",
        }


class MemberChoiceForm(forms.Form):
    member: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        queryset=None, label="Member", empty_label="Choose a colleague"
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = queryset


class AllyForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Ally
        fields = ["name", "website", "does_well", "contact"]
        field_classes = {"name": OneLineField, "contact": OneLineField}
        widgets = {"does_well": forms.Textarea(attrs={"rows": 3})}


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "tagline", "website", "contact_email"]
        field_classes = {"name": OneLineField, "tagline": OneLineField}
