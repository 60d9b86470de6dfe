from __future__ import annotations

from django import forms

from purposeful.core.forms import team_choice_defaults
from purposeful.core.limits import max_length
from purposeful.organisation.models import Team
from purposeful.sensing.models import SignalGroup


class TeamChoiceForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name", "pk"))

    def __init__(self, *args, teams=None, own_teams=(), label="Team", **kwargs):
        super().__init__(*args, **kwargs)
        if teams is not None:
            # proposing an offer: one of the member's own teams, the first by default
            self.fields["team"].queryset = teams
            self.fields["team"].empty_label = None
        team_choice_defaults(self.fields["team"], own_teams=own_teams)
        self.fields["team"].label = label


class RenameForm(forms.Form):
    name = forms.CharField(
        max_length=max_length(SignalGroup, "given_name"),
        required=False,
        label="Name",
        help_text="Leave it empty to use the name sensing found.",
    )
