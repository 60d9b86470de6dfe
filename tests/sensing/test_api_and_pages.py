"""Sensing through the API and the pages, for every role."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.feedback.models import Signal
from purposeful.offers.models import Offer
from purposeful.sensing import selectors, services
from purposeful.sensing.models import SignalGroup
from tests.api_shapes import output_schema, shape
from tests.sensing.test_services import BRAKES, CARGO


@pytest.fixture
def group(cast):
    for words in BRAKES + CARGO:
        Signal.objects.create(team=cast.team, kind="need", words=words)
    services.sensing_compute()
    return selectors.groups().first()


def _client(member):
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def test_members_read_groups_with_chart_and_numbers(cast, group):
    page = _client(cast.outsider).get("/sensing/")
    assert page.status_code == 200
    assert group.name in page.content.decode()
    detail = _client(cast.outsider).get(group.get_absolute_url()).content.decode()
    assert "<svg" in detail and "<table>" in detail
    assert BRAKES[0] in detail or CARGO[0] in detail


def test_unknown_group_is_not_found(cast, group):
    assert _client(cast.owner).get("/sensing/nothere/").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("owner", 200), ("outsider", 200), ("steward", 200)],
)
def test_group_list_api_by_role(cast, group, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).get("/sensing/groups")
    assert response.status_code == status
    if status == 200:
        assert response.json()["items"][0]["key"] == group.key
        detail = api(member).get(f"/sensing/groups/{group.key}").json()
        assert len(detail["months"]) == 12 and len(detail["signal_ids"]) == group.size


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("owner", 201), ("outsider", 403), ("steward", 403)],
)
def test_proposing_an_offer_via_api_needs_the_team(cast, group, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).post(
        f"/sensing/groups/{group.key}/offer", {"team": cast.team.pk}
    )
    assert response.status_code == status
    assert Offer.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("owner", 201), ("outsider", 201), ("steward", 201)],
)
def test_any_member_sends_a_group_to_a_team_via_api(cast, group, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).post(
        f"/sensing/groups/{group.key}/signal", {"team": cast.team.pk}
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("owner", True), ("outsider", False), ("steward", False)],
)
def test_proposing_an_offer_on_the_page_needs_the_team(cast, group, role, allowed):
    client = _client(cast.by_role(role))
    response = client.post(f"/sensing/{group.key}/offer/", {"offer-team": cast.team.pk})
    assert response.status_code == 302
    assert Offer.objects.exists() is allowed


def test_sending_to_a_team_on_the_page_lands_in_its_inbox(cast, group):
    response = _client(cast.outsider).post(
        f"/sensing/{group.key}/signal/", {"signal-team": cast.team.pk}
    )
    signal = Signal.objects.get(kind="need", tags__name="sensing")
    assert response["Location"] == signal.get_absolute_url()


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("owner", 202), ("steward", 202)]
)
def test_recompute_via_api(cast, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    assert api(member).post("/sensing/runs").status_code == status


def test_recompute_on_the_page_queues_a_run(cast):
    response = _client(cast.owner).post("/sensing/recompute/")
    assert response.status_code == 302
    assert selectors.pending_run() is not None or selectors.latest_run() is not None


def test_sending_a_group_starts_on_the_team_of_a_member_of_one_team(cast, group):
    detail = _client(cast.owner).get(group.get_absolute_url()).content.decode()
    signal_select = detail[detail.index('name="signal-team"') :]
    signal_select = signal_select[: signal_select.index("</select>")]
    assert f'<option value="{cast.team.pk}" selected>' in signal_select
    assert "---------" not in detail


def test_groups_and_runs_keep_their_fields_now_read_from_the_model(cast, group, api):
    """Clients see the same keys, types and nulls; lengths come from the model."""
    client = api(cast.owner)
    group_shape = {
        "key": "str",
        "name": "str",
        "found_name": "str",
        "given_name": "str",
        "words": ["str"] * len(group.words),
        "quote": "str",
        "size": "int",
        "previous_size": "int",
        "trend": "str",
        "team_count": "int",
        "first_seen_at": "str",
    }
    listed = client.get("/sensing/groups").json()["items"]
    assert shape(listed[0]) == group_shape
    detail = client.get(f"/sensing/groups/{group.key}").json()
    assert shape(detail) == {
        **group_shape,
        "months": [{"month": "str", "signals": "int"}] * 12,
        "signal_ids": ["int"] * group.size,
    }
    run = client.post("/sensing/runs").json()
    assert shape(run) == {
        "id": "int",
        "state": "str",
        "method": "str",
        "signal_count": "int",
        "group_count": "int",
        "created_at": "str",
        "finished_at": "str" if run["finished_at"] else "null",
    }
    # Built from the model, the document states the model's limits.
    name = SignalGroup._meta.get_field("name")
    assert output_schema("GroupOut")["properties"]["name"]["maxLength"] == (
        name.max_length
    )
    assert output_schema("RunOut")["properties"]["id"]["type"] == "integer"
    assert "id" in output_schema("RunOut")["required"]


def test_members_rename_a_group_on_its_page_and_bad_names_re_render(cast, group):
    client = _client(cast.outsider)
    too_long = client.post(f"/sensing/{group.key}/rename/", {"name": "x" * 121})
    assert too_long.status_code == 400
    assert "at most 120 characters" in too_long.content.decode()
    done = client.post(f"/sensing/{group.key}/rename/", {"name": "Squeaky brakes"})
    assert done.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.given_name) == ("Squeaky brakes", "Squeaky brakes")
    assert "Squeaky brakes" in client.get("/sensing/").content.decode()


def test_anonymous_visitor_cannot_rename(cast, group):
    response = _client(None).post(f"/sensing/{group.key}/rename/", {"name": "Mine"})
    assert response.status_code in (302, 403)
    group.refresh_from_db()
    assert group.given_name == ""


def test_api_renames_a_group_and_refuses_a_name_too_long(cast, group, api):
    client = api(cast.owner)
    url = f"/sensing/groups/{group.key}"
    too_long = client.patch(url, {"name": "y" * 121})
    assert too_long.status_code == 400 and "name" in str(too_long.json())
    renamed = client.patch(url, {"name": "  Brakes   that squeak "})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Brakes that squeak"
    reset = client.patch(url, {"name": ""}).json()
    assert reset["given_name"] == "" and reset["name"] == reset["found_name"]


def test_charts_are_labelled_with_month_names_and_have_tables(cast, group):
    page = _client(cast.owner).get(group.get_absolute_url()).content.decode()
    assert 'class="chart-label">' in page
    assert any(f">{m}</text>" in page for m in ("Jan", "Feb", "Mar", "Apr", "May",
        "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"))  # fmt: skip
    assert '<th scope="col">Month</th>' in page
