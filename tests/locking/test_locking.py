"""Concurrent edits of one offer draft, message or signal never silently overwrite.

Two colleagues open the same record; the first saves; the second's save is
refused with the first one's change named — on the page (words kept, saving
again replaces) and in the API (409 with the current version).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from purposeful.core.locking import EditConflict, version_token
from purposeful.feedback import services as feedback
from purposeful.offers import services as offers
from purposeful.outreach import services as outreach
from tests import factories
from tests.offers.factories import CANVAS


@pytest.fixture
def colleague(cast):
    """A second member of the owning team."""
    return factories.member("colleague", teams=[cast.team])


def _client(member):
    client = Client()
    client.force_login(member)
    return client


def _hidden_version(page: str) -> str:
    match = re.search(r'name="expected_version" value="([^"]*)"', page)
    assert match, "the form carries its version"
    return match.group(1)


def test_version_token_changes_with_the_timestamp():
    from datetime import UTC, datetime

    a = datetime(2026, 5, 1, 12, 0, 0, 1, tzinfo=UTC)
    b = datetime(2026, 5, 1, 12, 0, 0, 2, tzinfo=UTC)
    assert version_token(3, a) != version_token(3, b)
    assert version_token(3, a) == version_token(3, a)


# -- offers ----------------------------------------------------------------------


def test_second_offer_save_from_a_stale_draft_is_refused(cast, colleague):
    offer = cast.offer
    seen = offers.offer_edit_version(offer)
    offers.offer_update(
        actor=colleague, offer=offer, summary="Lena's summary.", expected_version=seen
    )
    with pytest.raises(EditConflict, match="Someone changed this offer's draft"):
        offers.offer_update(
            actor=cast.owner, offer=offer, summary="Mine.", expected_version=seen
        )
    assert offer.working_version.summary == "Lena's summary."


def test_offer_page_keeps_my_words_names_the_change_and_saves_on_second_try(
    cast, colleague
):
    offer = cast.offer
    url = f"/offers/{offer.slug}/canvas/edit/"
    mine, theirs = _client(cast.owner), _client(colleague)
    my_page = mine.get(url).content.decode()
    their_page = theirs.get(url).content.decode()
    form = {**CANVAS, "currency": "EUR", "price": "15.00"}
    response = theirs.post(
        url,
        {
            **form,
            "summary": "Theirs first.",
            "expected_version": _hidden_version(their_page),
        },
    )
    assert response.status_code == 302
    response = mine.post(
        url,
        {
            **form,
            "summary": "My own words.",
            "expected_version": _hidden_version(my_page),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "while you were editing" in page
    assert "colleague" in page.lower()
    assert "My own words." in page, "my words are kept"
    assert offer.working_version.summary == "Theirs first."
    response = mine.post(
        url,
        {**form, "summary": "My own words.", "expected_version": _hidden_version(page)},
    )
    assert response.status_code == 302
    assert offer.working_version.summary == "My own words."


def test_offer_api_answers_409_on_a_stale_version(cast, api, colleague):
    offer = cast.offer
    client = api(cast.owner)
    seen = client.get(f"/offers/{offer.pk}").json()["version"]
    assert seen
    assert (
        api(colleague)
        .patch(f"/offers/{offer.pk}", {"summary": "First.", "version": seen})
        .status_code
        == 200
    )
    response = client.patch(
        f"/offers/{offer.pk}", {"summary": "Second.", "version": seen}
    )
    assert response.status_code == 409
    body = response.json()
    assert "while you were editing" in body["error"]
    assert body["version"] != seen
    assert offer.working_version.summary == "First."
    response = client.patch(
        f"/offers/{offer.pk}", {"summary": "Second.", "version": body["version"]}
    )
    assert response.status_code == 200


def test_offer_api_reads_if_match_and_works_without_a_version(cast, api):
    offer = cast.offer
    client = api(cast.owner)
    response = client.client.patch(
        f"/api/v1/offers/{offer.pk}",
        data='{"summary": "Via If-Match."}',
        content_type="application/json",
        headers={**client.headers, "If-Match": '"0-0"'},
    )
    assert response.status_code == 409
    assert (
        client.patch(f"/offers/{offer.pk}", {"summary": "No token."}).status_code == 200
    )


def test_visitors_get_no_offer_version(cast, api):
    from tests.offers.factories import published_offer

    made = published_offer(cast.team, cast.owner, name="Wheel truing")
    assert api(None).get(f"/offers/{made.pk}").json()["version"] is None


# -- messages --------------------------------------------------------------------


def test_stale_message_edit_is_refused(cast, colleague):
    message = cast.message
    seen = outreach.message_edit_version(message)
    outreach.message_update(
        actor=colleague, message=message, title="Their title", expected_version=seen
    )
    with pytest.raises(EditConflict):
        outreach.message_update(
            actor=cast.owner, message=message, title="My title", expected_version=seen
        )
    message.refresh_from_db()
    assert message.title == "Their title"


def test_message_page_keeps_my_words_and_names_the_differing_field(cast, colleague):
    message = cast.message
    url = f"/messages/{message.pk}/edit/"
    mine, theirs = _client(cast.owner), _client(colleague)
    my_version = _hidden_version(mine.get(url).content.decode())
    their_version = _hidden_version(theirs.get(url).content.decode())
    form = {"title": message.title, "channel": message.channel, "audience": ""}
    assert (
        theirs.post(
            url, {**form, "body": "Their body.", "expected_version": their_version}
        ).status_code
        == 302
    )
    response = mine.post(
        url, {**form, "body": "My body.", "expected_version": my_version}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "while you were editing" in page
    assert "It now reads differently in: Body" in page
    assert "My body." in page
    message.refresh_from_db()
    assert message.body == "Their body."


def test_message_api_answers_409_on_a_stale_version(cast, api, colleague):
    message = cast.message
    seen = api(cast.owner).get(f"/messages/{message.pk}").json()["version"]
    api(colleague).patch(f"/messages/{message.pk}", {"title": "First", "version": seen})
    response = api(cast.owner).patch(
        f"/messages/{message.pk}", {"title": "Second", "version": seen}
    )
    assert response.status_code == 409
    assert response.json()["version"] != seen


# -- signals ---------------------------------------------------------------------


def test_stale_signal_transition_is_refused(cast, colleague):
    signal = cast.signal
    seen = feedback.signal_edit_version(signal)
    feedback.signal_transition(
        actor=colleague, signal=signal, to="acknowledged", expected_version=seen
    )
    with pytest.raises(EditConflict):
        feedback.signal_transition(
            actor=cast.owner,
            signal=signal,
            to="declined",
            reason="Not for us",
            expected_version=seen,
        )
    signal.refresh_from_db()
    assert signal.state == "acknowledged"


def test_stale_tags_do_not_replace_a_colleagues_tags(cast, colleague):
    signal = cast.signal
    seen = feedback.signal_edit_version(signal)
    feedback.signal_tag(
        actor=colleague, signal=signal, tags=["brakes"], expected_version=seen
    )
    with pytest.raises(EditConflict):
        feedback.signal_tag(
            actor=cast.owner, signal=signal, tags=["noise"], expected_version=seen
        )
    assert [t.name for t in signal.tags.all()] == ["brakes"]


def test_signal_page_refuses_a_stale_assignment_and_shows_the_current_one(
    cast, colleague
):
    signal = cast.signal
    url = f"/inbox/signals/{signal.pk}/"
    mine = _client(cast.owner)
    page = mine.get(url).content.decode()
    seen = _hidden_version(page)
    feedback.signal_assign(actor=colleague, signal=signal, assignee=colleague)
    response = mine.post(
        f"{url}assign/", {"assignee": cast.owner.pk, "expected_version": seen}
    )
    assert response.status_code == 400
    assert "while you were editing" in response.content.decode()
    signal.refresh_from_db()
    assert signal.assignee == colleague


def test_signal_api_transition_answers_409_on_a_stale_version(cast, api, colleague):
    signal = cast.signal
    seen = api(cast.owner).get(f"/signals/{signal.pk}").json()["version"]
    api(colleague).patch(f"/signals/{signal.pk}", {"tags": ["brakes"]})
    response = api(cast.owner).post(
        f"/signals/{signal.pk}/transitions", {"to": "acknowledged", "version": seen}
    )
    assert response.status_code == 409
    response = api(cast.owner).patch(
        f"/signals/{signal.pk}", {"assignee": "owner", "version": seen}
    )
    assert response.status_code == 409
