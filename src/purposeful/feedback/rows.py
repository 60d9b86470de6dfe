"""The rows of the inbox and search lists, as plain values the template prints.

A page of 50 signals rendered from model instances cost more than its queries:
building each instance with its team, customer and assignee, reversing its URL,
and letting the template look up attributes, call properties and run the
``date`` filter a thousand times. Rows are read with ``values()`` and prepared
here once, so ``feedback/signal_rows.html`` only prints dictionary keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.db.models import QuerySet

from purposeful.core.rows import local_date, url_by_pk
from purposeful.feedback.models import Signal, excerpt_of
from purposeful.people.models import Member

_KINDS = dict(Signal.Kind.choices)
_STATES = dict(Signal.State.choices)

_COLUMNS = (
    "pk",
    "words",
    "kind",
    "state",
    "sender_name",
    "account_id",
    "account__name",
    "is_account_verified",
    "merged_into_id",
    "team__name",
    "assignee_id",
    "created_at",
)


class SignalRow(TypedDict):
    pk: int
    url: str
    excerpt: str
    has_account: bool
    account_name: str
    unverified: bool
    sender_name: str
    tags: list[str]
    merged_into_id: int | None
    kind_label: str
    state: str
    state_label: str
    team_name: str
    assignee_name: str
    created_iso: str
    created_label: str


class SignalRows:
    """A sliceable stand-in for a signal queryset whose slices are lists of rows.

    ``paging.window`` slices it like the queryset it wraps: one query for the
    page's signals, one for their tags and one for their assignees' names.
    """

    def __init__(self, signals: QuerySet[Signal]):
        self.signals = signals

    def __getitem__(self, items: slice) -> list[SignalRow]:
        values = list(self.signals.prefetch_related(None).values(*_COLUMNS)[items])
        return rows(values)


def rows(values: list[dict]) -> list[SignalRow]:
    """Rows from ``values(*_COLUMNS)`` of signals, in the same order."""
    pks = [value["pk"] for value in values]
    tags = _tags_of(pks)
    names = _names_of({v["assignee_id"] for v in values if v["assignee_id"]})
    url = url_by_pk("feedback:signal_detail")
    result: list[SignalRow] = []
    for value in values:
        created = value["created_at"]
        result.append(
            {
                "pk": value["pk"],
                "url": url(value["pk"]),
                "excerpt": excerpt_of(value["words"]),
                "has_account": value["account_id"] is not None,
                "account_name": value["account__name"] or "",
                "unverified": value["account_id"] is not None
                and not value["is_account_verified"],
                "sender_name": value["sender_name"],
                "tags": tags.get(value["pk"], []),
                "merged_into_id": value["merged_into_id"],
                "kind_label": _KINDS.get(value["kind"], value["kind"]),
                "state": value["state"],
                "state_label": _STATES.get(value["state"], value["state"]),
                "team_name": value["team__name"],
                "assignee_name": names.get(value["assignee_id"], "") or "—",
                "created_iso": local_date(created, "c"),
                "created_label": local_date(created, "j M Y"),
            }
        )
    return result


def _tags_of(pks: list[int]) -> dict[int, list[str]]:
    if not pks:
        return {}
    links = (
        Signal.tags.through.objects.filter(signal_id__in=pks)
        .order_by("tag__name")
        .values_list("signal_id", "tag__name")
    )
    tags: dict[int, list[str]] = {}
    for signal_id, name in links:
        tags.setdefault(signal_id, []).append(name)
    return tags


def _names_of(member_ids: Iterable[int]) -> dict[int, str]:
    ids = list(member_ids)
    if not ids:
        return {}
    return {member.pk: member.name for member in Member.objects.filter(pk__in=ids)}
