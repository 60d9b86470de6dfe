"""The admin: stewards reach it, but a team's targets stay the team's own."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.targets.models import Target

pytestmark = pytest.mark.django_db

ADD = {
    "title": "Fix 40 wheels",
    "why": "Wheels are our craft.",
    "measure_unit": "wheels",
    "measure_target": "40",
    "period_start": "2026-01-01",
    "period_end": "2026-06-30",
    "is_shared": "on",
    "check_ins-TOTAL_FORMS": "0",
    "check_ins-INITIAL_FORMS": "0",
}


def _client(member):
    client = Client()
    client.force_login(member)
    return client


def test_steward_in_no_team_sees_targets_but_cannot_add_change_or_delete(cast):
    client = _client(cast.steward)
    target = cast.target
    assert client.get("/admin/targets/target/").status_code == 200
    assert client.get("/admin/targets/target/add/").status_code == 403
    response = client.post(
        f"/admin/targets/target/{target.pk}/change/", {**ADD, "title": "Changed"}
    )
    assert response.status_code == 403
    assert (
        client.post(
            f"/admin/targets/target/{target.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    target.refresh_from_db()
    assert target.title.startswith("Repair")


def test_add_form_offers_only_the_stewards_own_teams(cast):
    response = _client(cast.steward_in_team).get("/admin/targets/target/add/")
    assert response.status_code == 200
    choices = list(response.context["adminform"].form.fields["team"].queryset)
    assert choices == [cast.team]


def test_steward_cannot_add_a_target_for_a_team_they_are_not_in(cast):
    response = _client(cast.steward_in_team).post(
        "/admin/targets/target/add/", {**ADD, "team": cast.other_team.pk}
    )
    assert response.status_code == 200
    assert "team" in response.context["adminform"].form.errors
    assert not Target.objects.exists()


def test_steward_who_is_a_member_adds_through_the_admin(cast):
    response = _client(cast.steward_in_team).post(
        "/admin/targets/target/add/", {**ADD, "team": cast.team.pk}
    )
    assert response.status_code == 302, response.content[:500]
    target = Target.objects.get()
    assert target.team == cast.team
    assert target.created_by == cast.steward_in_team


def test_team_of_an_existing_target_is_read_only(cast):
    client = _client(cast.steward_in_team)
    response = client.post(
        f"/admin/targets/target/{cast.target.pk}/change/",
        {**ADD, "team": cast.other_team.pk, "title": "Still ours"},
    )
    assert response.status_code == 302
    target = Target.objects.get(pk=cast.target.pk)
    assert target.title == "Still ours"
    assert target.team == cast.team


def test_bulk_delete_of_another_teams_target_is_refused(cast):
    theirs = cast.target
    response = _client(cast.steward).post(
        "/admin/targets/target/",
        {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert Target.objects.filter(pk=theirs.pk).exists()


def test_team_only_targets_stay_out_of_other_stewards_lists(cast):
    private = cast.private_target
    response = _client(cast.steward).get("/admin/targets/target/")
    assert private.title not in response.content.decode()
