"""API shapes for webhook endpoints and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from purposeful.core.limits import max_length
from purposeful.webhooks.models import Endpoint

EventName = Literal[
    "signal.created", "signal.state_changed", "offer.published", "message.published"
]


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    secret: str
    is_active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str
    created_at: datetime


class EndpointIn(Schema):
    url: str = Field(..., min_length=1, max_length=max_length(Endpoint, "url"))
    events: list[EventName] = Field(..., min_length=1)
    description: str = Field("", max_length=max_length(Endpoint, "description"))
    secret: str | None = Field(None, max_length=max_length(Endpoint, "secret"))


class EndpointPatch(Schema):
    url: str | None = Field(None, min_length=1, max_length=max_length(Endpoint, "url"))
    events: list[EventName] | None = Field(None, min_length=1)
    description: str | None = Field(
        None, max_length=max_length(Endpoint, "description")
    )
    secret: str | None = Field(None, max_length=max_length(Endpoint, "secret"))
    is_active: bool | None = None


class DeliveryOut(Schema):
    id: int
    event_id: UUID
    event: str
    attempt: int
    status_code: int | None
    response_body: str
    error: str
    is_success: bool
    duration_ms: int
    next_attempt_at: datetime | None
    created_at: datetime


class PingOut(Schema):
    event_id: UUID
