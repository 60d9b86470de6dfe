"""Request bodies over the sender's limit are refused from their size alone, unread."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from purposeful.exchange import csvimport
from purposeful.outreach import uploads
from tests.conftest import ApiClient

HUGE = 300 * 1024 * 1024
MULTIPART = "multipart/form-data; boundary=purposeful"


class UnreadBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _send(client: Client, path: str, size: int = HUGE, headers=None):
    return client.generic(
        "POST",
        path,
        b"-",
        MULTIPART,
        headers=headers,
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": UnreadBody()},
    )


def test_an_anonymous_300_mb_post_to_the_public_form_is_refused_unread(db):
    response = _send(Client(), "/write-to-us/")
    assert response.status_code == 413
    text = response.content.decode()
    assert "What you sent is 300 MB; we accept at most 1.0 MB at once" in text
    assert "Nothing was saved" in text


def test_a_member_uploading_more_than_any_upload_allows_is_refused_unread(cast):
    client = Client()
    client.force_login(cast.owner)
    response = _send(client, "/site-reviews/")
    assert response.status_code == 413
    assert "at most 110 MB at once" in response.content.decode()
    assert "upload it in parts" in response.content.decode()


def test_the_api_answers_413_in_its_error_shape(cast):
    api = ApiClient(cast.owner)
    response = _send(api.client, "/api/v1/imports", headers=api.headers)
    assert response.status_code == 413
    assert "at most 110 MB" in response.json()["error"]
    anonymous = _send(Client(), "/api/v1/imports")
    assert anonymous.status_code == 413
    assert "at most 1.0 MB" in anonymous.json()["error"]


def test_a_member_may_send_more_than_a_visitor(cast, settings):
    settings.MAX_PUBLIC_REQUEST_BYTES = 1024
    settings.MAX_REQUEST_BYTES = 64 * 1024
    text = "Company,Name\n" + "Riverside Bakery,Ada\n" * 200  # about 4 KB
    member = Client()
    member.force_login(cast.owner)
    upload = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
    response = member.post("/exchange/", {"file": upload, "team": cast.team.pk})
    assert response.status_code == 302
    visitor = Client().post("/write-to-us/", {"words": "x" * 4000})
    assert visitor.status_code == 413


def test_bodies_within_the_limit_and_without_a_length_reach_the_view(db):
    assert Client().post("/write-to-us/", {"words": "Hello"}).status_code != 413
    response = Client().generic("POST", "/write-to-us/", CONTENT_LENGTH="bogus")
    assert response.status_code != 413


def test_the_members_limit_leaves_room_for_every_upload():
    assert settings.MAX_REQUEST_BYTES > uploads.MAX_REQUEST_BYTES
    assert settings.MAX_REQUEST_BYTES > csvimport.MAX_BYTES


def test_advice_on_an_offer_and_on_a_message_has_one_limit(cast):
    from django.core.exceptions import ValidationError

    from purposeful.core.models import Advice
    from purposeful.offers.services import advice_give
    from purposeful.outreach.services import message_give_advice

    def on_offer(text):
        return advice_give(
            actor=cast.outsider, offer=cast.offer, text=text, notify=False
        )

    def on_message(text):
        return message_give_advice(actor=cast.outsider, message=cast.message, text=text)

    for give in (on_offer, on_message):
        assert len(give("a" * Advice.TEXT_LIMIT).text) == Advice.TEXT_LIMIT
        with pytest.raises(ValidationError):
            give("a" * (Advice.TEXT_LIMIT + 1))
