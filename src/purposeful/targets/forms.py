from __future__ import annotations

from django import forms

from purposeful.core.forms import DayMonthYearWidget
from purposeful.core.limits import max_length
from purposeful.organisation.models import Team
from purposeful.targets.models import CheckIn, Comment, Target


class TargetForm(forms.ModelForm):
    """What the team writes; the team itself is chosen only among the actor's teams."""

    class Meta:
        model = Target
        fields = list(Target.EDITABLE_FIELDS)
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "period_start": DayMonthYearWidget(),
            "period_end": DayMonthYearWidget(),
        }
        labels = {
            "title": "What we want to reach",
            "why": "How it serves the purpose",
            "measure_unit": "Unit (optional)",
            "measure_target": "Number (optional)",
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period ends before it starts.")
        return data


class NewTargetForm(TargetForm):
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None,
        empty_label=None,
        label="Team",
        help_text="A target belongs to the team that sets it: one of your teams.",
    )

    class Meta(TargetForm.Meta):
        fields = ["team", *TargetForm.Meta.fields]

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class CheckInForm(forms.Form):
    value = forms.DecimalField(
        label="Where we are now",
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text="Optional: the number as it stands today.",
    )
    learned = forms.CharField(
        label="What we learned", widget=forms.Textarea(attrs={"rows": 3})
    )
    sensed = forms.CharField(
        label="What we sense",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Possibilities, changes in what customers need, a hunch.",
    )
    still_makes_sense = forms.ChoiceField(
        label="Does the target still make sense?",
        choices=CheckIn.StillMakesSense.choices,
        initial=CheckIn.StillMakesSense.YES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, target: Target | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if target is not None and not target.has_measure:
            del self.fields["value"]
        elif target is not None:
            self.fields["value"].label = f"Where we are now ({target.measure_unit})"


class LetGoForm(forms.Form):
    reason = forms.CharField(
        label="Why we let it go",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Letting go is learning, not failure: what did the target teach you?",
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label="What reaching it taught us",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment",
        max_length=max_length(Comment, "text"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DashboardSettingsForm(forms.Form):
    is_public = forms.BooleanField(
        label="Show the purpose dashboard to visitors who are not signed in",
        required=False,
        help_text="It shows counts only, never names of customers or members.",
    )
