"""Small helpers shared by the apps' views."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

T = TypeVar("T")


class DayMonthYearWidget(forms.MultiWidget):
    """A date as three boxes, day, month and year, in that order in every browser.

    A native date input shows the order of the browser's locale (month first in
    an American one), whatever the page's language; three labelled boxes read
    the same everywhere, need no script and bring up the number pad on a phone.
    A single ISO value under the field's own name (``2026-01-31``, as scripts
    and older forms send) is still read. With ``with_time`` a fourth box takes
    the time on the 24-hour clock, for a DateTimeField.
    """

    template_name = "core/widgets/day_month_year.html"

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, with_time: bool = False
    ) -> None:
        number = {"inputmode": "numeric", "autocomplete": "off"}
        parts: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput({**number, "size": 2, "maxlength": 2}),
            "month": forms.TextInput({**number, "size": 2, "maxlength": 2}),
            "year": forms.TextInput({**number, "size": 4, "maxlength": 4}),
        }
        if with_time:
            parts["time"] = forms.TextInput(
                {
                    "autocomplete": "off",
                    "size": 5,
                    "maxlength": 5,
                    "placeholder": "14:30",
                }
            )
        self.with_time = with_time
        super().__init__(parts, attrs)

    def decompress(self, value: Any) -> list[Any]:
        empty: list[Any] = [None] * len(self.widgets)
        if isinstance(value, str):
            # also a wrong date as typed ("2026-13-04"), so the boxes keep it
            day_part, _, time = value.replace("T", " ").partition(" ")
            parts = day_part.split("-")
            if len(parts) != 3:
                return empty
            year, month, day = parts
            shown = [day.lstrip("0") or day, month.lstrip("0") or month, year]
            return [*shown, time[:5]] if self.with_time else shown
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            shown = [value.day, value.month, value.year]
            return [*shown, value.strftime("%H:%M")] if self.with_time else shown
        if isinstance(value, date):
            return [value.day, value.month, value.year, None][: len(self.widgets)]
        return empty

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:
            return data[name]
        parts = [
            str(part or "").strip()
            for part in super().value_from_datadict(data, files, name)
        ]
        if not any(parts):
            return ""
        day, month, year = parts[:3]
        # DateField reads the ISO form; a missing or wrong part fails its check
        value = f"{year}-{month.zfill(2)}-{day.zfill(2)}"
        if self.with_time and parts[3]:
            value += f" {parts[3].replace('.', ':')}"
        return value

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)


def team_choice_defaults(
    field: forms.ModelChoiceField,
    *,
    own_teams: Iterable[Any] = (),
    empty_label: str = "Choose a team",
) -> None:
    """A team picker starts on the member's team when only one of theirs is offered.

    A member of one team should not have to pick it; with several (or none) the
    picker asks in words rather than with a row of dashes. An optional picker
    names what leaving it empty means instead (``empty_label``). A list of
    checkboxes starts with that one team ticked.
    """
    if field.empty_label is not None:
        field.empty_label = empty_label
    queryset = cast(QuerySet[Any], field.queryset)  # a team picker always has one
    offered = set(queryset.values_list("pk", flat=True))
    own = [team.pk for team in own_teams if team.pk in offered]
    if len(own) == 1:
        multiple = isinstance(field, forms.ModelMultipleChoiceField)
        field.initial = own if multiple else own[0]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass(frozen=True)
class Done(Generic[T]):
    """What a service returned for a submitted form; always true, so a view reads
    ``if done := form_submit(...)``."""

    value: T


def form_submit(
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    passing: tuple[type[ValidationError], ...] = (),
) -> Done[T] | None:
    """Validate ``form`` and run the service ``action`` on its cleaned data.

    None when the form is invalid or the service refuses with a ValidationError
    (shown on the form, on its field when there is one), so the view renders the
    form again. The kinds of refusal in ``passing`` (an edit conflict the view
    shows with both versions) and every other error are the view's to handle.
    """
    if not form.is_valid():
        return None
    try:
        value = action(form.cleaned_data)
    except passing:
        raise
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return Done(value)
