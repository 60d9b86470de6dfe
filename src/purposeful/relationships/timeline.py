"""A customer's timeline as plain values the account page prints.

The page printed each entry from its model instance: two ``date`` filters, a
URL reverse, display lookups and ``truncatewords`` per entry, which for a busy
customer cost more than reading the entries. Prepared here once per entry, the
template only prints dictionary keys; the HTML is the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.template.defaultfilters import linebreaksbr, truncatewords

from purposeful.core.rows import local_date, url_by_pk
from purposeful.relationships.selectors import TimelineEntry

if TYPE_CHECKING:
    from purposeful.people.models import Member


class TimelineRow(TypedDict, total=False):
    kind: str  # conversation, signal, referral, handover
    when_iso: str
    when_label: str
    badge: str
    who: str
    has_contact: bool
    contact_name: str
    url: str
    team_name: str
    ally_name: str
    from_team: str
    to_team: str
    state_label: str
    text: str
    response: str


def timeline_rows(entries: list[TimelineEntry]) -> list[TimelineRow]:
    """One row per entry, in the same order, with what the account page shows."""
    signal_url = url_by_pk("feedback:signal_detail")
    rows: list[TimelineRow] = []
    for entry in entries:
        row: TimelineRow = {
            "kind": entry.kind,
            "when_iso": local_date(entry.when, "c"),
            "when_label": local_date(entry.when, "j M Y, H:i"),
        }
        item = entry.item
        if entry.kind == "conversation":
            row["badge"] = item.get_kind_display()
            row["who"] = _name(item.member)
            row["has_contact"] = item.contact is not None
            row["contact_name"] = item.contact.name if item.contact else ""
            row["text"] = linebreaksbr(item.summary)
        elif entry.kind == "signal":
            row["badge"] = item.get_kind_display()
            row["url"] = signal_url(item.pk)
            row["team_name"] = item.team.name
            row["state_label"] = item.get_state_display()
            row["text"] = truncatewords(item.words, 60)
        elif entry.kind == "referral":
            row["ally_name"] = item.ally_name
            row["who"] = _name(item.referred_by)
            row["text"] = item.reason
        else:
            row["from_team"] = item.from_team.name
            row["to_team"] = item.to_team.name
            row["state_label"] = item.get_state_display()
            row["text"] = item.reason
            row["response"] = item.response
        rows.append(row)
    return rows


def _name(member: Member) -> str:
    # as `member.name|default:"someone"` printed it
    return (member.name if member is not None else "") or "someone"
