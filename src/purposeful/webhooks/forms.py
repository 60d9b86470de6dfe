from __future__ import annotations

from django import forms

from purposeful.webhooks.models import Event


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where to POST the events, e.g. https://hooks.example.org/purposeful",
    )
    description = forms.CharField(max_length=200, required=False)
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        max_length=100,
        required=False,
        help_text="Leave empty to have a strong secret made up for you.",
    )
