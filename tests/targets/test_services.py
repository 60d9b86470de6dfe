"""Targets are the team's own: set, changed, closed and deleted only from inside it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from purposeful.targets import services
from purposeful.targets.models import CheckIn, Comment, Target
from tests.targets.factories import target as make_target

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31)}


def _create(cast, actor, team=None, **fields):
    return services.target_create(
        actor=actor,
        team=team or cast.team,
        title=fields.pop("title", "Run 12 evening courses this year"),
        why=fields.pop("why", "People who can fix their bike keep riding it."),
        **{**PERIOD, **fields},
    )


def test_member_sets_a_target_for_their_team_shared_by_default(cast):
    target = _create(cast, cast.owner, measure_unit="courses", measure_target=12)
    assert target.team == cast.team
    assert target.is_shared
    assert target.created_by == cast.owner
    assert target.measure_display == "12 courses"


@pytest.mark.parametrize("role", ["anonymous", "outsider", "steward"])
def test_no_one_outside_the_team_can_set_its_targets(cast, role):
    with pytest.raises(PermissionDenied):
        _create(cast, cast.by_role(role))
    assert not Target.objects.exists()


def test_refusal_names_the_team(cast):
    with pytest.raises(PermissionDenied, match="Only members of Workshop can set"):
        _create(cast, cast.outsider)


def test_steward_in_the_team_may_set_its_targets(cast):
    assert _create(cast, cast.steward_in_team).team == cast.team


def test_member_of_other_team_cannot_change_close_let_go_or_delete(cast):
    target = cast.target
    with pytest.raises(PermissionDenied):
        services.target_update(actor=cast.outsider, target=target, title="Ours now")
    with pytest.raises(PermissionDenied):
        services.target_close(actor=cast.outsider, target=target)
    with pytest.raises(PermissionDenied):
        services.target_let_go(actor=cast.outsider, target=target, reason="Because")
    with pytest.raises(PermissionDenied):
        services.target_delete(actor=cast.steward, target=target)
    target.refresh_from_db()
    assert target.title.startswith("Repair rather")
    assert target.is_open


def test_a_target_cannot_be_moved_to_another_team(cast):
    with pytest.raises(ValidationError, match="stays with the team"):
        services.target_update(
            actor=cast.owner, target=cast.target, team=cast.other_team
        )
    assert Target.objects.get(pk=cast.target.pk).team == cast.team


def test_period_must_end_after_it_starts(cast):
    with pytest.raises(ValidationError) as error:
        _create(
            cast, cast.owner, period_start=date(2026, 6, 1), period_end=date(2026, 1, 1)
        )
    assert "period_end" in error.value.message_dict


def test_a_number_needs_a_unit(cast):
    with pytest.raises(ValidationError) as error:
        _create(cast, cast.owner, measure_target=Decimal("12"))
    assert "measure_unit" in error.value.message_dict


def test_letting_go_needs_a_reason_and_keeps_it(cast):
    with pytest.raises(ValidationError):
        services.target_let_go(actor=cast.owner, target=cast.target, reason="  ")
    services.target_let_go(
        actor=cast.owner, target=cast.target, reason="Customers want e-bike repairs."
    )
    target = Target.objects.get(pk=cast.target.pk)
    assert target.is_let_go
    assert target.closing_note == "Customers want e-bike repairs."
    assert target.closed_at is not None


def test_closed_target_can_be_reopened_by_its_team(cast):
    services.target_close(actor=cast.owner, target=cast.target, note="We did it.")
    services.target_reopen(actor=cast.owner, target=cast.target)
    assert Target.objects.get(pk=cast.target.pk).is_open


def test_check_in_records_value_and_reflection(cast):
    check_in = services.check_in_create(
        actor=cast.owner,
        target=cast.target,
        value=Decimal("7"),
        learned="Most chains can be saved with a proper clean.",
        sensed="People ask for e-bike batteries.",
        still_makes_sense="unsure",
    )
    assert check_in.author == cast.owner
    assert check_in.value_display == "7"
    assert cast.target.check_ins.count() == 1


def test_check_in_needs_what_we_learned(cast):
    with pytest.raises(ValidationError) as error:
        services.check_in_create(actor=cast.owner, target=cast.target, learned="")
    assert "learned" in error.value.message_dict
    assert not CheckIn.objects.exists()


def test_value_on_a_target_without_measure_is_refused(cast):
    target = make_target(cast.team, measure_target=None)
    with pytest.raises(ValidationError):
        services.check_in_create(
            actor=cast.owner, target=target, learned="x", value=Decimal("1")
        )


def test_member_of_other_team_cannot_check_in(cast):
    with pytest.raises(PermissionDenied):
        services.check_in_create(actor=cast.outsider, target=cast.target, learned="x")


def test_no_check_in_on_a_target_let_go(cast):
    services.target_let_go(actor=cast.owner, target=cast.target, reason="Learned")
    with pytest.raises(ValidationError, match="closed"):
        services.check_in_create(actor=cast.owner, target=cast.target, learned="x")


def test_anyone_in_the_organisation_comments_on_a_shared_target(cast):
    comment = services.comment_create(
        actor=cast.outsider, target=cast.target, text="Could Learning Lab help?"
    )
    assert comment.author == cast.outsider
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=cast.anonymous, target=cast.target, text="Hi")


def test_team_only_target_is_closed_to_comments_from_outside(cast):
    with pytest.raises(PermissionDenied, match="keeps this target inside"):
        services.comment_create(
            actor=cast.outsider, target=cast.private_target, text="x"
        )
    assert not Comment.objects.exists()


def test_only_stewards_make_the_dashboard_public(cast):
    with pytest.raises(PermissionDenied):
        services.dashboard_settings_update(actor=cast.owner, is_public=True)
    services.dashboard_settings_update(actor=cast.steward, is_public=True)
    assert services.dashboard_settings_get().is_public


ROW = {
    "team": "workshop",
    "title": "Fix 40 wheels",
    "why": "Wheels are our craft.",
    "period_start": "2026-01-01",
    "period_end": "2026-06-30",
    "measure_unit": "wheels",
    "measure_target": "40",
    "shared": "yes",
}


def test_import_creates_every_row(cast):
    created = services.targets_import(
        actor=cast.owner, rows=[ROW, {**ROW, "title": "Keep it inside", "shared": "no"}]
    )
    assert [t.title for t in created] == ["Fix 40 wheels", "Keep it inside"]
    assert not Target.objects.get(title="Keep it inside").is_shared


def test_import_is_all_or_nothing_with_an_error_per_line(cast):
    rows = [
        ROW,
        {**ROW, "team": "learning-lab"},
        {**ROW, "period_start": "soon"},
        {**ROW, "team": "nowhere"},
    ]
    with pytest.raises(services.ImportRefused) as refused:
        services.targets_import(actor=cast.owner, rows=rows)
    messages = [str(e) for e in refused.value.errors]
    assert messages[0] == "line 3: Only members of Learning Lab can set its targets."
    assert messages[1].startswith("line 4: period_start must be a date")
    assert messages[2] == "line 5: there is no team 'nowhere'"
    assert not Target.objects.exists()


def test_import_refuses_unknown_columns(cast):
    with pytest.raises(services.ImportRefused, match="attention") as refused:
        services.targets_import(actor=cast.owner, rows=[{**ROW, "owner_team": "x"}])
    assert "unknown column owner_team" in str(refused.value.errors[0])


def _call(cast, name, actor):
    target = cast.target
    calls = {
        "create": lambda: _create(cast, actor),
        "update": lambda: services.target_update(
            actor=actor, target=target, title="New"
        ),
        "close": lambda: services.target_close(actor=actor, target=target),
        "let_go": lambda: services.target_let_go(
            actor=actor, target=target, reason="x"
        ),
        "reopen": lambda: services.target_reopen(actor=actor, target=target),
        "delete": lambda: services.target_delete(actor=actor, target=target),
        "check_in": lambda: services.check_in_create(
            actor=actor, target=target, learned="x"
        ),
        "comment": lambda: services.comment_create(
            actor=actor, target=target, text="x"
        ),
        "dashboard": lambda: services.dashboard_settings_update(
            actor=actor, is_public=True
        ),
    }
    if name == "reopen":
        target.state = Target.State.LET_GO
        target.save()
    return calls[name]()


# service: roles allowed (anonymous, owner, outsider, steward)
SERVICE_MATRIX = {
    "create": "NYNN",
    "update": "NYNN",
    "close": "NYNN",
    "let_go": "NYNN",
    "reopen": "NYNN",
    "delete": "NYNN",
    "check_in": "NYNN",
    "comment": "NYYY",
    "dashboard": "NNNY",
}


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        (name, role, answer == "Y")
        for name, row in SERVICE_MATRIX.items()
        for role, answer in zip(
            ["anonymous", "owner", "outsider", "steward"], row, strict=True
        )
    ],
)
def test_service_matrix(cast, name, role, expected):
    actor = cast.by_role(role)
    cast.target  # noqa: B018 - the record every action is tried on
    if expected:
        _call(cast, name, actor)
    else:
        before = Target.objects.count()
        with pytest.raises(PermissionDenied):
            _call(cast, name, actor)
        assert Target.objects.count() == before
        assert not CheckIn.objects.exists() and not Comment.objects.exists()
