"""Domain events: what happened in one part, told to every part that listens.

A service that changes something others care about emits one event, inside its
transaction; notifications, webhooks and whatever comes next subscribe to the
event types they need in their ``AppConfig.ready``. There is no other path for
side effects: no model signals, no direct calls from one part into another's
delivery code, no flags to keep two paths from doing the same thing twice.

Subscribers run at once, inside the emitting transaction, so the rows they
write (a webhook delivery) commit or roll back with the change. Work that
leaves the database (e-mail, HTTP) they queue with ``transaction.on_commit``:
nothing is sent for a change that rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from purposeful.feedback.models import Signal
    from purposeful.offers.models import Advice, AdviceRequest, OfferVersion
    from purposeful.organisation.models import MembershipChange
    from purposeful.outreach.models import Message
    from purposeful.relationships.models import Handover


@dataclass(frozen=True)
class Event:
    """Something that happened; subclasses say what, and carry the record."""


@dataclass(frozen=True)
class SignalReceived(Event):
    """A signal came in: recorded by a member, written on the public form, e-mailed."""

    signal: Signal


@dataclass(frozen=True)
class SignalStateChanged(Event):
    signal: Signal
    previous: str


@dataclass(frozen=True)
class OfferPublished(Event):
    version: OfferVersion


@dataclass(frozen=True)
class AdviceAsked(Event):
    """Colleagues or teams were asked for advice on a draft, one request each."""

    requests: tuple[AdviceRequest, ...]


@dataclass(frozen=True)
class AdviceGiven(Event):
    advice: Advice


@dataclass(frozen=True)
class MessagePublished(Event):
    message: Message


@dataclass(frozen=True)
class HandoverChanged(Event):
    """A hand-over was proposed, or the receiving team answered it."""

    handover: Handover


@dataclass(frozen=True)
class MembershipChanged(Event):
    """Someone asked to join a team, was proposed for removal, joined or left."""

    change: MembershipChange


@dataclass(frozen=True)
class TaskAbandoned(Event):
    """A background task lost its worker too often and will not run again; the
    part that queued it marks what waited on it as stopped."""

    task_path: str
    args: tuple[Any, ...]

    def record_id(self, task: Any) -> Any | None:
        """The id the task was queued with (its first argument) when the
        abandoned task is ``task``; None for any other task."""
        if self.task_path != task.module_path or not self.args:
            return None
        return self.args[0]


E = TypeVar("E", bound=Event)
Subscriber = Callable[[Any], None]

_subscribers: dict[type[Event], list[Subscriber]] = {}


def subscribe(event_type: type[E], subscriber: Callable[[E], None]) -> None:
    """Call ``subscriber`` with every event of ``event_type`` (once, however often
    an app's ``ready`` runs)."""
    listeners = _subscribers.setdefault(event_type, [])
    if subscriber not in listeners:
        listeners.append(subscriber)


def emit(event: Event) -> None:
    """Tell every subscriber of this event's type, in the order they subscribed."""
    for subscriber in _subscribers.get(type(event), ()):
        subscriber(event)


def subscribers(event_type: type[Event]) -> list[Subscriber]:
    """Who listens to ``event_type`` (for the tests that pin the wiring)."""
    return list(_subscribers.get(event_type, ()))
