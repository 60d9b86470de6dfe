"""The admin leaves a team's customers and inbox to the team, stewards included."""

from __future__ import annotations

from django.test import Client


def _steward_client(member):
    client = Client()
    client.force_login(member)
    return client


def test_steward_outside_the_team_cannot_change_its_customer_in_the_admin(cast):
    response = _steward_client(cast.steward).post(
        f"/admin/relationships/account/{cast.account.pk}/change/",
        {"name": "Hijacked", "kind": "organisation", "team": cast.team.pk},
    )
    assert response.status_code in {302, 403}
    cast.account.refresh_from_db()
    assert cast.account.name == "Riverside Bakery"


def test_steward_in_the_team_may_change_its_customer_in_the_admin(cast):
    page = _steward_client(cast.steward_in_team).get(
        f"/admin/relationships/account/{cast.account.pk}/change/"
    )
    assert page.status_code == 200
    assert b'name="name"' in page.content


def test_steward_outside_the_team_sees_a_signal_read_only(cast):
    page = _steward_client(cast.steward).get(
        f"/admin/feedback/signal/{cast.signal.pk}/change/"
    )
    assert page.status_code == 200
    assert b'name="words"' not in page.content
