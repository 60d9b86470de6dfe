"""The counts the database keeps of each inbox agree with counting the signals."""

from __future__ import annotations

from django.db.models import Count

from purposeful.feedback import selectors, services
from purposeful.feedback.models import InboxCount, Signal


def _counted() -> dict[tuple[int, str], int]:
    rows = (
        Signal.objects.filter(merged_into__isnull=True)
        .values("team_id", "state")
        .annotate(n=Count("*"))
    )
    return {(row["team_id"], row["state"]): row["n"] for row in rows}


def _kept() -> dict[tuple[int, str], int]:
    return {
        (row.team_id, row.state): row.n
        for row in InboxCount.objects.all()
        if row.n  # a count that went back to nought is the same as none
    }


def _signal(team, **fields) -> Signal:
    return Signal.objects.create(team=team, words="The saddle creaks.", **fields)


def test_counts_follow_every_kind_of_write(cast):
    first = _signal(cast.team)
    second = _signal(cast.team)
    third = _signal(cast.other_team, state=Signal.State.DONE)
    assert (
        _kept()
        == _counted()
        == {
            (cast.team.pk, "new"): 2,
            (cast.other_team.pk, "done"): 1,
        }
    )

    services.signal_transition(actor=cast.owner, signal=first, to="acknowledged")
    services.signal_merge(actor=cast.owner, duplicate=second, into=first)
    assert (
        _kept()
        == _counted()
        == {
            (cast.team.pk, "acknowledged"): 1,
            (cast.other_team.pk, "done"): 1,
        }
    )

    # deleting the signal a duplicate joined puts the duplicate back (SET_NULL)
    first.delete()
    assert (
        _kept()
        == _counted()
        == {
            (cast.team.pk, "new"): 1,
            (cast.other_team.pk, "done"): 1,
        }
    )

    # moved to another team, changed in bulk, inserted in bulk, deleted in bulk
    Signal.objects.filter(pk=third.pk).update(team=cast.team, state="declined")
    Signal.objects.filter(team=cast.team, state="new").update(state="in_progress")
    Signal.objects.bulk_create(
        [Signal(team=cast.other_team, words=f"Bell {n}") for n in range(3)]
    )
    assert (
        _kept()
        == _counted()
        == {
            (cast.team.pk, "in_progress"): 1,
            (cast.team.pk, "declined"): 1,
            (cast.other_team.pk, "new"): 3,
        }
    )
    Signal.objects.filter(team=cast.other_team).delete()
    assert _kept() == _counted()


def test_an_update_that_changes_nothing_counted_leaves_the_counts(cast):
    signal = _signal(cast.team)
    signal.words = "The saddle creaks less."
    signal.save()  # every column is written, the team and state unchanged
    assert _kept() == {(cast.team.pk, "new"): 1}


def test_inbox_pages_read_the_kept_counts(cast):
    _signal(cast.team)
    _signal(cast.team, state=Signal.State.IN_PROGRESS)
    _signal(cast.team, state=Signal.State.DONE)
    merged = _signal(cast.team)
    merged.merged_into = _signal(cast.team, state=Signal.State.DONE)
    merged.save()

    assert selectors.state_counts(team=cast.team) == {
        "new": 1,
        "acknowledged": 0,
        "in_progress": 1,
        "done": 2,
        "declined": 0,
    }
    overview = {team.pk: team for team in selectors.inbox_overview()}
    assert (
        overview[cast.team.pk].new_signals,
        overview[cast.team.pk].open_signals,
    ) == (
        1,
        2,
    )
    assert overview[cast.other_team.pk].open_signals == 0
    assert dict(selectors.new_counts_for(cast.owner)) == {cast.team: 1}
