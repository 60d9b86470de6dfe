from __future__ import annotations

from ninja import Field, ModelSchema, Schema
from pydantic import StrictInt

from purposeful.core.limits import max_length
from purposeful.sensing.models import SensingRun, SignalGroup


class MonthCountOut(Schema):
    month: str
    signals: int


class GroupOut(ModelSchema):
    """A group of signals as the latest run found it (``name``: the given name, else
    ``found_name``); ``trend`` against the run before (new, growing, steady, fading)."""

    words: list[str]
    found_name: str
    given_name: str
    quote: str

    class Meta:
        model = SignalGroup
        fields = [
            "key",
            "name",
            "found_name",
            "given_name",
            "words",
            "quote",
            "size",
            "previous_size",
            "trend",
            "team_count",
            "first_seen_at",
        ]


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


class GroupRenameIn(Schema):
    name: str = Field(max_length=max_length(SignalGroup, "given_name"))


class GroupTeamIn(Schema):
    team: StrictInt


class OfferProposedOut(Schema):
    slug: str
    url: str


class SignalSentOut(Schema):
    id: int
    url: str
