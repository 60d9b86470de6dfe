from __future__ import annotations

from django import forms

from purposeful.core.limits import max_length
from purposeful.webhooks.models import Endpoint, Event


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=max_length(Endpoint, "url"),
        assume_scheme="https",
        help_text="Where to POST the events, e.g. https://hooks.example.org/purposeful",
    )
    description = forms.CharField(
        max_length=max_length(Endpoint, "description"), required=False
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        max_length=max_length(Endpoint, "secret"),
        required=False,
        help_text="Leave empty to have a strong secret made up for you.",
    )
