"""API input and output shapes for signals and the public form."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from ninja import Field, ModelSchema, Schema
from pydantic import StrictInt

from purposeful.core.limits import max_length
from purposeful.core.locking import VERSION_TOKEN_MAX_LENGTH
from purposeful.core.oneline import OneLine
from purposeful.core.schemas import Username
from purposeful.feedback.models import (
    API_WORDS_MAX_LENGTH,
    PUBLIC_WORDS_MAX_LENGTH,
    Reply,
    Signal,
    SignalEvent,
)
from purposeful.feedback.services import signal_edit_version
from purposeful.offers.models import Offer

KINDS = "^(issue|opportunity|need|praise|question)$"
STATES = "^(new|acknowledged|in_progress|done|declined)$"
MEMBER_SOURCES = "^(conversation|email|import)$"


class EventOut(ModelSchema):
    """A step in a signal's history, with who took it."""

    # ninja reads blank text as "may be null"; it is stored as "" instead
    state: str
    note: str
    actor: Username

    class Meta:
        model = SignalEvent
        fields = ["kind", "state", "note", "created_at"]


class ReplyOut(ModelSchema):
    """The team's answer to the customer, with its author."""

    id: int
    author: Username

    class Meta:
        model = Reply
        fields = ["id", "text", "created_at", "emailed_at"]


class SignalOut(ModelSchema):
    """A signal as stored, with its offer's slug, its assignee and its tags."""

    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    sender_name: str
    sender_email: str
    decline_reason: str
    account_verified: bool = Field(
        True,
        description="False while the link to the account rests on an e-mail "
        "address typed in the public form that its owner has not confirmed.",
    )
    offer: str | None
    assignee: Username
    tags: list[str]
    version: str = Field(
        "",
        description="Optimistic-locking token; send it back as `version` or "
        "`If-Match` when changing, to get 409 instead of overwriting a newer change.",
    )

    class Meta:
        model = Signal
        fields = [
            "id",
            "team",
            "kind",
            "source",
            "state",
            "words",
            "account",
            "sender_name",
            "sender_email",
            "decline_reason",
            "merged_into",
            "created_at",
            "updated_at",
        ]

    @staticmethod
    def resolve_account_verified(signal: Signal) -> bool:
        return not signal.is_awaiting_confirmation

    @staticmethod
    def resolve_offer(signal: Signal) -> str | None:
        return cast("Offer", signal.offer).slug if signal.offer_id else None

    @staticmethod
    def resolve_tags(signal: Signal) -> list[str]:
        return [tag.name for tag in signal.tags.all()]

    @staticmethod
    def resolve_version(signal: Signal) -> str:
        return signal_edit_version(signal)


class SignalDetailOut(SignalOut):
    """A signal with its history, the replies and the signals merged into it."""

    events: list[EventOut]
    replies: list[ReplyOut]
    duplicates: list[int]

    @staticmethod
    def resolve_events(signal: Signal) -> list[SignalEvent]:
        return list(signal.events.all())

    @staticmethod
    def resolve_replies(signal: Signal) -> list[Reply]:
        return list(signal.replies.all())

    @staticmethod
    def resolve_duplicates(signal: Signal) -> list[int]:
        return [duplicate.pk for duplicate in signal.duplicates.all()]


class SignalIn(Schema):
    team: StrictInt
    kind: str = Field("issue", pattern=KINDS)
    source: str = Field("conversation", pattern=MEMBER_SOURCES)
    words: str = Field(..., min_length=1, max_length=API_WORDS_MAX_LENGTH)
    account: StrictInt | None = None
    offer: str | None = Field(None, description="The offer's slug")
    tags: list[str] = []


class SignalPatch(Schema):
    assignee: str | None = Field(
        None, description="Username of someone in the team; null for no one"
    )
    tags: list[str] | None = None
    version: str | None = Field(
        None,
        max_length=VERSION_TOKEN_MAX_LENGTH,
        description="The `version` the change starts from.",
    )


class TransitionIn(Schema):
    to: str = Field(..., pattern=STATES)
    reason: str = Field("", max_length=max_length(Signal, "decline_reason"))
    version: str | None = Field(
        None,
        max_length=VERSION_TOKEN_MAX_LENGTH,
        description="The `version` the change starts from.",
    )


class ReplyIn(Schema):
    text: str = Field(..., min_length=1, max_length=API_WORDS_MAX_LENGTH)


class MergeIn(Schema):
    into: StrictInt


class FormTokenOut(Schema):
    started: str
    min_seconds: float


class FeedbackIn(Schema):
    words: str = Field(..., min_length=1, max_length=PUBLIC_WORDS_MAX_LENGTH)
    kind: str = Field("question", pattern=KINDS)
    name: OneLine = Field("", max_length=max_length(Signal, "sender_name"))
    email: str = Field("", max_length=max_length(Signal, "sender_email"))
    offer: str = Field("", max_length=max_length(Offer, "slug"))
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
