from __future__ import annotations

from ninja import ModelSchema, Schema
from pydantic import StrictInt

from purposeful.sensing.models import SensingRun, SignalGroup


class MonthCountOut(Schema):
    month: str
    signals: int


class GroupOut(ModelSchema):
    """A group of signals as the latest run found it."""

    words: list[str]

    class Meta:
        model = SignalGroup
        fields = ["key", "name", "words", "size", "team_count", "first_seen_at"]


class GroupDetailOut(GroupOut):
    months: list[MonthCountOut]
    signal_ids: list[int]


class RunOut(ModelSchema):
    """A sensing run as stored."""

    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    method: str

    class Meta:
        model = SensingRun
        fields = [
            "id",
            "state",
            "method",
            "signal_count",
            "group_count",
            "created_at",
            "finished_at",
        ]


class GroupTeamIn(Schema):
    team: StrictInt


class OfferProposedOut(Schema):
    slug: str
    url: str


class SignalSentOut(Schema):
    id: int
    url: str
