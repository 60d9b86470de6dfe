"""The pages: the same rules as the services, friendly errors, nothing lost."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.targets.models import CheckIn, Comment, Target
from tests.targets.factories import check_in, target

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Run 12 evening courses this year",
    "why": "People who can fix their bike keep riding it.",
    "measure_unit": "courses",
    "measure_target": "12",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "is_shared": "on",
}


def _client(member=None):
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def test_member_sets_a_target_from_the_form(cast):
    response = _client(cast.owner).post("/targets/new/", {**FORM, "team": cast.team.pk})
    target = Target.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/targets/{target.pk}/"
    assert target.team == cast.team


def test_new_target_form_offers_only_the_members_teams(cast):
    response = _client(cast.owner).get("/targets/new/")
    assert response.status_code == 200
    choices = list(response.context["form"].fields["team"].queryset)
    assert choices == [cast.team]


def test_member_cannot_set_a_target_for_another_team_by_posting_its_id(cast):
    response = _client(cast.owner).post(
        "/targets/new/", {**FORM, "team": cast.other_team.pk}
    )
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert not Target.objects.exists()


def test_steward_in_no_team_is_told_to_join_one(cast):
    response = _client(cast.steward).get("/targets/new/")
    assert response.status_code == 403
    assert b"join a team to set targets" in response.content


def test_bad_input_rerenders_with_errors_and_keeps_what_was_typed(cast):
    response = _client(cast.owner).post(
        "/targets/new/",
        {**FORM, "team": cast.team.pk, "period_end": "2025-01-01", "measure_unit": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["period_end"] == ["The period ends before it starts."]
    assert b"People who can fix their bike keep riding it." in response.content
    assert not Target.objects.exists()


WRITES = {
    # name: (path builder, data, {role: status})
    "edit": (
        lambda t: f"/targets/{t.pk}/edit/",
        {**FORM, "title": "Changed"},
        {"owner": 302, "outsider": 403, "steward": 403, "anonymous": 302},
    ),
    "check_in": (
        lambda t: f"/targets/{t.pk}/check-ins/",
        {"value": "5", "learned": "Learned", "still_makes_sense": "yes"},
        {"owner": 302, "outsider": 403, "steward": 403, "anonymous": 302},
    ),
    "let_go": (
        lambda t: f"/targets/{t.pk}/let-go/",
        {"reason": "We learned better"},
        {"owner": 302, "outsider": 403, "steward": 403, "anonymous": 302},
    ),
    "close": (
        lambda t: f"/targets/{t.pk}/close/",
        {"note": ""},
        {"owner": 302, "outsider": 403, "steward": 403, "anonymous": 302},
    ),
    "delete": (
        lambda t: f"/targets/{t.pk}/delete/",
        {},
        {"owner": 302, "outsider": 403, "steward": 403, "anonymous": 302},
    ),
    "reopen": (
        lambda t: f"/targets/{t.pk}/reopen/",
        {},
        {"owner": 302, "outsider": 403, "steward": 403, "anonymous": 302},
    ),
    "comment": (
        lambda t: f"/targets/{t.pk}/comments/",
        {"text": "Nice"},
        {"owner": 302, "outsider": 302, "steward": 302, "anonymous": 302},
    ),
}


@pytest.mark.parametrize("role", ["anonymous", "owner", "outsider", "steward"])
@pytest.mark.parametrize("name", list(WRITES))
def test_page_write_matrix(cast, name, role):
    path, data, expected = WRITES[name]
    member = None if role == "anonymous" else cast.by_role(role)
    target = cast.target
    if name == "reopen":
        Target.objects.filter(pk=target.pk).update(state=Target.State.REACHED)
    response = _client(member).post(path(target), data)
    assert response.status_code == expected[role], response.content[:300]
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    changed = Target.objects.filter(pk=target.pk, title="Changed").exists()
    if name == "edit":
        assert changed is (role == "owner")


def test_refused_edit_explains_and_changes_nothing(cast):
    response = _client(cast.outsider).post(
        f"/targets/{cast.target.pk}/edit/", {**FORM, "title": "Hijacked"}
    )
    assert response.status_code == 403
    assert b"Only members of Workshop can change, close or delete" in response.content
    assert Target.objects.get(pk=cast.target.pk).title != "Hijacked"


def test_refused_delete_keeps_the_target(cast):
    _client(cast.steward).post(f"/targets/{cast.target.pk}/delete/")
    assert Target.objects.filter(pk=cast.target.pk).exists()


def test_check_in_form_errors_rerender_the_page(cast):
    response = _client(cast.owner).post(
        f"/targets/{cast.target.pk}/check-ins/",
        {
            "value": "lots",
            "learned": "",
            "sensed": "A hunch",
            "still_makes_sense": "yes",
        },
    )
    assert response.status_code == 200
    errors = response.context["check_in_form"].errors
    assert set(errors) == {"value", "learned"}
    assert b"A hunch" in response.content
    assert not CheckIn.objects.exists()


def test_detail_shows_the_chart_with_its_table(cast):
    check_in(cast.target, value=5, learned="Chains can be saved.")
    check_in(cast.target, value=7, learned="Bearings too.")
    response = _client(cast.outsider).get(f"/targets/{cast.target.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="chart-svg"' in html and 'role="img"' in html
    assert html.count('<circle class="dot"') == 2
    assert '<table class="check-ins">' in html
    assert "Bearings too." in html
    assert "Change</a>" not in html  # no write buttons for another team


def test_target_without_measure_gets_a_timeline_of_reflections(cast):
    unmeasured = target(cast.team, title="Same-week repairs", measure_target=None)
    check_in(unmeasured, learned="Parts are the bottleneck.", still_makes_sense="no")
    html = _client(cast.owner).get(f"/targets/{unmeasured.pk}/").content.decode()
    assert 'class="mark sense-no"' in html
    assert "no longer makes sense" in html


def test_team_only_target_is_hidden_from_other_teams(cast):
    private = cast.private_target
    assert _client(cast.outsider).get(f"/targets/{private.pk}/").status_code == 403
    assert _client(cast.owner).get(f"/targets/{private.pk}/").status_code == 200
    listing = _client(cast.outsider).get("/targets/").content.decode()
    assert "Kept inside" not in listing


def test_organisation_view_shows_every_team_side_by_side(cast):
    target(cast.team, title="Workshop target")
    target(cast.other_team, title="Learning Lab target")
    html = _client(cast.outsider).get("/targets/").content.decode()
    assert html.index("Learning Lab target") < html.index("Workshop target")
    assert 'id="team-learning-lab"' in html and 'id="team-workshop"' in html


def test_anyone_in_the_organisation_comments(cast):
    response = _client(cast.outsider).post(
        f"/targets/{cast.target.pk}/comments/", {"text": "Could we help?"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().author == cast.outsider


def test_empty_comment_is_refused_on_the_page(cast):
    response = _client(cast.outsider).post(
        f"/targets/{cast.target.pk}/comments/", {"text": "  "}
    )
    assert response.status_code == 200
    assert "text" in response.context["comment_form"].errors


def test_let_go_page_keeps_the_reason_and_shows_it(cast):
    client = _client(cast.owner)
    assert (
        client.post(f"/targets/{cast.target.pk}/let-go/", {"reason": ""}).status_code
        == 200
    )
    client.post(
        f"/targets/{cast.target.pk}/let-go/", {"reason": "Customers need e-bike help."}
    )
    html = client.get(f"/targets/{cast.target.pk}/").content.decode()
    assert "Let go" in html and "Customers need e-bike help." in html
    assert "Letting go is learning, not failure." in html


def test_unknown_target_is_a_friendly_404(cast):
    response = _client(cast.owner).get("/targets/99999/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("role", ["anonymous", "owner", "outsider", "steward"])
def test_page_create_matrix(cast, role):
    """Only a member of the team gets a target for it, whatever the form says."""
    member = None if role == "anonymous" else cast.by_role(role)
    response = _client(member).post("/targets/new/", {**FORM, "team": cast.team.pk})
    expected = {"anonymous": 302, "owner": 302, "outsider": 200, "steward": 403}[role]
    assert response.status_code == expected
    assert Target.objects.filter(team=cast.team).exists() is (role == "owner")


def test_start_page_lists_the_members_open_team_targets(cast):
    mine = target(cast.team, title="Our open target")
    check_in(mine, learned="x")
    target(cast.team, title="Our closed target", state=Target.State.LET_GO)
    target(cast.other_team, title="Their target")
    html = _client(cast.owner).get("/start/").content.decode()
    assert "Our open target" in html and "last check-in" in html
    assert "Our closed target" not in html and "Their target" not in html


def test_target_dates_are_asked_as_day_month_and_year(cast):
    page = _client(cast.owner).get("/targets/new/").content.decode()
    assert 'type="date"' not in page
    start = page.index("<legend>From")
    parts = page[start : page.index("</fieldset>", start)]
    assert parts.index(">Day<") < parts.index(">Month<") < parts.index(">Year<")
    assert 'name="period_start_day"' in parts and 'inputmode="numeric"' in parts
    data = {**FORM, "team": cast.team.pk, "title": "Thirty wheels"}
    del data["period_start"], data["period_end"]
    data |= {"period_start_day": "3", "period_start_month": "2"}
    data |= {"period_start_year": "2026", "period_end_day": "4"}
    data |= {"period_end_month": "12", "period_end_year": "2026"}
    _client(cast.owner).post("/targets/new/", data)
    saved = Target.objects.get(title="Thirty wheels")
    assert (saved.period_start.day, saved.period_start.month) == (3, 2)
    data["period_end_month"] = "13"
    data["title"] = "Wrong month"
    response = _client(cast.owner).post("/targets/new/", data)
    assert response.status_code in (200, 400)
    assert b"Enter a valid date." in response.content
    assert b'value="13"' in response.content  # what was typed is kept
