"""The rows of the customer list, as plain values the template prints.

Printed from model instances, each of the 50 rows reversed its URL and ran the
``date`` filter twice in the template; read with ``values()`` and prepared
here once, ``relationships/account_list.html`` only prints dictionary keys.
"""

from __future__ import annotations

from typing import TypedDict

from django.db.models import QuerySet

from purposeful.core.rows import local_date, url_by_pk
from purposeful.relationships.models import Account

_KINDS = dict(Account.Kind.choices)


class AccountRow(TypedDict):
    url: str
    name: str
    kind_label: str
    team_name: str
    updated_iso: str
    updated_label: str


class AccountRows:
    """A sliceable stand-in for an account queryset whose slices are lists of rows."""

    def __init__(self, accounts: QuerySet[Account]):
        self.accounts = accounts

    def __getitem__(self, items: slice) -> list[AccountRow]:
        url = url_by_pk("relationships:account_detail")
        values = self.accounts.values("pk", "name", "kind", "team__name", "updated_at")
        return [
            {
                "url": url(value["pk"]),
                "name": value["name"],
                "kind_label": _KINDS.get(value["kind"], value["kind"]),
                "team_name": value["team__name"],
                "updated_iso": local_date(value["updated_at"], "c"),
                "updated_label": local_date(value["updated_at"], "j M Y"),
            }
            for value in values[items]
        ]
