"""Finding a contact's details in text as whole words, never inside other words.

A name matches only where no letter or digit touches it ("Sam" is not in
"Samuel" or "sample"); an e-mail address only as a whole address; a phone
number as a whole number, however its digits are grouped.
"""

from __future__ import annotations

import re
from typing import Any

ERASED = "[erased]"
# Each part of a name is erased on its own too ("Dear Ada" for "Ada Lindqvist"),
# but not particles such as "de" or "van", which are everyday words as well.
MIN_NAME_PART = 3
MIN_VALUE = 2
# Below this many digits a phone "number" is matched only as it was written.
MIN_PHONE_DIGITS = 5
PHONE_SEPARATORS = r"[\s().\-/]*"


def _word(value: str) -> str:
    return rf"(?<!\w){re.escape(value)}(?!\w)"


def _email(value: str) -> str:
    return rf"(?<![\w.+\-]){re.escape(value)}(?![\w\-])(?!\.\w)"


def _phone(value: str) -> list[str]:
    patterns = [rf"(?<![\w+]){re.escape(value)}(?!\w)"]
    digits = re.findall(r"\d", value)
    if len(digits) >= MIN_PHONE_DIGITS:
        plus = r"\+?" if value.startswith("+") else ""
        patterns.append(rf"(?<![\w+]){plus}{PHONE_SEPARATORS.join(digits)}(?!\d)")
    return patterns


def details_pattern(
    *, name: str = "", email: str = "", phone: str = ""
) -> re.Pattern[str] | None:
    """One case-insensitive pattern for a person's details, longest first."""
    name, email, phone = name.strip(), email.strip(), phone.strip()
    words = set()
    if len(name) >= MIN_VALUE:
        words.add(name)
        words.update(part for part in name.split() if len(part) >= MIN_NAME_PART)
    alternatives = [(len(w), _word(w)) for w in words]
    if len(email) >= MIN_VALUE:
        alternatives.append((len(email), _email(email)))
    if len(phone) >= MIN_VALUE:
        alternatives.extend((len(phone), p) for p in _phone(phone))
    if not alternatives:
        return None
    alternatives.sort(key=lambda item: item[0], reverse=True)
    return re.compile("|".join(p for _, p in alternatives), re.IGNORECASE)


def scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """``value`` with every match replaced, inside JSON lists and objects too."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {scrub(k, pattern): scrub(v, pattern) for k, v in value.items()}
    return value
