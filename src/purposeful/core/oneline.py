"""Text that must stay on one line: names people type, and the e-mail headers built
from them.

A line break in a header makes Django refuse the whole message
(``BadHeaderError``), so whoever it was for is never told. Headers therefore
always pass through :func:`one_line`, and names are refused with a line break in
them where people type them (forms and the API).
"""

from __future__ import annotations

from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from pydantic import AfterValidator

MESSAGE = "Keep it to one line: remove the line break."


def one_line(text: str) -> str:
    """``text`` with every line break (and run of spaces) folded into one space."""
    # str.splitlines knows every line boundary: CR, LF, VT, FF, NEL, U+2028 …
    return " ".join(" ".join(str(text).splitlines()).split())


def has_line_break(text: str) -> bool:
    return len(str(text).splitlines()) > 1 or str(text).endswith(("\n", "\r"))


def validate_one_line(value: str) -> None:
    """A Django validator for names."""
    if has_line_break(value):
        raise ValidationError(MESSAGE, code="line_break")


def _single_line(value: str) -> str:
    if has_line_break(value):
        raise ValueError(MESSAGE)
    return value


# A name in an API body; the schema says so, and pydantic refuses a line break.
OneLine = Annotated[str, AfterValidator(_single_line)]


class OneLineField(forms.CharField):
    """A form field for a name: one line, like the input people type it into."""

    default_validators = [validate_one_line]
