from __future__ import annotations

from django import forms

from purposeful.oneline import OneLineField
from purposeful.organisation.models import Team
from purposeful.people.models import Member


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["display_name", "email", "about"]
        field_classes = {"display_name": OneLineField}
        widgets = {"about": forms.Textarea(attrs={"rows": 4})}


class InvitationForm(forms.Form):
    email = forms.EmailField()
    as_steward = forms.BooleanField(
        required=False, label="Invite as a steward (can invite and configure)"
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional: they join the teams you are in when they accept; "
        "other teams get their request to join, for a member to answer.",
    )


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(max_length=150)
    display_name = OneLineField(max_length=150, required=False, label="Your name")
    password = forms.CharField(widget=forms.PasswordInput, min_length=10)
    password_again = forms.CharField(widget=forms.PasswordInput, label="Password again")

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “website CI”."
    )
