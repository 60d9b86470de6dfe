"""Every write of notifications: preferences, what to tell whom, and e-mail.

Events are read from the other parts' own records (a signal's history, a
hand-over, an advice request); nothing in those parts has to call in here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from purposeful.core.oneline import one_line
from purposeful.core.siteurl import absolute
from purposeful.notifications.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Notification,
    NotificationPreference,
    Topic,
)
from purposeful.people.models import Member
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in

UNSUBSCRIBE_SALT = "purposeful.notifications.unsubscribe"
ALL_TOPICS = "all"


# Preferences -------------------------------------------------------------------


def preferences_of(member: Member) -> dict[str, str]:
    chosen = dict(
        NotificationPreference.objects.filter(member=member).values_list(
            "topic", "frequency"
        )
    )
    return {topic: chosen.get(topic, DEFAULT_FREQUENCY) for topic in Topic.values}


def preferences_update(
    *, actor: Actor, member: Actor, choices: dict[str, str]
) -> dict[str, str]:
    """Set how often ``member`` hears about each topic; only they may choose."""
    check(actor, Action.CHANGE_NOTIFICATIONS, member)
    # the rule lets only the member themself through
    member = signed_in(member)
    _save_preferences(member, choices)
    return preferences_of(member)


def _save_preferences(member: Member, choices: dict[str, str]) -> None:
    errors = {}
    for topic, frequency in choices.items():
        if topic not in Topic.values:
            errors[topic] = f"There is no topic “{topic}”."
        elif frequency not in Frequency.values:
            errors[topic] = "Choose immediately, daily digest or never."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        for topic, frequency in choices.items():
            NotificationPreference.objects.update_or_create(
                member=member,
                topic=topic,
                defaults={"frequency": frequency, "updated_at": now},
            )


def unsubscribe_token(member: Member, topic: str) -> str:
    """A signed token for a one-click unsubscribe link; it cannot be guessed."""
    return signing.dumps({"m": member.pk, "t": topic}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_target(token: str) -> tuple[Member, str] | None:
    """The member and topic behind a token, or None when it was not signed by us."""
    try:
        data = signing.loads(token[:500], salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    topic = data.get("t") if isinstance(data, dict) else None
    if topic != ALL_TOPICS and topic not in Topic.values:
        return None
    member = Member.objects.filter(pk=data.get("m"), is_active=True).first()
    return (member, topic) if member is not None else None


def unsubscribe(*, token: str) -> tuple[Member, str]:
    """Stop the e-mail a signed link names; the token itself is the permission."""
    target = unsubscribe_target(token)
    if target is None:
        raise ValidationError("This unsubscribe link is not valid.")
    member, topic = target
    topics = Topic.values if topic == ALL_TOPICS else [topic]
    _save_preferences(member, dict.fromkeys(topics, Frequency.NEVER))
    return member, topic


# Who hears about what ----------------------------------------------------------


def _team_members(team_ids: Iterable[int]) -> list[Member]:
    return list(
        Member.objects.filter(memberships__team_id__in=list(team_ids), is_active=True)
        .distinct()
        .order_by("pk")
    )


def notify(
    *,
    members: Iterable[Any],
    topic: str,
    source: str,
    subject: str,
    body: str,
    link: str = "",
    exclude: Any = None,
    when: datetime | None = None,
    at_once: bool = False,
) -> list[Notification]:
    """Note ``source`` for each member by their preference; never twice per cause.

    ``at_once``: an answer to something the member asked for (advice on their
    draft) is e-mailed at once unless they chose never to hear of the topic.
    """
    created = []
    members = [m for m in members if m is not None and m != exclude and m.email]
    chosen = {
        (p.member_id): p.frequency
        for p in NotificationPreference.objects.filter(member__in=members, topic=topic)
    }
    for member in members:
        frequency = chosen.get(member.pk, DEFAULT_FREQUENCY)
        if frequency == Frequency.NEVER:
            continue
        delivery = (
            Notification.Delivery.IMMEDIATE
            if frequency == Frequency.IMMEDIATELY or at_once
            else Notification.Delivery.DIGEST
        )
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        member=member,
                        topic=topic,
                        source=source,
                        subject=one_line(subject)[:200],
                        body=body,
                        link=link[:300],
                        delivery=delivery,
                        created_at=when or timezone.now(),
                    )
                )
        except IntegrityError:
            continue  # already told about this
    return created


def notify_signal(signal: Any) -> list[Notification]:
    """A new signal: its team hears; customers writing in are a topic of their own."""
    from purposeful.feedback.models import Signal

    from_customer = signal.source in {Signal.Source.PUBLIC_FORM, Signal.Source.EMAIL}
    topic = Topic.CUSTOMER_MESSAGES if from_customer else Topic.SIGNALS
    who = "A customer wrote" if from_customer else "A new signal"
    return notify(
        members=_team_members([signal.team_id]),
        topic=topic,
        source=f"signal:{signal.pk}",
        subject=f"{who} to {signal.team.name}: {signal.excerpt}",
        body=f"{signal.get_kind_display()} for {signal.team.name}:\n\n{signal.words}",
        link=signal.get_absolute_url(),
        exclude=signal.recorded_by,
        when=signal.created_at,
    )


def notify_handover(handover: Any) -> list[Notification]:
    from purposeful.relationships.models import Handover

    if handover.state == Handover.State.PROPOSED:
        team_ids = [handover.to_team_id]
        subject = (
            f"{handover.from_team.name} proposes to hand over {handover.account.name}"
        )
        who = handover.proposed_by
    else:
        team_ids = [handover.from_team_id]
        subject = (
            f"{handover.to_team.name} {handover.get_state_display().lower()} "
            f"the hand-over of {handover.account.name}"
        )
        who = handover.decided_by
    return notify(
        members=_team_members(team_ids),
        topic=Topic.HANDOVERS,
        source=f"handover:{handover.pk}:{handover.state}",
        subject=subject,
        body=f"{subject}.\n\nReason: {handover.reason}",
        link=handover.account.get_absolute_url(),
        exclude=who,
    )


def notify_advice_asked(requests: list[Any]) -> list[Notification]:
    """Colleagues and teams asked for advice on a draft: each person hears once,
    the one who asked does not."""
    first = requests[0]
    asker, version = first.asked_by, first.version
    offer = version.offer
    members: dict[int, Any] = {}
    for request in requests:
        if request.member_id:
            members.setdefault(request.member_id, request.member)
        else:
            for member in _team_members([request.team_id]):
                members.setdefault(member.pk, member)
    who = asker.name if asker else "A colleague"
    return notify(
        members=members.values(),
        topic=Topic.ADVICE,
        source=f"advice:{first.pk}",
        subject=f"{who} asks for your advice on “{version.name}”",
        body=f"{who} ({offer.team}) would like your advice on the offer "
        f"“{version.name}” before it is published.\n\n"
        + (f"{first.message}\n\n" if first.message else "")
        + "Read the draft and answer in its thread (below).\n\n"
        "Advice is advice: the team decides and publishes.",
        link=reverse("offers:canvas", args=[offer.slug]),
        exclude=asker,
    )


def notify_advice_given(advice: Any) -> list[Notification]:
    """Advice given on a draft: those who asked for it hear at once."""
    version = advice.version
    adviser = advice.author.name if advice.author else "A colleague"
    askers = {
        r.asked_by_id: r.asked_by
        for r in version.advice_requests.select_related("asked_by")
        if r.asked_by_id
    }
    return notify(
        members=askers.values(),
        topic=Topic.ADVICE,
        source=f"advice-given:{advice.pk}",
        subject=f"{adviser} gave advice on “{version.name}”",
        body=f"{adviser} wrote:\n\n{advice.text}",
        link=reverse("offers:canvas", args=[version.offer.slug]),
        exclude=advice.author,
        at_once=True,
    )


def _team_change_subject(change: Any) -> tuple[str, str]:
    """What a team hears of a change to who is in it: a subject and what to do."""
    from purposeful.organisation.models import MembershipChange

    Kind = MembershipChange.Kind
    team, member, by = change.team.name, change.member, change.by
    if change.kind == Kind.JOIN_ASKED:
        return (
            f"{member} asks to join {team}",
            "Any member of the team can accept or decline on the team's page.",
        )
    if change.kind == Kind.REMOVAL_PROPOSED:
        return (
            f"{by} proposes that {member} leaves {team}",
            f"Nothing changes until a second member agrees, or {member} does.",
        )
    if change.kind == Kind.REMOVED:
        return (
            f"{member} left {team}: proposed by {change.proposed_by}, agreed by {by}",
            "",
        )
    subjects = {
        Kind.JOINED: f"{member} joined {team}",
        Kind.JOIN_ACCEPTED: f"{by} accepted {member} into {team}",
        Kind.JOIN_DECLINED: f"{by} declined {member}'s request to join {team}",
        Kind.ADDED: f"{by} added {member} to {team}",
        Kind.REMOVAL_WITHDRAWN: (
            f"{by} withdrew the proposal that {member} leaves {team}"
        ),
        Kind.LEFT: f"{member} left {team}",
    }
    return subjects[change.kind], ""


def notify_team_change(change: Any) -> list[Notification]:
    """Every change to who is in a team: its members hear, and so does the person."""
    subject, next_step = _team_change_subject(change)
    body = "\n\n".join(
        part
        for part in (
            f"{subject}.",
            f"“{change.note}”" if change.note else "",
            next_step,
        )
        if part
    )
    members = _team_members([change.team_id])
    if change.member not in members:
        members.append(change.member)
    if change.proposed_by is not None and change.proposed_by not in members:
        members.append(change.proposed_by)
    return notify(
        members=members,
        topic=Topic.TEAMS,
        source=f"team:{change.pk}",
        subject=subject,
        body=body,
        link=change.team.get_absolute_url(),
        exclude=change.by,
        when=change.created_at,
    )


# E-mail --------------------------------------------------------------------------


def _unsubscribe_url(member: Member, topic: str) -> str:
    return absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(member, topic)])
    )


def _message(member: Member, subject: str, body: str, topic: str) -> EmailMessage:
    url = _unsubscribe_url(member, topic)
    what = "these e-mails" if topic == ALL_TOPICS else f"“{Topic(topic).label}”"
    text = f"{body}\n\n--\nStop {what} with one click: {url}\nChoose what you hear about: {absolute(reverse('notifications:preferences'))}\n"
    return EmailMessage(
        subject=one_line(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def member_email(
    *, member: Member, subject: str, body: str, topic: str
) -> EmailMessage:
    """An e-mail to a member about ``topic``, with its one-click unsubscribe
    link (in the text and the ``List-Unsubscribe`` headers, RFC 8058)."""
    return _message(member, subject, body, topic)


def send_immediate(notification_ids: Iterable[int]) -> int:
    """E-mail notifications marked for immediate delivery; each once only."""
    pending = list(
        Notification.objects.filter(
            pk__in=list(notification_ids),
            delivery=Notification.Delivery.IMMEDIATE,
            emailed_at__isnull=True,
        )
        .select_related("member")
        .order_by("pk")
    )
    if not pending:
        return 0
    messages = [
        _message(n.member, n.subject, f"{n.body}\n\n{absolute(n.link)}", n.topic)
        for n in pending
    ]
    get_connection().send_messages(messages)
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
        emailed_at=timezone.now()
    )
    return len(pending)


def digest_send(*, now: datetime | None = None) -> int:
    """One e-mail per member gathering their waiting digest notifications.

    Returns how many e-mails were sent. Run daily by ``purposeful notifications
    digest`` (cron) or the worker's daily task.
    """
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            delivery=Notification.Delivery.DIGEST,
            emailed_at__isnull=True,
            created_at__lte=now,
        )
        .select_related("member")
        .order_by("member_id", "created_at", "pk")
    )
    by_member: dict[int, list[Notification]] = {}
    for n in pending:
        by_member.setdefault(n.member_id, []).append(n)
    messages = []
    sent_ids: list[int] = []
    for items in by_member.values():
        member = items[0].member
        if not member.is_active or not member.email:
            continue
        lines = [
            f"Hello {member.name},",
            "",
            "Since your last digest, "
            + ngettext("%(n)d thing for you:", "%(n)d things for you:", len(items))
            % {"n": len(items)},
            "",
        ]
        for topic in Topic:
            of_topic = [n for n in items if n.topic == topic]
            if not of_topic:
                continue
            lines.append(f"{topic.label} ({len(of_topic)})")
            lines.extend(f"- {n.subject}\n  {absolute(n.link)}" for n in of_topic)
            lines.append("")
        messages.append(
            _message(
                member,
                ngettext(
                    "Your daily digest: %(n)d thing to look at",
                    "Your daily digest: %(n)d things to look at",
                    len(items),
                )
                % {"n": len(items)},
                "\n".join(lines),
                ALL_TOPICS,
            )
        )
        sent_ids.extend(n.pk for n in items)
    if messages:
        get_connection().send_messages(messages)
        Notification.objects.filter(pk__in=sent_ids).update(emailed_at=now)
    return len(messages)


def digest_due(*, now: datetime | None = None) -> bool:
    """Whether a day has passed since the last digest went out."""
    now = now or timezone.now()
    last = (
        Notification.objects.filter(
            delivery=Notification.Delivery.DIGEST, emailed_at__isnull=False
        )
        .order_by("-emailed_at")
        .values_list("emailed_at", flat=True)
        .first()
    )
    return last is None or now - last >= timedelta(days=1)
