"""Every write of sensing: computing the groups, and acting on a group."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from purposeful.audit.context import housekeeping
from purposeful.core.limits import max_length
from purposeful.feedback.models import Signal
from purposeful.organisation.models import Team
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in
from purposeful.sensing import clustering, selectors
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
        np.asarray(embedder.embed(texts[start : start + BATCH]), dtype=np.float32)
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


def _compute(run: SensingRun, summary: dict[str, tuple[Any, Any]]) -> None:
    try:
        rows = list(
            Signal.objects.filter(merged_into__isnull=True)
            .order_by("pk")
            .values_list("pk", "words", "team_id", "created_at")
        )
        ids = [r[0] for r in rows]
        embedder = _embedder()
        clusters = clustering.cluster_texts(
            [r[1] for r in rows],
            embed=(lambda texts: _embed_all(embedder, texts)) if embedder else None,
        )
        teams_of = {r[0]: r[2] for r in rows}
        created = {r[0]: r[3] for r in rows}
        method = f"semantic:{embedder.name}" if embedder else "tfidf"
        before = SignalGroup.objects.exclude(run=run).count()
        _store(run, clusters, ids, teams_of, created, method)
    except Exception as error:
        SensingRun.objects.filter(pk=run.pk).update(
            state=SensingRun.State.FAILED, error=str(error)[:2000]
        )
        raise
    summary["emerging needs"] = (before, len(clusters))
    summary["signals grouped"] = ("", len(ids))


@transaction.atomic
def _store(
    run: SensingRun,
    clusters: list[clustering.Cluster],
    ids: list[int],
    teams_of: dict[int, int],
    created: dict[int, Any],
    method: str,
) -> None:
    previous = (
        SensingRun.objects.filter(state=SensingRun.State.FINISHED)
        .exclude(pk=run.pk)
        .order_by("-created_at", "-pk")
        .first()
    )
    old: dict[str, set[int]] = {}
    first_seen: dict[str, Any] = {}
    if previous is not None:
        for group in previous.groups.all():
            old[group.key] = set(
                GroupMembership.objects.filter(group=group).values_list(
                    "signal_id", flat=True
                )
            )
            first_seen[group.key] = group.first_seen_at
    members = [{ids[i] for i in c.members} for c in clusters]
    keys = clustering.match_keys(members, old)
    now = timezone.now()
    groups = []
    for cluster, member_ids, key in zip(clusters, members, keys, strict=True):
        key = key or secrets.token_hex(4)
        groups.append(
            SignalGroup(
                run=run,
                key=key,
                name=", ".join(cluster.words),
                words=cluster.words,
                size=len(member_ids),
                team_count=len({teams_of[i] for i in member_ids}),
                first_seen_at=first_seen.get(key)
                or min((created[i] for i in member_ids), default=now),
            )
        )
    SignalGroup.objects.bulk_create(groups)
    saved = {g.key: g for g in SignalGroup.objects.filter(run=run)}
    links = [
        GroupMembership(group=saved[g.key], signal_id=signal_id)
        for g, member_ids in zip(groups, members, strict=True)
        for signal_id in sorted(member_ids)
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
        signal_count=len(ids),
        group_count=len(groups),
        finished_at=timezone.now(),
    )


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
