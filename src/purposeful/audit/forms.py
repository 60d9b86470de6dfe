from __future__ import annotations

from django import forms

from purposeful.core.forms import DayMonthYearWidget


class AuditFilterForm(forms.Form):
    """The log's "Since" date, asked as the day, month and year boxes every form uses."""

    since = forms.DateField(required=False, widget=DayMonthYearWidget())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "audit-%s")
        super().__init__(*args, **kwargs)
