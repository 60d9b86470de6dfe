"""A readable difference between two versions of an offer, word by word."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Field

from purposeful.offers.models import OfferVersion

# A word with the space after it: spaces alone never match, so a rewritten
# sentence reads as one removed and one added run instead of word confetti.
_TOKENS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    segments: list[Segment]


def _words(text: str) -> list[str]:
    return _TOKENS.findall(text)


def text_diff(old: str, new: str) -> list[Segment]:
    """Old and new text as runs of kept, removed and added words."""
    a, b = _words(old), _words(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("added", "".join(b[j1:j2])))
    return segments


def _price(version: OfferVersion) -> str:
    if version.price is None:
        return ""
    unit = f" {version.price_unit}" if version.price_unit else ""
    return f"{version.price:.2f} {version.currency}{unit}"


def _fields(version: OfferVersion) -> list[tuple[str, str]]:
    meta = version._meta
    fields = [
        (
            str(
                cast("Field[Any, Any]", meta.get_field(name)).verbose_name
            ).capitalize(),
            getattr(version, name),
        )
        for name in OfferVersion.TEXT_FIELDS
    ]
    fields += [
        ("Price", _price(version)),
        ("What the price covers", version.price_covers),
        ("Where the money goes", version.price_breakdown),
        ("Availability", version.availability),
        ("Allies", ", ".join(sorted(a.name for a in version.allies.all()))),
        ("Pictures", "\n".join(i.alt_text for i in version.images.all())),
    ]
    return fields


def version_diff(old: OfferVersion | None, new: OfferVersion) -> list[FieldChange]:
    """The fields that changed from ``old`` to ``new`` (every filled field when new)."""
    if old is None:
        # A first version has nothing to differ from: show what it said.
        return [
            FieldChange(label, [Segment("same", text)])
            for label, text in _fields(new)
            if text
        ]
    before = dict(_fields(old))
    changes = []
    for label, text in _fields(new):
        previous = before.get(label, "")
        if previous != text:
            changes.append(FieldChange(label, text_diff(previous, text)))
    return changes
