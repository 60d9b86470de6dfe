from __future__ import annotations

from django import forms

from purposeful.core.forms import team_choice_defaults
from purposeful.organisation.models import Team

ENCODINGS = [
    ("", "Detect it"),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM (Excel)"),
    ("cp1252", "Windows-1252 (Western Europe)"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("utf-16", "UTF-16"),
]
DELIMITERS = [
    ("", "Detect it"),
    (",", "Comma ,"),
    (";", "Semicolon ;"),
    ("\t", "Tab"),
    ("|", "Bar |"),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="An export of accounts or contacts from HubSpot, Salesforce, "
        "Pipedrive, Zoho or any spreadsheet, up to 50 MB.",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), label="Team the customers belong to"
    )
    encoding = forms.ChoiceField(choices=ENCODINGS, required=False)
    delimiter = forms.ChoiceField(choices=DELIMITERS, required=False)

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams
            team_choice_defaults(self.fields["team"], own_teams=teams)
