"""JSON API for signals and inboxes, and the public feedback form with its follow-up."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.core.ratelimit import client_address
from purposeful.core.siteurl import absolute
from purposeful.feedback import selectors, services, spam
from purposeful.feedback.models import Signal, SignalEvent
from purposeful.feedback.schemas import (
    FeedbackCreatedOut,
    FeedbackFollowOut,
    FeedbackIn,
    FeedbackSettingsIn,
    FeedbackSettingsOut,
    FormTokenOut,
    MergeIn,
    ReplyIn,
    ReplyOut,
    SignalDetailOut,
    SignalIn,
    SignalOut,
    SignalPatch,
    TransitionIn,
)
from purposeful.feedback.tasks import email_follow_link
from purposeful.offers.models import Offer
from purposeful.organisation.models import Team
from purposeful.people.models import Member
from purposeful.permissions import Action, check
from purposeful.relationships.models import Account

router = Router(tags=["feedback"])


class SignalFilters(Schema):
    team: int | None = None
    state: str = ""
    kind: str = ""
    tag: str = ""
    assignee: str = ""
    q: str = ""
    account: int | None = None


def _signal_detail(signal_id: int) -> Signal:
    try:
        return selectors.signal_detail(signal_id)
    except Signal.DoesNotExist:
        raise HttpError(404, "Not found.") from None


def _signal(signal_id: int) -> Signal:
    return get_object_or_404(Signal.objects.select_related("team"), pk=signal_id)


@router.get("/signals", response=list[SignalOut], summary="Signals: inbox and search")
@paginate(Page)
def signal_list(request, filters: Query[SignalFilters]):
    """Filter like the inbox: ``state`` may be ``open``; ``assignee`` may be ``none``."""
    check(request.auth, Action.VIEW_INTERNAL)
    team = get_object_or_404(Team, pk=filters.team) if filters.team else None
    signals = selectors.signals(
        team=team,
        state=filters.state,
        kind=filters.kind,
        tag=filters.tag,
        assignee=filters.assignee,
        q=filters.q,
        account_id=filters.account,
    ).select_related("offer")
    return signals


@router.post("/signals", response={201: SignalDetailOut}, summary="Pass on a signal")
def signal_create(request, payload: SignalIn):
    team = get_object_or_404(Team, pk=payload.team)
    account = (
        get_object_or_404(Account, pk=payload.account) if payload.account else None
    )
    offer = get_object_or_404(Offer, slug=payload.offer) if payload.offer else None
    signal = services.signal_record(
        actor=request.auth,
        team=team,
        kind=payload.kind,
        source=payload.source,
        words=payload.words,
        account=account,
        offer=offer,
        tags=payload.tags,
    )
    return Status(201, _signal_detail(signal.pk))


@router.get("/signals/{signal_id}", response=SignalDetailOut, summary="A signal")
def signal_read(request, signal_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    return _signal_detail(signal_id)


@router.patch(
    "/signals/{signal_id}", response=SignalDetailOut, summary="Assign or tag a signal"
)
def signal_change(request, signal_id: int, payload: SignalPatch):
    signal = _signal(signal_id)
    data = payload.dict(exclude_unset=True)
    # Optimistic locking: checked by the first change this request makes.
    expected = data.pop("version", None) or request.headers.get("If-Match")
    if "assignee" in data:
        assignee = None
        if data["assignee"]:
            assignee = Member.objects.filter(
                username=data["assignee"], is_active=True
            ).first()
            if assignee is None:
                raise ValidationError(
                    {"assignee": "No active member has this username."}
                )
        services.signal_assign(
            actor=request.auth,
            signal=signal,
            assignee=assignee,
            expected_version=expected,
        )
        expected = None
    if data.get("tags") is not None:
        services.signal_tag(
            actor=request.auth,
            signal=signal,
            tags=data["tags"],
            expected_version=expected,
        )
    return _signal_detail(signal_id)


@router.post(
    "/signals/{signal_id}/transitions",
    response=SignalDetailOut,
    summary="Move a signal: acknowledged, in progress, done, declined (with reason)",
)
def signal_transition(request, signal_id: int, payload: TransitionIn):
    services.signal_transition(
        actor=request.auth,
        signal=_signal(signal_id),
        to=payload.to,
        reason=payload.reason,
        expected_version=payload.version or request.headers.get("If-Match"),
    )
    return _signal_detail(signal_id)


@router.post(
    "/signals/{signal_id}/replies",
    response={201: ReplyOut},
    summary="Reply to the customer (shown at their link, e-mailed)",
)
def signal_reply(request, signal_id: int, payload: ReplyIn):
    reply = services.signal_reply(
        actor=request.auth, signal=_signal(signal_id), text=payload.text
    )
    return Status(201, reply)


@router.post(
    "/signals/{signal_id}/merge",
    response=SignalDetailOut,
    summary="Merge this duplicate into another signal",
)
def signal_merge(request, signal_id: int, payload: MergeIn):
    into = services.signal_merge(
        actor=request.auth, duplicate=_signal(signal_id), into=_signal(payload.into)
    )
    return _signal_detail(into.pk)


@router.get(
    "/feedback/settings",
    response=FeedbackSettingsOut,
    summary="Where general messages go",
)
def settings_read(request):
    check(request.auth, Action.VIEW_INTERNAL)
    effective = services.general_team()
    return {
        "general_team": services.settings_get().general_team_id,
        "effective_team": effective.pk if effective else None,
    }


@router.patch(
    "/feedback/settings", response=FeedbackSettingsOut, summary="Choose it (stewards)"
)
def settings_change(request, payload: FeedbackSettingsIn):
    team = (
        get_object_or_404(Team, pk=payload.general_team)
        if payload.general_team
        else None
    )
    services.settings_update(actor=request.auth, general_team=team)
    return settings_read(request)


# Public: no sign-in ----------------------------------------------------------


@router.get(
    "/feedback/form",
    response=FormTokenOut,
    auth=None,
    summary="Start writing: a signed start time for the public form",
)
def feedback_form(request):
    return {"started": spam.started_token(), "min_seconds": spam.min_seconds()}


@router.post(
    "/feedback",
    response={201: FeedbackCreatedOut},
    auth=None,
    summary="Write to us (public); returns the private follow-up key",
)
def feedback_submit(request, payload: FeedbackIn):
    try:
        signal, key = services.feedback_submit(
            words=payload.words,
            kind=payload.kind,
            name=payload.name,
            email=payload.email,
            offer_slug=payload.offer,
            started=payload.started,
            honeypot=payload.website,
            ip=client_address(request),
        )
    except spam.SpamRefused as refusal:
        raise HttpError(
            429 if "several messages" in str(refusal) else 400, str(refusal)
        ) from None
    # the installation's address, not the Host header: the link is e-mailed
    follow_url = absolute(reverse("feedback:follow", args=[key]))
    if signal.sender_email:
        email_follow_link.enqueue(signal.pk, follow_url)
    return Status(
        201,
        {
            "key": key,
            "follow_url": follow_url,
            "team": signal.team.name,
            "state": signal.state,
        },
    )


@router.get(
    "/feedback/{key}",
    response=FeedbackFollowOut,
    auth=None,
    summary="Follow your message with its private key (public)",
)
def feedback_follow(request, key: str):
    signal = services.signal_by_key(key)
    if signal is None:
        raise HttpError(404, "Not found.")
    view = selectors.public_view(signal)
    return {
        "words": signal.words,
        "state": view["state"],
        "decline_reason": view["decline_reason"],
        "team": view["team_name"],
        "created_at": signal.created_at,
        "replies": [
            {"text": r.text, "created_at": r.created_at} for r in view["replies"]
        ],
        "history": [
            {
                "state": e.state if e.kind == SignalEvent.Kind.STATE else "received",
                "note": e.note if e.kind == SignalEvent.Kind.STATE else "",
                "created_at": e.created_at,
            }
            for e in view["events"]
        ],
    }
