"""Sensing: grouping signals, keeping groups stable, acting on a group."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from purposeful.feedback.models import Signal
from purposeful.offers.models import Offer
from purposeful.sensing import clustering, selectors, services
from purposeful.sensing.models import SensingRun

BRAKES = [
    "The brakes squeak after the rain",
    "Brakes squeak and rub on the rim",
    "Squeaking brakes again after repair",
    "My brakes squeak when wet",
    "Brake pads worn, brakes squeak loudly",
    "The rear brakes squeak downhill",
]
CARGO = [
    "Could you rent out a cargo bike for moving day",
    "We need a cargo bike for the school run",
    "Cargo bike rental for a weekend market",
    "Is there a cargo bike to rent for deliveries",
    "Rent a cargo bike for carrying children",
    "Cargo bike rental would help our bakery",
]


@pytest.fixture(autouse=True)
def _words_only(monkeypatch):
    """Group by words whether or not the ``semantic`` extra is installed here.

    The test that needs the embedder path sets its own stand-in.
    """
    monkeypatch.setattr(services, "_embedder", lambda: None)


def _signals(team, texts):
    return [Signal.objects.create(team=team, kind="need", words=t) for t in texts]


def test_similar_texts_fall_into_groups_named_by_their_words():
    clusters = clustering.cluster_texts(BRAKES + CARGO, n_groups=2)
    names = sorted(" ".join(c.words) for c in clusters)
    assert len(clusters) == 2
    assert any("squeak" in n or "brakes" in n for n in names)
    assert any("cargo" in n or "rent" in n for n in names)
    for c in clusters:
        assert set(c.members) in ({*range(6)}, {*range(6, 12)})


def test_too_few_texts_make_no_groups():
    assert clustering.cluster_texts(["one", "two"]) == []


def test_keys_follow_the_old_group_with_most_overlap():
    old = {"aaaa": {1, 2, 3, 4}, "bbbb": {5, 6, 7}}
    assert clustering.match_keys([{5, 6, 7, 8}, {1, 2, 3}, {9, 10}], old) == [
        "bbbb",
        "aaaa",
        None,
    ]


def test_compute_stores_groups_across_teams_with_counts(cast):
    _signals(cast.team, BRAKES)
    _signals(cast.other_team, CARGO)
    run = services.sensing_compute()
    assert run.state == SensingRun.State.FINISHED
    assert run.signal_count == 12
    groups = list(selectors.groups())
    assert sum(g.size for g in groups) == 12
    assert all(g.name for g in groups)
    counts = selectors.monthly_counts(groups[0])
    assert len(counts) == 12
    assert counts[-1][1] == groups[0].size


def test_groups_keep_their_keys_when_signals_did_not_change(cast):
    _signals(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    first = {g.key: g.size for g in selectors.groups()}
    services.sensing_compute()
    assert {g.key: g.size for g in selectors.groups()} == first
    assert SensingRun.objects.filter(groups__isnull=False).distinct().count() == 1


def test_recompute_is_queued_and_runs_in_the_background(
    cast, django_capture_on_commit_callbacks
):
    _signals(cast.team, BRAKES + CARGO)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.sensing_request(actor=cast.owner)
    run.refresh_from_db()
    assert run.state == SensingRun.State.FINISHED
    assert selectors.groups().exists()


def test_anonymous_visitor_cannot_recompute(cast):
    with pytest.raises(PermissionDenied):
        services.sensing_request(actor=cast.anonymous)


def test_group_becomes_an_offer_draft_of_a_team_the_member_is_in(cast):
    _signals(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    group = selectors.groups().first()
    offer = services.group_to_offer(actor=cast.owner, group=group, team=cast.team)
    assert offer.state == Offer.State.DRAFT
    assert group.name in offer.working_version.name


def test_member_of_other_team_cannot_turn_a_group_into_its_offer(cast):
    _signals(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    group = selectors.groups().first()
    with pytest.raises(PermissionDenied):
        services.group_to_offer(actor=cast.outsider, group=group, team=cast.team)


def test_group_is_sent_to_a_team_as_a_need(cast):
    _signals(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    group = selectors.groups().first()
    signal = services.group_to_signal(actor=cast.outsider, group=group, team=cast.team)
    assert signal.team == cast.team
    assert signal.kind == Signal.Kind.NEED
    assert group.name in signal.words


def test_a_need_sent_from_sensing_says_it_came_from_sensing_in_plain_numbers(cast):
    _signals(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    group = selectors.groups().first()
    signal = services.group_to_signal(actor=cast.owner, group=group, team=cast.team)
    assert signal.source == Signal.Source.SENSING
    assert signal.get_source_display() == "Sensing"
    assert f"{group.size} signals from 1 team)" in signal.words
    assert "(s)" not in signal.words
    offer = services.group_to_offer(actor=cast.owner, group=group, team=cast.team)
    assert "(s)" not in offer.working_version.need


def test_sentence_embeddings_replace_tfidf_when_the_lens_has_them(cast, monkeypatch):
    """With the semantic extra, groups follow the embedder's vectors; names stay words."""

    class TopicEmbedder:
        name = "fake"

        def embed_array(self, texts):
            import numpy as np

            return np.asarray(
                [[1.0, 0.0] if "cargo" in t.lower() else [0.0, 1.0] for t in texts]
            )

    monkeypatch.setattr(services, "_embedder", lambda: TopicEmbedder())
    _signals(cast.team, BRAKES + CARGO)
    run = services.sensing_compute()
    assert run.method == "semantic:fake"
    sizes = sorted(g.size for g in selectors.groups())
    assert sizes == [6, 6]


def test_opening_the_page_queues_a_run_when_signals_changed_since_an_old_one(
    cast, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    _signals(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    assert services.sensing_refresh(actor=cast.owner) is None  # fresh
    earlier = timezone.now() - timedelta(hours=3)
    Signal.objects.update(created_at=earlier, updated_at=earlier)
    SensingRun.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert services.sensing_refresh(actor=cast.owner) is None  # old, but nothing new
    _signals(cast.other_team, ["Cargo bike rental for a street party"])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.sensing_refresh(actor=cast.owner)
    run.refresh_from_db()
    assert run.state == SensingRun.State.FINISHED and run.signal_count == 13


def test_a_recompute_is_one_summary_in_the_audit_log_not_an_entry_per_group(cast):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from purposeful.sensing.models import GroupMembership, SignalGroup

    _signals(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    first = selectors.groups().count()
    before = LogEntry.objects.count()
    run = services.sensing_compute()
    entries = LogEntry.objects.order_by("pk")[before:]
    derived = ContentType.objects.get_for_models(SignalGroup, GroupMembership)
    assert not [e for e in entries if e.content_type in derived.values()]
    assert len(entries) == 1
    summary = entries[0]
    assert summary.actor is None and summary.object_id == run.pk
    assert summary.changes_dict["emerging needs"] == [str(first), str(run.group_count)]
    assert summary.changes_dict["signals grouped"][1] == str(len(BRAKES + CARGO))


def test_a_run_whose_task_ended_without_it_is_not_waited_on(
    cast, settings, django_capture_on_commit_callbacks
):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sensing_request(actor=cast.owner)
    first.refresh_from_db()
    assert first.task_id
    assert services.sensing_request(actor=cast.owner) == first  # alive: one at a time
    assert selectors.pending_run() == first
    # its worker was lost too often: the task failed while the run stayed "queued"
    DBTaskResult.objects.filter(pk=first.task_id).update(status=TaskResultStatus.FAILED)
    assert selectors.pending_run() is None
    with django_capture_on_commit_callbacks(execute=True):
        second = services.sensing_request(actor=cast.owner)
    assert second != first
    first.refresh_from_db()
    assert first.state == SensingRun.State.FAILED
    assert "stopped before it finished" in first.error
