"""Input validation for the customer pages; the services decide everything else."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from purposeful.core.forms import DayMonthYearWidget, team_choice_defaults
from purposeful.core.limits import max_length
from purposeful.core.oneline import OneLineField
from purposeful.organisation.models import Ally, Team
from purposeful.relationships.models import Account, Contact, Conversation, Handover


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["name", "kind", "notes"]
        field_classes = {"name": OneLineField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class NewAccountForm(AccountForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        help_text="The team that looks after this customer. Customers belong to a "
        "team, never to one person.",
    )

    class Meta(AccountForm.Meta):
        fields = ["team", "name", "kind", "notes"]

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (
            teams if teams is not None else Team.objects.all()
        )
        team_choice_defaults(
            self.fields["team"], own_teams=teams if teams is not None else ()
        )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email", "phone", "notes", "consents_to_contact"]
        field_classes = {"name": OneLineField, "phone": OneLineField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class ConversationForm(forms.Form):
    kind = forms.ChoiceField(choices=Conversation.Kind.choices, label="What kind")
    happened_at = forms.DateTimeField(
        label="When",
        widget=DayMonthYearWidget(with_time=True),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label="With whom",
        empty_label="No one in particular",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was said, what they need, what we promised.",
    )

    def __init__(self, *args, account=None, **kwargs):
        # the customer's page holds three forms: each its own ids, so a label
        # points at its own form's field
        kwargs.setdefault("auto_id", "conversation_%s")
        super().__init__(*args, **kwargs)
        if account is not None:
            self.fields["contact"].queryset = account.contacts.all()


class ReferralForm(forms.Form):
    ally = forms.ModelChoiceField(
        queryset=Ally.objects.all(), label="Ally", empty_label="Choose an ally"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What they need and why the ally serves it better.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "referral_%s")
        super().__init__(*args, **kwargs)


class HandoverForm(forms.Form):
    to_team = forms.ModelChoiceField(queryset=Team.objects.none(), label="To team")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the other team is a better home for this customer.",
    )

    def __init__(self, *args, account=None, **kwargs):
        kwargs.setdefault("auto_id", "handover_%s")
        super().__init__(*args, **kwargs)
        teams = Team.objects.all()
        if account is not None:
            teams = teams.exclude(pk=account.team_id)
        self.fields["to_team"].queryset = teams
        # the receiving team is never one's own: ask, with no team picked
        team_choice_defaults(self.fields["to_team"])


class HandoverAnswerForm(forms.Form):
    response = forms.CharField(
        required=False,
        max_length=max_length(Handover, "response"),
        label="A word for the other team",
    )


class AccountFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search customers")
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="All teams"
    )
