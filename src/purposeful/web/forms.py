"""Small helpers shared by the apps' views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def team_choice_defaults(
    field: forms.ModelChoiceField, *, own_teams: Iterable[Any] = ()
) -> None:
    """A team picker starts on the member's team when only one of theirs is offered.

    A member of one team should not have to pick it; with several (or none) the
    picker asks in words rather than with a row of dashes.
    """
    if field.empty_label is not None:
        field.empty_label = "Choose a team"
    offered = set(field.queryset.values_list("pk", flat=True))
    own = [team.pk for team in own_teams if team.pk in offered]
    if len(own) == 1:
        field.initial = own[0]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
