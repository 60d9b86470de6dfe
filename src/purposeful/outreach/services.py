"""Every write to messages, the lens settings and site reviews, through the permission layer.

A message moves draft → asking for advice → ready → published. Every change of its
words is kept as a version, reviewed by the organisation's lens when saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import ngettext

from purposeful import events
from purposeful.core.limits import max_length
from purposeful.core.locking import check_version, version_token
from purposeful.lens import CATEGORY_IDS, SEVERITIES, Review, ReviewLimitError
from purposeful.organisation.models import Team
from purposeful.outreach import lens_service, reviewing
from purposeful.outreach.models import (
    BODY_MAX_CHARS,
    Advice,
    LensSettings,
    Message,
    MessageVersion,
    SitePage,
    SiteReview,
    SubstantiatedClaim,
)
from purposeful.outreach.uploads import read_uploads
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in

State = Message.State


def _clean_body(body: str) -> str:
    return body.replace("\r\n", "\n").strip("\n")


@dataclass(frozen=True, slots=True)
class _Reviewed:
    """The lens's review of a message's words, made before a transaction opens."""

    body: str
    data: dict[str, Any]
    lens_version: str


def _review_words(body: str) -> _Reviewed:
    # Called outside transactions: a review takes as long as reading the text, and
    # inside one it would hold SQLite's write lock (and every other write) as long.
    config = lens_service.lens_config()
    try:
        review = lens_service.review_text(body, markup="markdown", config=config)
    except ReviewLimitError as error:
        raise ValidationError(
            {"body": f"The lens cannot review this text: {error}."}
        ) from None
    return _Reviewed(
        body, reviewing.review_data(review), lens_service.lens_version(config)
    )


def _version_add(
    *, message: Message, author: Any, reviewed: _Reviewed
) -> MessageVersion:
    last = message.versions.aggregate(n=Max("number"))["n"] or 0
    data = reviewed.data
    return MessageVersion.objects.create(
        message=message,
        number=last + 1,
        title=message.title,
        body=message.body,
        author=author,
        category_counts=data["counts"],
        error_count=sum(1 for f in data["findings"] if f["severity"] == "error"),
        purpose_alignment=data["purpose_alignment"],
        alignment_method=data["alignment_method"] or "",
        review=data,
        lens_version=reviewed.lens_version,
    )


def message_create(
    *,
    actor: Actor,
    team: Team,
    title: str,
    body: str,
    channel: str = Message.Channel.NEWSLETTER,
    audience: str = "",
    offers: Iterable[Any] | None = None,
) -> Message:
    """Start a draft for ``team``; its first version is reviewed at once."""
    check(actor, Action.CREATE_MESSAGE, team)
    message = Message(
        team=team,
        title=title.strip(),
        body=_clean_body(body),
        channel=channel,
        audience=audience.strip(),
        created_by=signed_in(actor),
    )
    message.full_clean()
    reviewed = _review_words(message.body)
    with transaction.atomic():
        message.save()
        if offers is not None:
            message.offers.set(offers)
        _version_add(message=message, author=actor, reviewed=reviewed)
    return message


def message_edit_version(message: Message) -> str:
    """The optimistic-locking token of a message as an editor sees it."""
    return version_token(message.updated_at)


def message_update(
    *,
    actor: Actor,
    message: Message,
    title: str | None = None,
    body: str | None = None,
    channel: str | None = None,
    audience: str | None = None,
    offers: Iterable[Any] | None = None,
    expected_version: str | None = None,
) -> Message:
    """Change a message that has not gone out; new words make a new version.

    A message that was ready goes back to draft when its words change: the
    advice was given on other words. With ``expected_version`` (the message's
    ``message_edit_version`` when the editor opened it), a change someone else
    made in between is not overwritten.
    """
    check(actor, Action.CHANGE_MESSAGE, message)
    new_title = title.strip() if title is not None else message.title
    new_body = _clean_body(body) if body is not None else message.body
    reviewed = None
    if (new_title, new_body) != (message.title, message.body) and len(
        new_body
    ) <= BODY_MAX_CHARS:  # a longer body is refused by full_clean, unreviewed
        reviewed = _review_words(new_body)
    return _message_update(
        actor=actor,
        message=message,
        title=title,
        body=body,
        channel=channel,
        audience=audience,
        offers=offers,
        expected_version=expected_version,
        reviewed=reviewed,
    )


@transaction.atomic
def _message_update(
    *,
    actor: Actor,
    message: Message,
    title: str | None,
    body: str | None,
    channel: str | None,
    audience: str | None,
    offers: Iterable[Any] | None,
    expected_version: str | None,
    reviewed: _Reviewed | None,
) -> Message:
    if expected_version is not None:
        current = Message.objects.select_for_update().get(pk=message.pk)
        check_version(
            expected=expected_version,
            current=message_edit_version(current),
            what="this message",
            record=current,
            changed_at=current.updated_at,
        )
    if message.is_published:
        raise ValidationError(
            "A published message cannot change; write a new one for what comes next."
        )
    words_before = (message.title, message.body)
    if title is not None:
        message.title = title.strip()
    if body is not None:
        message.body = _clean_body(body)
    if channel is not None:
        message.channel = channel
    if audience is not None:
        message.audience = audience.strip()
    words_changed = (message.title, message.body) != words_before
    if words_changed and message.state == State.READY:
        message.state = State.DRAFT
    message.updated_at = timezone.now()
    message.full_clean()
    message.save()
    if offers is not None:
        message.offers.set(offers)
    if words_changed:
        assert reviewed is not None and reviewed.body == message.body
        _version_add(message=message, author=actor, reviewed=reviewed)
    return message


def message_review_get(*, message: Message) -> Review:
    """The lens's review of the message's words, as stored with its latest version.

    When the lens or the organisation's lens settings changed since that version
    was saved, the words are reviewed again (never inside a transaction) and the
    new review stored in place of the old.
    """
    config = lens_service.lens_config()
    current = lens_service.lens_version(config)
    version = message.latest_version
    if version is not None and version.body != message.body:
        version = None
    if version is not None and version.lens_version == current:
        return reviewing.review_from_data(version.review)
    try:
        review = lens_service.review_text(
            message.body, markup="markdown", config=config
        )
    except ReviewLimitError:
        # the review kept from before, rather than none
        return reviewing.review_from_data(version.review if version else {})
    if version is not None:
        MessageVersion.objects.filter(pk=version.pk).update(
            review=reviewing.review_data(review), lens_version=current
        )
    return review


def message_delete(*, actor: Actor, message: Message) -> None:
    check(actor, Action.CHANGE_MESSAGE, message)
    if message.is_published:
        raise ValidationError(
            "A published message stays on record; it cannot be deleted."
        )
    message.delete()


def message_ask_advice(*, actor: Actor, message: Message, note: str = "") -> Message:
    """Ask colleagues for advice before the message goes out."""
    check(actor, Action.CHANGE_MESSAGE, message)
    if message.state != State.DRAFT:
        raise ValidationError(
            f"Only a draft can ask for advice; this message is {message.get_state_display().lower()}."
        )
    message.state = State.ADVICE
    message.advice_note = note.strip()
    message.updated_at = timezone.now()
    message.save(update_fields=["state", "advice_note", "updated_at"])
    return message


def message_give_advice(*, actor: Actor, message: Message, text: str) -> Advice:
    """Any member may advise; advice informs the team and never blocks."""
    check(actor, Action.GIVE_MESSAGE_ADVICE, message)
    if message.is_published:
        raise ValidationError("This message has gone out; advice is closed.")
    advice = Advice(
        message=message, author=signed_in(actor), text=Advice.checked_text(text)
    )
    advice.full_clean()
    advice.save()
    return advice


def message_mark_ready(*, actor: Actor, message: Message) -> Message:
    """The team has weighed the advice and is ready to send the message."""
    check(actor, Action.CHANGE_MESSAGE, message)
    if message.state != State.ADVICE:
        raise ValidationError(
            "Ask for advice first: a message is ready once colleagues could advise on it."
        )
    message.state = State.READY
    message.updated_at = timezone.now()
    message.save(update_fields=["state", "updated_at"])
    return message


def message_publish(
    *, actor: Actor, message: Message, where: str, when: datetime | None = None
) -> Message:
    """Record that the message went out, where and when.

    When the stewards chose so, a message with an ``error`` finding of the lens
    cannot be published until its words change.
    """
    check(actor, Action.PUBLISH_MESSAGE, message)
    if message.state != State.READY:
        raise ValidationError("Only a message that is ready can be published.")
    where = where.strip()
    if not where:
        raise ValidationError({"where": "Say where it went out: a link or a channel."})
    if lens_service.lens_settings_get().errors_block_publishing:
        review = message_review_get(message=message)
        errors = [f for f in review.findings if f.severity == "error"]
        if errors:
            labels = ", ".join(sorted({reviewing.category_label(f.id) for f in errors}))
            raise ValidationError(
                ngettext(
                    "The lens finds %(count)d error (%(labels)s)",
                    "The lens finds %(count)d errors (%(labels)s)",
                    len(errors),
                )
                % {"count": len(errors), "labels": labels}
                + "; the organisation does not publish such copy. Rewrite those "
                "passages first."
            )
    message.state = State.PUBLISHED
    message.published_where = where
    message.published_at = when or timezone.now()
    message.updated_at = timezone.now()
    message.full_clean()
    message.save()
    events.emit(events.MessagePublished(message))
    return message


# -- the lens settings -----------------------------------------------------------


def _names(value: str | Iterable[str]) -> str:
    items = value.splitlines() if isinstance(value, str) else list(value)
    seen: dict[str, str] = {}
    for item in items:
        item = item.strip()
        if item:
            seen.setdefault(item.lower(), item)
    return "\n".join(seen.values())


@transaction.atomic
def lens_settings_update(
    *,
    actor: Actor,
    competitors: str | Iterable[str] | None = None,
    allies: str | Iterable[str] | None = None,
    grades: dict[str, str] | None = None,
    errors_block_publishing: bool | None = None,
    claims: Iterable[tuple[str, str]] | None = None,
) -> LensSettings:
    """Change how the organisation's lens judges copy (stewards)."""
    check(actor, Action.CONFIGURE_LENS)
    settings = lens_service.lens_settings_get()
    if competitors is not None:
        settings.competitors = _names(competitors)
    if allies is not None:
        settings.allies = _names(allies)
    if grades is not None:
        families = {c.split(".")[0] for c in CATEGORY_IDS}
        clean: dict[str, str] = {}
        for finding_id, grade in grades.items():
            if finding_id not in CATEGORY_IDS and finding_id not in families:
                raise ValidationError({"grades": f"Unknown finding id {finding_id!r}."})
            if grade not in (*SEVERITIES, "off", "default", ""):
                raise ValidationError(
                    {"grades": f"{finding_id}: choose error, warning, info or off."}
                )
            if grade not in ("default", ""):
                clean[finding_id] = grade
        settings.grades = clean
    if errors_block_publishing is not None:
        settings.errors_block_publishing = errors_block_publishing
    if claims is not None:
        rows = []
        for text, evidence in claims:
            claim = SubstantiatedClaim(
                settings=settings, text=text.strip(), evidence=evidence.strip()
            )
            try:
                claim.full_clean(exclude=["settings"])
            except ValidationError as error:
                raise ValidationError(
                    {
                        "claims": f"{text.strip() or '(empty)'}: "
                        + " ".join(error.messages)
                    }
                ) from None
            rows.append(claim)
        settings.claims.all().delete()
        SubstantiatedClaim.objects.bulk_create(rows)
    settings.updated_at = timezone.now()
    settings.updated_by = signed_in(actor)
    settings.full_clean()
    settings.save()
    return settings


# -- site reviews -----------------------------------------------------------------


@transaction.atomic
def _site_review_create(*, actor: Actor, name: str, pages) -> SiteReview:
    readable = sum(1 for p in pages if p.is_readable)
    site_review = SiteReview.objects.create(
        name=name, created_by=signed_in(actor), pages_total=readable
    )
    SitePage.objects.bulk_create(
        SitePage(
            site_review=site_review,
            path=page.path[: max_length(SitePage, "path")],
            markup=page.markup,
            text=page.text,
            words=len(page.text.split()),
            status=SitePage.Status.PENDING
            if page.is_readable
            else SitePage.Status.REJECTED,
            problem=page.problem[: max_length(SitePage, "problem")],
        )
        for page in pages
    )
    return site_review


def site_review_create(
    *, actor: Actor, name: str, files: Iterable[tuple[str, BinaryIO]]
) -> SiteReview:
    """Read the uploaded files into a site review whose pages wait for the lens.

    Files that cannot be read are kept in the report with the reason; the others
    are reviewed all the same.
    """
    check(actor, Action.REVIEW_SITE)
    pages = read_uploads(files)
    if not pages:
        raise ValidationError({"files": "Choose at least one file to review."})
    name = name.strip() or pages[0].path.split("/")[0]
    return _site_review_create(
        actor=actor, name=name[: max_length(SiteReview, "name")], pages=pages
    )


def site_review_start(
    *, actor: Actor, name: str, files: Iterable[tuple[str, BinaryIO]]
) -> SiteReview:
    """Create the site review and review its pages in the background."""
    site_review = site_review_create(actor=actor, name=name, files=files)
    from purposeful.outreach.tasks import review_site

    transaction.on_commit(lambda: review_site.enqueue(site_review.pk))
    return site_review


def site_review_run(site_review: SiteReview, *, batch: int = 25) -> SiteReview:
    """Review the waiting pages of ``site_review``, saving progress after each batch."""
    SiteReview.objects.filter(pk=site_review.pk).update(state=SiteReview.State.RUNNING)
    # read once: every page of the site is judged by the same settings
    config = lens_service.lens_config()
    method = ""
    done = 0
    while True:
        pages = list(
            site_review.pages.filter(status=SitePage.Status.PENDING).order_by("pk")[
                :batch
            ]
        )
        if not pages:
            break
        for markup in reviewing.MARKUPS:
            group = [p for p in pages if p.markup == markup]
            if not group:
                continue
            try:
                results = lens_service.review_texts(
                    [p.text for p in group], markup=markup, config=config
                )
            except Exception as error:  # one bad batch must not stop the site
                for page in group:
                    page.status = SitePage.Status.REJECTED
                    page.problem = (
                        f"the lens could not read it ({type(error).__name__})"
                    )
                continue
            now = timezone.now()
            for page, result in zip(group, results, strict=True):
                page.status = SitePage.Status.REVIEWED
                page.findings = [reviewing.finding_data(f) for f in result.findings]
                page.category_counts = reviewing.category_counts(result)
                page.purpose_alignment = result.purpose_alignment
                page.reviewed_at = now
                method = result.alignment_method or method
        SitePage.objects.bulk_update(
            pages,
            [
                "status",
                "problem",
                "findings",
                "category_counts",
                "purpose_alignment",
                "reviewed_at",
            ],
        )
        done += len(pages)
        SiteReview.objects.filter(pk=site_review.pk).update(
            pages_done=min(done, site_review.pages_total)
        )
    SiteReview.objects.filter(pk=site_review.pk).update(
        state=SiteReview.State.DONE,
        pages_done=site_review.pages_total,
        finished_at=timezone.now(),
        alignment_method=method,
    )
    site_review.refresh_from_db()
    return site_review
