from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import StrictInt


class MonthCountOut(Schema):
    month: str
    signals: int


class GroupOut(Schema):
    key: str
    name: str
    words: list[str]
    size: int
    team_count: int
    first_seen_at: datetime


class GroupDetailOut(GroupOut):
    months: list[MonthCountOut]
    signal_ids: list[int]


class RunOut(Schema):
    id: int
    state: str
    method: str
    signal_count: int
    group_count: int
    created_at: datetime
    finished_at: datetime | None


class GroupTeamIn(Schema):
    team: StrictInt


class OfferProposedOut(Schema):
    slug: str
    url: str


class SignalSentOut(Schema):
    id: int
    url: str
