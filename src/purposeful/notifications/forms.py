from __future__ import annotations

from django import forms

from purposeful.notifications.models import Frequency, Topic


class PreferencesForm(forms.Form):
    """One choice per topic: immediately, daily digest or never."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for topic in Topic:
            self.fields[topic.value] = forms.ChoiceField(
                label=topic.label, choices=Frequency.choices, widget=forms.RadioSelect
            )
