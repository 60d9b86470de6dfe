"""The admin shows offers to stewards but leaves changing them to the team."""

from __future__ import annotations

from django.test import Client

from tests.offers.factories import offer


def _admin(member):
    client = Client()
    client.force_login(member)
    return client


def test_steward_outside_the_team_may_look_but_not_change_or_delete(cast):
    made = offer(cast.team, cast.owner)
    client = _admin(cast.steward)
    page = client.get(f"/admin/offers/offer/{made.pk}/change/")
    assert page.status_code == 200
    assert b'type="submit" value="Save"' not in page.content
    assert (
        client.post(
            f"/admin/offers/offer/{made.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert made.__class__.objects.filter(pk=made.pk).exists()


def test_advice_is_on_record_and_cannot_be_edited_in_the_admin(cast):
    from purposeful.offers import services

    made = offer(cast.team, cast.owner)
    advice = services.advice_give(actor=cast.outsider, offer=made, text="Say more.")
    client = _admin(cast.steward_in_team)
    response = client.post(
        f"/admin/offers/advice/{advice.pk}/change/", {"text": "Rewritten"}
    )
    assert response.status_code == 403
    advice.refresh_from_db()
    assert advice.text == "Say more."
