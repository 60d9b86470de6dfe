"""Input validation for the inbox and the public form; services decide the rest."""

from __future__ import annotations

import re
import secrets
from typing import cast

from django import forms
from django.http import QueryDict

from purposeful.core.forms import team_choice_defaults
from purposeful.core.limits import max_length
from purposeful.core.locking import VersionField
from purposeful.feedback import spam
from purposeful.feedback.models import PUBLIC_WORDS_MAX_LENGTH, Signal, Tag
from purposeful.organisation.models import Team
from purposeful.people.models import Member

PUBLIC_KINDS = [
    (Signal.Kind.QUESTION, "A question"),
    (Signal.Kind.ISSUE, "Something went wrong"),
    (Signal.Kind.NEED, "Something I need"),
    (Signal.Kind.OPPORTUNITY, "An idea for you"),
    (Signal.Kind.PRAISE, "Something you did well"),
]


class WriteToUsForm(forms.Form):
    kind = forms.ChoiceField(
        choices=PUBLIC_KINDS, label="What is it about?", initial=Signal.Kind.QUESTION
    )
    words = forms.CharField(
        label="Your message",
        max_length=PUBLIC_WORDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(
        label="Your name",
        max_length=max_length(Signal, "sender_name"),
        required=False,
    )
    email = forms.EmailField(
        label="Your e-mail",
        required=False,
        help_text="Optional. If you give it, we send you the private link to this "
        "conversation and e-mail our reply. We use it for nothing else.",
    )
    # The honeypot: hidden from people (and from screen readers), filled by bots.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)
    # One token per form shown: sent twice (a double click, a reload), the
    # message is taken once. A form from before the token had none.
    submission = forms.CharField(widget=forms.HiddenInput, required=False)
    offer = forms.SlugField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            **kwargs["initial"],
            "started": spam.started_token(),
            "submission": submission_token(),
        }
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not is_submission_token(cleaned.get("submission", "")):
            self.add_error(
                None, "This form has expired. Please send your message again."
            )
        return cleaned

    def fresh_start(self) -> None:
        """After a refusal, the next try starts its own clock.

        The one-time token stays: nothing was taken with it yet.
        """
        data = cast(QueryDict, self.data).copy()  # a bound form's data is a QueryDict
        data["started"] = spam.started_token()
        if not is_submission_token(data.get("submission", "")):
            data["submission"] = submission_token()
        self.data = data


_SUBMISSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def submission_token() -> str:
    """A new one-time token for one showing of the public form."""
    return secrets.token_urlsafe(32)


def is_submission_token(value: str) -> bool:
    return not value or _SUBMISSION_TOKEN.fullmatch(value) is not None


class SignalForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(),
        help_text="The team whose inbox this goes to: the one it concerns.",
    )
    kind = forms.ChoiceField(choices=Signal.Kind.choices)
    source = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in Signal.Source.choices
            if value not in {Signal.Source.PUBLIC_FORM, Signal.Source.SENSING}
        ]
    )
    words = forms.CharField(
        label="The customer's words",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="As close to what they said as you can.",
    )
    account = forms.IntegerField(widget=forms.HiddenInput, required=False)
    tags = forms.CharField(
        required=False, help_text="Separated by commas, e.g. brakes, cargo bikes."
    )

    def __init__(self, *args, own_teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        team_choice_defaults(self.fields["team"], own_teams=own_teams)


class InboxFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    state = forms.ChoiceField(
        required=False,
        choices=[("open", "Open"), ("", "Any state"), *Signal.State.choices],
    )
    kind = forms.ChoiceField(
        required=False, choices=[("", "Any kind"), *Signal.Kind.choices]
    )
    tag = forms.CharField(required=False, max_length=max_length(Tag, "name"))
    assignee = forms.CharField(
        required=False, max_length=max_length(Member, "username")
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Signal.State.choices)
    reason = forms.CharField(
        required=False, max_length=max_length(Signal, "decline_reason")
    )
    expected_version = VersionField()


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No one in particular"
    )
    expected_version = VersionField()

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = team.members.all() if team else None


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, help_text="Separated by commas.")
    expected_version = VersionField()


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Reply to the customer",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="They read it at their private link; if they gave an e-mail "
        "address, it is e-mailed too.",
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label="Merge into signal number",
        min_value=1,
        help_text="This one is a duplicate of that one; both histories are kept.",
    )


class SettingsForm(forms.Form):
    general_team = forms.ModelChoiceField(
        queryset=Team.objects.all(),
        required=False,
        label="Team for general messages",
        help_text="Messages from the “write to us” page go to this team's inbox; "
        "messages about an offer go to the team that makes it.",
    )

    def __init__(self, *args, fallback=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty is an answer here: the first team by name. The picker starts on
        # what is saved, so Save without a change never moves the messages.
        team_choice_defaults(
            self.fields["general_team"],
            empty_label=f"The first team by name ({fallback})"
            if fallback
            else "The first team by name",
        )


def split_tags(value: str) -> list[str]:
    return [part for part in (p.strip() for p in value.split(",")) if part]
