"""Every write to signals, inboxes, replies and the public form.

Each function checks permission first; views, the API and the demo call these.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from purposeful import events
from purposeful.core.limits import max_length
from purposeful.core.locking import check_version, version_token
from purposeful.feedback import spam
from purposeful.feedback.models import FeedbackSettings, Reply, Signal, SignalEvent, Tag
from purposeful.offers.models import Offer
from purposeful.organisation.models import Team
from purposeful.people.models import token_digest
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in

State = Signal.State

# Where a signal may go next; "done" and "declined" may be reopened.
TRANSITIONS: dict[str, set[str]] = {
    State.NEW: {State.ACKNOWLEDGED, State.IN_PROGRESS, State.DONE, State.DECLINED},
    State.ACKNOWLEDGED: {State.IN_PROGRESS, State.DONE, State.DECLINED},
    State.IN_PROGRESS: {State.ACKNOWLEDGED, State.DONE, State.DECLINED},
    State.DONE: {State.ACKNOWLEDGED},
    State.DECLINED: {State.ACKNOWLEDGED},
}


def settings_get() -> FeedbackSettings:
    settings = FeedbackSettings.objects.order_by("pk").first()
    if settings is None:
        settings = FeedbackSettings.objects.create()
    return settings


def settings_update(*, actor: Actor, general_team: Team | None) -> FeedbackSettings:
    check(actor, Action.CONFIGURE_FEEDBACK)
    settings = settings_get()
    settings.general_team = general_team
    settings.save()
    return settings


def general_team() -> Team | None:
    """The team general messages go to: the chosen one, else the first team."""
    return settings_get().general_team or first_team()


def first_team() -> Team | None:
    """Where general messages go while no team is chosen for them."""
    return Team.objects.order_by("name", "pk").first()


def published_offer(offer_slug: str) -> Offer | None:
    """The published offer with this slug; drafts are never revealed to the public."""
    if not offer_slug:
        return None
    return (
        Offer.objects.filter(
            slug=offer_slug[: max_length(Offer, "slug")], state=Offer.State.PUBLISHED
        )
        .select_related("team")
        .first()
    )


def _event(
    signal: Signal, kind: str, *, actor: Actor | None = None, note: str = ""
) -> SignalEvent:
    return SignalEvent.objects.create(
        signal=signal,
        kind=kind,
        actor=None if actor is None else signed_in(actor),
        state=signal.state,
        note=note,
    )


def _clean_words(words: str) -> str:
    words = words.strip()
    if not words:
        raise ValidationError({"words": "Write what the customer said."})
    return words


@transaction.atomic
def signal_record(
    *,
    actor: Actor,
    team: Team,
    kind: str,
    words: str,
    source: str = Signal.Source.CONVERSATION,
    account: Any = None,
    offer: Offer | None = None,
    tags: list[str] | None = None,
) -> Signal:
    """A member passes on what a customer told them, to the team it concerns."""
    check(actor, Action.RECORD_SIGNAL, team)
    if source == Signal.Source.PUBLIC_FORM:
        raise ValidationError(
            {"source": "Only the public form records public-form signals."}
        )
    signal = Signal(
        team=team,
        kind=kind,
        source=source,
        words=_clean_words(words),
        account=account,
        offer=offer,
        recorded_by=signed_in(actor),
    )
    signal.full_clean()
    signal.save()
    _event(signal, SignalEvent.Kind.RECEIVED, actor=actor)
    if tags:
        _set_tags(signal, tags)
    events.emit(events.SignalReceived(signal))
    return signal


class AlreadySubmitted(Exception):
    """The public form was sent again with the token of a message already taken.

    Carries that message and its follow-up key, so the sender sees the same
    thank-you page and nothing is sent twice.
    """

    def __init__(self, signal: Signal, key: str) -> None:
        super().__init__("This message was already received.")
        self.signal = signal
        self.key = key


@transaction.atomic
def feedback_submit(
    *,
    words: str,
    kind: str = Signal.Kind.QUESTION,
    name: str = "",
    email: str = "",
    offer_slug: str = "",
    started: str = "",
    honeypot: str = "",
    ip: str = "",
    submission: str = "",
) -> tuple[Signal, str]:
    """A customer writes in through the public form.

    Returns the signal and the private key for its follow-up link. Raises
    :class:`spam.SpamRefused` when a guard refuses the submission, and
    :class:`AlreadySubmitted` when a message was already taken with the form's
    one-time ``submission`` token (sent twice, it is one signal). The answer
    never depends on whether the sender is a known contact. An address of a
    known contact links the message to their customer, unverified until the
    address confirms it (see :func:`signal_confirmation_issue`).
    """
    check(AnonymousUser(), Action.SEND_FEEDBACK)
    # before the guards: a double click is not a second message to count
    _refuse_resubmission(submission)
    spam.check_honeypot(honeypot)
    spam.check_time_trap(started)
    spam.check_rate_limit(ip=ip, email=email)
    offer = published_offer(offer_slug)
    team = offer.team if offer is not None else general_team()
    if team is None:
        raise ValidationError(
            "We cannot take messages yet: the organisation has no teams."
        )
    contact = _known_contact(email)
    key = _follow_key(submission) if submission else secrets.token_urlsafe(32)
    signal = Signal(
        team=team,
        kind=kind,
        source=Signal.Source.PUBLIC_FORM,
        words=_clean_words(words),
        sender_name=name.strip(),
        sender_email=email.strip().lower(),
        offer=offer,
        account=contact.account if contact is not None else None,
        is_account_verified=contact is None,
        follow_digest=token_digest(key),
        submission_digest=token_digest(submission) if submission else None,
    )
    # the digests' uniqueness is the database's to tell: the same form sent
    # twice at once is caught below, not refused as an error
    signal.full_clean(exclude=["submission_digest", "follow_digest"])
    try:
        with transaction.atomic():
            signal.save()
            _event(signal, SignalEvent.Kind.RECEIVED)
            events.emit(events.SignalReceived(signal))
    except IntegrityError:
        # the same form, sent again while the first was being saved
        _refuse_resubmission(submission)
        raise
    return signal, key


def _follow_key(submission: str) -> str:
    """The follow-up key of the message sent with this one-time token.

    Derived, not stored (only its digest is kept), so the form sent again can
    show the same private link.
    """
    digest = salted_hmac(
        "purposeful.feedback.follow", submission, algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _refuse_resubmission(submission: str) -> None:
    if not submission:
        return
    signal = Signal.objects.filter(submission_digest=token_digest(submission)).first()
    if signal is not None:
        raise AlreadySubmitted(signal, _follow_key(submission))


def _known_contact(email: str) -> Any:
    """The contact with this address; the link is made quietly and never shown back."""
    from purposeful.relationships.models import Contact

    if not email.strip():
        return None
    return (
        Contact.objects.filter(email=email.strip().lower())
        .select_related("account")
        .order_by("pk")
        .first()
    )


def signal_confirmation_issue(*, signal: Signal) -> str | None:
    """A new key for the sender to confirm their address, when a link awaits it.

    Only the key's digest is kept; the key goes out in the e-mail to that
    address, so whoever typed someone else's address never sees it.
    """
    if not signal.is_awaiting_confirmation:
        return None
    key = secrets.token_urlsafe(32)
    signal.confirm_digest = token_digest(key)
    signal.save(update_fields=["confirm_digest"])
    return key


def signal_by_confirmation_key(key: str) -> Signal | None:
    if not key or len(key) > 100:
        return None
    return (
        Signal.objects.select_related("team")
        .filter(confirm_digest=token_digest(key))
        .first()
    )


@transaction.atomic
def signal_sender_confirm(*, signal: Signal, is_sender: bool) -> Signal:
    """The address's owner says whether they wrote the message.

    Yes: the link to the customer is verified, and replies held back so far are
    e-mailed. No: the message keeps no link to them, their address or name.
    """
    from purposeful.feedback.tasks import email_reply

    check(AnonymousUser(), Action.SEND_FEEDBACK)
    if not signal.is_awaiting_confirmation:
        raise ValidationError("This message needs no confirmation.")
    if not is_sender:
        signal.account = None
        signal.sender_name = signal.sender_email = ""
    signal.is_account_verified = True
    signal.confirm_digest = None
    signal.updated_at = timezone.now()
    signal.save(
        update_fields=[
            "account",
            "sender_name",
            "sender_email",
            "is_account_verified",
            "confirm_digest",
            "updated_at",
        ]
    )
    if signal.may_email_sender:
        held = signal.replies.filter(emailed_at__isnull=True).order_by("pk")
        for reply_id in held.values_list("pk", flat=True):
            email_reply.enqueue(reply_id)
    return signal


def signal_by_key(key: str) -> Signal | None:
    """The signal behind a private follow-up link; merged ones lead to the survivor."""
    if not key or len(key) > 100:
        return None
    return (
        Signal.objects.select_related("team", "merged_into", "merged_into__team")
        .filter(follow_digest=token_digest(key))
        .first()
    )


def signal_edit_version(signal: Signal) -> str:
    """The optimistic-locking token of a signal as a colleague saw it."""
    return version_token(signal.updated_at)


def _check_unchanged(signal: Signal, expected_version: str | None) -> Signal:
    """The signal, locked; refuses when it changed since ``expected_version``."""
    current = Signal.objects.select_for_update().get(pk=signal.pk)
    check_version(
        expected=expected_version,
        current=signal_edit_version(current),
        what="this signal",
        record=current,
        changed_at=current.updated_at,
    )
    return current


@transaction.atomic
def signal_transition(
    *,
    actor: Actor,
    signal: Signal,
    to: str,
    reason: str = "",
    expected_version: str | None = None,
) -> Signal:
    """Move a signal through the inbox: acknowledged, in progress, done or declined."""
    check(actor, Action.TRIAGE_SIGNAL, signal)
    signal = _check_unchanged(signal, expected_version)
    if to not in State.values:
        raise ValidationError({"state": f"Unknown state: {to}."})
    if to not in TRANSITIONS[signal.state]:
        raise ValidationError(
            {
                "state": f"A signal that is {signal.get_state_display().lower()} "
                f"cannot become {State(to).label.lower()}."
            }
        )
    reason = reason.strip()
    if to == State.DECLINED and not reason:
        raise ValidationError(
            {"reason": "Say why you decline it; the customer will read this."}
        )
    previous = signal.state
    signal.state = to
    signal.decline_reason = reason if to == State.DECLINED else ""
    signal.updated_at = timezone.now()
    signal.save(update_fields=["state", "decline_reason", "updated_at"])
    _event(signal, SignalEvent.Kind.STATE, actor=actor, note=reason)
    events.emit(events.SignalStateChanged(signal, previous=previous))
    return signal


def signal_acknowledge(*, actor: Actor, signal: Signal) -> Signal:
    return signal_transition(actor=actor, signal=signal, to=State.ACKNOWLEDGED)


def signal_decline(*, actor: Actor, signal: Signal, reason: str) -> Signal:
    return signal_transition(
        actor=actor, signal=signal, to=State.DECLINED, reason=reason
    )


@transaction.atomic
def signal_assign(
    *,
    actor: Actor,
    signal: Signal,
    assignee: Any | None,
    expected_version: str | None = None,
) -> Signal:
    """Give the signal to someone in the team, or to no one in particular."""
    check(actor, Action.TRIAGE_SIGNAL, signal)
    if expected_version is not None:
        _check_unchanged(signal, expected_version)
    if (
        assignee is not None
        and not signal.team.memberships.filter(member=assignee).exists()
    ):
        raise ValidationError(
            {
                "assignee": f"{assignee} is not in {signal.team}; assign someone in the team."
            }
        )
    signal.assignee = assignee
    signal.updated_at = timezone.now()
    signal.save(update_fields=["assignee", "updated_at"])
    _event(
        signal,
        SignalEvent.Kind.ASSIGNED,
        actor=actor,
        note=f"to {assignee}" if assignee else "to no one",
    )
    return signal


def _normalise_tags(names: list[str]) -> list[str]:
    cleaned = []
    for name in names:
        name = " ".join(name.strip().lower().split())
        if not name:
            continue
        limit = max_length(Tag, "name")
        if len(name) > limit:
            raise ValidationError(
                {"tags": f"A tag is at most {limit} characters: {name[:20]}…"}
            )
        if name not in cleaned:
            cleaned.append(name)
    return cleaned


def _set_tags(signal: Signal, names: list[str]) -> list[str]:
    cleaned = _normalise_tags(names)
    tags = []
    for name in cleaned:
        tag, _ = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    signal.tags.set(tags)
    return cleaned


@transaction.atomic
def signal_tag(
    *,
    actor: Actor,
    signal: Signal,
    tags: list[str],
    expected_version: str | None = None,
) -> Signal:
    check(actor, Action.TRIAGE_SIGNAL, signal)
    if expected_version is not None:
        _check_unchanged(signal, expected_version)
    cleaned = _set_tags(signal, tags)
    # Tags are part of what colleagues edit: a new token for the next editor.
    signal.updated_at = timezone.now()
    Signal.objects.filter(pk=signal.pk).update(updated_at=signal.updated_at)
    _event(
        signal, SignalEvent.Kind.TAGGED, actor=actor, note=", ".join(cleaned) or "none"
    )
    return signal


@transaction.atomic
def signal_reply(*, actor: Actor, signal: Signal, text: str) -> Reply:
    """Answer the customer: shown at their private link and e-mailed when we can."""
    from purposeful.feedback.tasks import email_reply

    check(actor, Action.REPLY_TO_SIGNAL, signal)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the reply."})
    reply = Reply.objects.create(signal=signal, author=signed_in(actor), text=text)
    _event(signal, SignalEvent.Kind.REPLIED, actor=actor)
    Signal.objects.filter(pk=signal.pk).update(updated_at=timezone.now())
    # A typed address of a known contact gets nothing until its owner confirms.
    if signal.may_email_sender:
        email_reply.enqueue(reply.pk)
    return reply


@transaction.atomic
def signal_merge(*, actor: Actor, duplicate: Signal, into: Signal) -> Signal:
    """Fold a duplicate into another signal of the same inbox; both keep their history.

    The duplicate stays readable (and its sender's link keeps working, showing
    the state of the signal it joined and only the replies written to them); it
    leaves the open inbox.
    """
    check(actor, Action.TRIAGE_SIGNAL, duplicate)
    check(actor, Action.TRIAGE_SIGNAL, into)
    if duplicate.pk == into.pk:
        raise ValidationError({"into": "A signal cannot be merged into itself."})
    if duplicate.team_id != into.team_id:
        raise ValidationError({"into": "Merge only signals in the same team's inbox."})
    if duplicate.merged_into_id is not None:
        raise ValidationError({"into": "This signal is already merged."})
    if into.merged_into_id is not None:
        raise ValidationError(
            {"into": "That signal was itself merged; merge into the one it joined."}
        )
    duplicate.merged_into = into
    duplicate.updated_at = timezone.now()
    duplicate.save(update_fields=["merged_into", "updated_at"])
    Signal.objects.filter(merged_into=duplicate).update(merged_into=into)
    into.tags.add(*duplicate.tags.all())
    # Each keeps its own customer: the other sender is not that customer.
    _event(
        duplicate, SignalEvent.Kind.MERGED, actor=actor, note=f"into signal #{into.pk}"
    )
    _event(
        into,
        SignalEvent.Kind.MERGED,
        actor=actor,
        note=f"signal #{duplicate.pk} joined",
    )
    return into
