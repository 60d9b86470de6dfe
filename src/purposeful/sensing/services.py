"""Every write of sensing: computing the groups, and acting on a group."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

from purposeful.audit.context import housekeeping
from purposeful.core.limits import max_length
from purposeful.feedback.models import Signal
from purposeful.organisation.models import Team
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in
from purposeful.sensing import clustering, grouping, selectors
from purposeful.sensing.models import GroupMembership, SensingRun, SignalGroup

BATCH = 5000
# Groups older than this are recomputed when a member opens the page and signals changed.
STALE_AFTER = timedelta(hours=1)


def _embedder() -> Any:
    """The lens's sentence embedder when the ``semantic`` extra is installed."""
    if getattr(settings, "SENSING_METHOD", "auto") == "tfidf":
        return None
    from purposeful.lens._semantic import load_embedder

    return load_embedder()


def _embed_all(embedder: Any, texts: list[str]) -> Any:
    """Embeddings in batches, straight into one float32 array (200,000 texts fit)."""
    import numpy as np

    parts = [
        embedder.embed_array(texts[start : start + BATCH])
        for start in range(0, len(texts), BATCH)
    ]
    return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def sensing_request(*, actor: Actor) -> SensingRun:
    """Ask for the groups to be recomputed in the background; one queued run at a time."""
    check(actor, Action.RUN_SENSING)
    from purposeful.sensing.tasks import sensing_compute_task

    for pending in SensingRun.objects.filter(
        state__in=[SensingRun.State.QUEUED, SensingRun.State.RUNNING]
    ).order_by("-created_at", "-pk"):
        if not selectors.run_is_dead(pending):
            return pending
        # its task ended without finishing it: nobody will, so it is not waited on
        SensingRun.objects.filter(pk=pending.pk).update(
            state=SensingRun.State.FAILED,
            error="Its background task stopped before it finished.",
        )
    run = SensingRun.objects.create(
        requested_by=signed_in(actor) if actor.is_authenticated else None
    )

    def enqueue() -> None:
        result = sensing_compute_task.enqueue(run.pk)
        SensingRun.objects.filter(pk=run.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return run


def sensing_is_stale(*, max_age: timedelta = STALE_AFTER) -> bool:
    """Whether signals arrived or changed since the last run, and it is old enough
    that recomputing is worth it."""
    latest = (
        SensingRun.objects.filter(state=SensingRun.State.FINISHED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return Signal.objects.exists()
    if timezone.now() - latest.created_at < max_age:
        return False
    return Signal.objects.filter(updated_at__gt=latest.created_at).exists() or (
        Signal.objects.filter(created_at__gt=latest.created_at).exists()
    )


def sensing_refresh(*, actor: Actor) -> SensingRun | None:
    """Queue a recomputation when the groups are stale; members opening the
    sensing page keep it fresh without anyone pressing a button."""
    check(actor, Action.VIEW_SENSING)
    if not sensing_is_stale():
        return None
    return sensing_request(actor=actor)


def sensing_compute(*, run: SensingRun | None = None) -> SensingRun:
    """Group every signal (merged duplicates left out) and replace the last groups.

    Called by the background task and the CLI; it changes no one's records, so it
    needs no actor.
    """
    if run is None:
        # no one asked for this run: the summary entry below is its whole record
        with disable_auditlog():
            run = SensingRun.objects.create()
    started = time.perf_counter()
    SensingRun.objects.filter(pk=run.pk).update(state=SensingRun.State.RUNNING)
    with housekeeping(run) as summary:
        _compute(run, summary)
        run.refresh_from_db()
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["seconds"])
    return run


@dataclass(frozen=True)
class _Found:
    """One group as a run found it, before it is matched to the last run's."""

    members: set[int]
    name: str
    words: list[str]
    quote: str
    centroid: list[float]


def _compute(run: SensingRun, summary: dict[str, tuple[Any, Any]]) -> None:
    try:
        rows = list(
            Signal.objects.filter(merged_into__isnull=True)
            .order_by("pk")
            .values_list("pk", "words", "team_id", "created_at")
        )
        ids = [r[0] for r in rows]
        texts = [r[1] for r in rows]
        embedder = _embedder()
        found, centre = _find(embedder, ids, texts, _last_finished(run))
        teams_of = {r[0]: r[2] for r in rows}
        created = {r[0]: r[3] for r in rows}
        method = f"semantic:{embedder.name}" if embedder else "tfidf"
        before = SignalGroup.objects.exclude(run=run).count()
        _store(run, found, ids, teams_of, created, method, centre)
    except Exception as error:
        SensingRun.objects.filter(pk=run.pk).update(
            state=SensingRun.State.FAILED, error=str(error)[:2000]
        )
        raise
    summary["emerging needs"] = (before, len(found))
    summary["signals grouped"] = ("", len(ids))


def _last_finished(run: SensingRun) -> SensingRun | None:
    return (
        SensingRun.objects.filter(state=SensingRun.State.FINISHED)
        .exclude(pk=run.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


def _find(
    embedder: Any, ids: list[int], texts: list[str], last: SensingRun | None
) -> tuple[list[_Found], list[float]]:
    """Groups by meaning with the encoder; by shared words (k-means) without it.

    By meaning, centroids are compared in the last run's centred space, and found
    groups continuing one of its groups are kept together.
    """
    if embedder is None:
        found = [
            _Found(
                members={ids[i] for i in c.members},
                name=", ".join(c.words),
                words=c.words,
                quote=texts[c.members[0]],
                centroid=[],
            )
            for c in clustering.cluster_texts(texts)
        ]
        return found, []
    vectors = _embed_all(embedder, texts)
    not_needs = _embed_all(embedder, grouping.NOT_A_NEED)
    centre = grouping.common_direction(vectors).tolist()
    previous: list[list[float]] = []
    if last is not None and len(last.centre) == vectors.shape[1]:
        centre = last.centre
        previous = [g.centroid for g in last.groups.all() if g.centroid]
    groups = grouping.group_texts(
        texts, vectors, not_needs=not_needs, centre=centre, previous=previous
    )
    found = [
        _Found(
            members={ids[i] for i in g.members},
            name=g.name,
            words=g.words,
            quote=texts[g.quote],
            centroid=g.centroid,
        )
        for g in groups
    ]
    return found, [round(float(v), 6) for v in centre]


def _trend(size: int, previous: int | None) -> str:
    if previous is None:
        return SignalGroup.Trend.NEW
    if size >= previous * 1.2 and size - previous >= 2:
        return SignalGroup.Trend.GROWING
    if size <= previous * 0.8 and previous - size >= 2:
        return SignalGroup.Trend.FADING
    return SignalGroup.Trend.STEADY


def _continued(found: list[_Found], previous: list[SignalGroup]) -> list[Any]:
    """For each found group, the last run's group it continues, or None."""
    if found and previous and all(f.centroid for f in found):
        with_centroid = [g for g in previous if g.centroid]
        matches = grouping.match_groups(
            [f.centroid for f in found], [g.centroid for g in with_centroid]
        )
        return [None if m is None else with_centroid[m] for m in matches]
    old = {
        g.key: set(
            GroupMembership.objects.filter(group=g).values_list("signal_id", flat=True)
        )
        for g in previous
    }
    by_key = {g.key: g for g in previous}
    keys = clustering.match_keys([f.members for f in found], old)
    return [None if k is None else by_key[k] for k in keys]


@transaction.atomic
def _store(
    run: SensingRun,
    found: list[_Found],
    ids: list[int],
    teams_of: dict[int, int],
    created: dict[int, Any],
    method: str,
    centre: list[float],
) -> None:
    last_run = _last_finished(run)
    previous = list(last_run.groups.all()) if last_run is not None else []
    continued = _continued(found, previous)
    now = timezone.now()
    groups = []
    for item, old in zip(found, continued, strict=True):
        given = old.given_name if old is not None else ""
        groups.append(
            SignalGroup(
                run=run,
                key=old.key if old is not None else secrets.token_hex(4),
                name=given or item.name,
                found_name=item.name,
                given_name=given,
                words=item.words,
                quote=item.quote,
                centroid=item.centroid,
                size=len(item.members),
                previous_size=old.size if old is not None else 0,
                trend=_trend(len(item.members), old.size if old is not None else None),
                team_count=len({teams_of[i] for i in item.members}),
                first_seen_at=old.first_seen_at
                if old is not None
                else min((created[i] for i in item.members), default=now),
            )
        )
    SignalGroup.objects.bulk_create(groups)
    saved = {g.key: g for g in SignalGroup.objects.filter(run=run)}
    links = [
        GroupMembership(group=saved[g.key], signal_id=signal_id)
        for g, item in zip(groups, found, strict=True)
        for signal_id in sorted(item.members)
    ]
    GroupMembership.objects.bulk_create(links, batch_size=BATCH)
    # Only the newest groups are kept: older runs go with their memberships.
    older = SensingRun.objects.exclude(pk=run.pk).filter(
        state__in=[SensingRun.State.FINISHED, SensingRun.State.FAILED]
    )
    GroupMembership.objects.filter(group__run__in=older).delete()
    SignalGroup.objects.filter(run__in=older).delete()
    SensingRun.objects.filter(pk=run.pk).update(
        state=SensingRun.State.FINISHED,
        method=method,
        centre=centre,
        signal_count=len(ids),
        group_count=len(groups),
        finished_at=timezone.now(),
    )


def group_rename(*, actor: Actor, group: SignalGroup, name: str) -> SignalGroup:
    """Give a group the name members use for it; it keeps it across runs.

    A blank name gives the group back the name sensing found.
    """
    check(actor, Action.RUN_SENSING)
    name = " ".join(name.split())
    limit = max_length(SignalGroup, "given_name")
    if len(name) > limit:
        raise ValidationError(f"A group's name can be at most {limit} characters.")
    group.given_name = name
    group.name = name or group.found_name or group.name
    group.save(update_fields=["given_name", "name"])
    return group


def sensing_place(signal: Signal) -> SignalGroup | None:
    """Let a new signal join the nearest current group, without recomputing.

    Only when the groups were found by meaning and the signal is near a centroid;
    the next run places it properly either way.
    """
    if signal.merged_into_id is not None:
        return None
    latest = selectors.latest_run()
    if latest is None or not latest.method.startswith("semantic"):
        return None
    groups = [g for g in latest.groups.all() if g.centroid]
    embedder = _embedder() if groups else None
    if embedder is None:
        return None
    if len(latest.centre) != len(groups[0].centroid):
        return None
    vector = grouping.centred(_embed_all(embedder, [signal.words]), latest.centre)[0]
    index = grouping.nearest_group(
        vector.tolist(),
        [g.centroid for g in groups],
        threshold=grouping.PLACE_SIMILARITY,
    )
    if index is None:
        return None
    group = groups[index]
    _, made = GroupMembership.objects.get_or_create(group=group, signal=signal)
    if made:
        SignalGroup.objects.filter(pk=group.pk).update(size=F("size") + 1)
        group.refresh_from_db()
    return group


def _examples(group: SignalGroup, n: int = 3) -> list[str]:
    return [s.excerpt for s in group.signals.order_by("-created_at", "-pk")[:n]]


def group_to_offer(*, actor: Actor, group: SignalGroup, team: Team) -> Any:
    """Start a proposed offer draft for ``team`` from what the group's signals ask for."""
    from purposeful.offers.models import OfferVersion
    from purposeful.offers.services import offer_create

    examples = "\n".join(f"- “{e}”" for e in _examples(group))
    return offer_create(
        actor=actor,
        team=team,
        name=f"Proposal: {group.name}"[: max_length(OfferVersion, "name")],
        summary=f"A proposal from sensing: {group.size} signals about {group.name}."[
            :160
        ],
        need=(
            f"{_signals_from_teams(group)} speak of {group.name}. "
            f"For example:\n{examples}"
        )[: max_length(OfferVersion, "need")],
        purpose_fit="To be written by the team: how would this serve our purpose?",
        proud_of="To be written by the team.",
        not_good_yet="This is a proposal from sensing; nothing is decided yet.",
        best_we_can="To be written by the team.",
    )


def _signals_from_teams(group: SignalGroup) -> str:
    signals = ngettext("%(n)d signal", "%(n)d signals", group.size) % {"n": group.size}
    teams = ngettext("%(n)d team", "%(n)d teams", group.team_count) % {
        "n": group.team_count
    }
    return f"{signals} from {teams}"


def group_to_signal(*, actor: Actor, group: SignalGroup, team: Team) -> Signal:
    """Pass the emerging need on to ``team``'s inbox as one signal."""
    from purposeful.feedback.services import signal_record

    if group.size < 1:
        raise ValidationError("This group has no signals left.")
    examples = "; ".join(f"“{e}”" for e in _examples(group))
    return signal_record(
        actor=actor,
        team=team,
        kind=Signal.Kind.NEED,
        words=(
            f"Sensing found an emerging need: {group.name} "
            f"({_signals_from_teams(group)}). For example: {examples}"
        ),
        source=Signal.Source.SENSING,
        tags=["sensing"],
    )
