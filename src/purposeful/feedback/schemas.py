"""API input and output shapes for signals and the public form."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictInt

from purposeful.oneline import OneLine

KINDS = "^(issue|opportunity|need|praise|question)$"
STATES = "^(new|acknowledged|in_progress|done|declined)$"
MEMBER_SOURCES = "^(conversation|email|import)$"


class EventOut(Schema):
    kind: str
    state: str
    note: str
    actor: str | None
    created_at: datetime


class ReplyOut(Schema):
    id: int
    author: str | None
    text: str
    created_at: datetime
    emailed_at: datetime | None


class SignalOut(Schema):
    id: int
    team: int
    kind: str
    source: str
    state: str
    words: str
    account: int | None
    account_verified: bool = Field(
        True,
        description="False while the link to the account rests on an e-mail "
        "address typed in the public form that its owner has not confirmed.",
    )
    offer: str | None
    sender_name: str
    sender_email: str
    assignee: str | None
    tags: list[str]
    decline_reason: str
    merged_into: int | None
    version: str = Field(
        "",
        description="Optimistic-locking token; send it back as `version` or "
        "`If-Match` when changing, to get 409 instead of overwriting a newer change.",
    )
    created_at: datetime
    updated_at: datetime


class SignalDetailOut(SignalOut):
    events: list[EventOut]
    replies: list[ReplyOut]
    duplicates: list[int]


class SignalIn(Schema):
    team: StrictInt
    kind: str = Field("issue", pattern=KINDS)
    source: str = Field("conversation", pattern=MEMBER_SOURCES)
    words: str = Field(..., min_length=1, max_length=10000)
    account: StrictInt | None = None
    offer: str | None = Field(None, description="The offer's slug")
    tags: list[str] = []


class SignalPatch(Schema):
    assignee: str | None = Field(
        None, description="Username of someone in the team; null for no one"
    )
    tags: list[str] | None = None
    version: str | None = Field(
        None, max_length=100, description="The `version` the change starts from."
    )


class TransitionIn(Schema):
    to: str = Field(..., pattern=STATES)
    reason: str = Field("", max_length=2000)
    version: str | None = Field(
        None, max_length=100, description="The `version` the change starts from."
    )


class ReplyIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)


class MergeIn(Schema):
    into: StrictInt


class FormTokenOut(Schema):
    started: str
    min_seconds: float


class FeedbackIn(Schema):
    words: str = Field(..., min_length=1, max_length=5000)
    kind: str = Field("question", pattern=KINDS)
    name: OneLine = Field("", max_length=200)
    email: str = Field("", max_length=254)
    offer: str = Field("", max_length=120)
    started: str = Field(
        ..., description="From GET /feedback/form, at least a few seconds old"
    )
    website: str = Field("", description="Leave empty")


class FeedbackCreatedOut(Schema):
    key: str
    follow_url: str
    team: str
    state: str


class PublicReplyOut(Schema):
    text: str
    created_at: datetime


class PublicEventOut(Schema):
    state: str
    note: str
    created_at: datetime


class FeedbackFollowOut(Schema):
    words: str
    state: str
    decline_reason: str
    team: str
    created_at: datetime
    replies: list[PublicReplyOut]
    history: list[PublicEventOut]


class FeedbackSettingsOut(Schema):
    general_team: int | None
    effective_team: int | None


class FeedbackSettingsIn(Schema):
    general_team: StrictInt | None
