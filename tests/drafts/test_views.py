"""Drafts on the pages: kept as typed, restored, and never lost to a stale
session or form token."""

from __future__ import annotations

import json

from django.test import Client

from purposeful.drafts import selectors, services
from purposeful.drafts.models import Draft
from purposeful.outreach.models import Message
from tests.factories import PASSWORD

SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}
WORDS = {
    "title": "Winter check",
    "channel": "newsletter",
    "audience": "",
    "body": "We repair bicycles <script>alert('x')</script> at a fair price.",
}


def _client(member, **kwargs):
    client = Client(**kwargs)
    client.force_login(member)
    return client


def test_typing_saves_a_draft_and_answers_how_long_the_session_lasts(cast):
    response = _client(cast.owner).post(
        "/drafts/save/?key=/messages/new/", {"body": "Half a sentence"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["session_expires_in"] > 0
    draft = selectors.draft_for(actor=cast.owner, key="/messages/new/")
    assert draft.fields == {"body": ["Half a sentence"]}


def test_saving_a_draft_signed_out_answers_json_not_the_sign_in_page(cast):
    response = Client().post("/drafts/save/?key=/messages/new/", {"body": "x"})
    assert response.status_code == 403
    assert response.json()["signed_in"] is False
    assert not Draft.objects.exists()


def test_saving_a_draft_for_another_site_is_a_clear_400(cast):
    response = _client(cast.owner).post(
        "/drafts/save/?key=https://evil.example/", {"body": "x"}
    )
    assert response.status_code == 400
    assert "form of this site" in response.json()["detail"]


def test_the_editor_restores_the_members_own_draft_with_a_note(cast):
    services.draft_save(
        actor=cast.owner,
        key="/messages/new/",
        fields={"title": ["Kept title"], "body": ["Kept <b>words</b>"]},
    )
    html = _client(cast.owner).get("/messages/new/").content.decode()
    assert "Restored your unsent words from" in html
    assert "Kept &lt;b&gt;words&lt;/b&gt;" in html
    assert 'value="Kept title"' in html
    assert 'data-draft-key="/messages/new/"' in html
    other = _client(cast.steward_in_team).get("/messages/new/").content.decode()
    assert "Restored your unsent words" not in other
    assert "Kept" not in other


def test_the_offer_editor_restores_its_draft(cast):
    services.draft_save(
        actor=cast.owner, key="/offers/new/", fields={"name": ["Repair café"]}
    )
    html = _client(cast.owner).get("/offers/new/").content.decode()
    assert "Restored your unsent words from" in html
    assert "Repair café" in html


def test_the_reply_form_restores_its_draft_on_the_signals_page(cast):
    signal = cast.signal
    signal.sender_email = "anna@example.org"
    signal.save()
    key = f"/inbox/signals/{signal.pk}/reply/"
    services.draft_save(actor=cast.owner, key=key, fields={"text": ["Dear Anna"]})
    html = _client(cast.owner).get(f"/inbox/signals/{signal.pk}/").content.decode()
    assert "Restored your unsent words from" in html
    assert "Dear Anna" in html
    assert f'data-draft-key="{key}"' in html


def test_discarding_forgets_the_words_and_returns_to_the_form(cast):
    services.draft_save(actor=cast.owner, key="/messages/new/", fields={"body": ["x"]})
    response = _client(cast.owner).post(
        "/drafts/discard/", {"key": "/messages/new/", "next": "/messages/new/"}
    )
    assert response.status_code == 302 and response["Location"] == "/messages/new/"
    assert not Draft.objects.exists()


def test_discarding_never_redirects_to_another_site(cast):
    response = _client(cast.owner).post(
        "/drafts/discard/", {"key": "/m/", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/start/"


def test_a_successful_save_clears_the_draft(cast):
    services.draft_save(actor=cast.owner, key="/messages/new/", fields={"body": ["x"]})
    response = _client(cast.owner).post(
        "/messages/new/", {**WORDS, "team": cast.team.pk}
    )
    assert response.status_code == 302
    assert Message.objects.exists()
    assert not Draft.objects.exists()


def test_a_form_sent_back_with_errors_keeps_the_draft(cast):
    services.draft_save(actor=cast.owner, key="/messages/new/", fields={"body": ["x"]})
    response = _client(cast.owner).post(
        "/messages/new/", {**WORDS, "title": "", "team": cast.team.pk}
    )
    assert response.status_code == 200
    assert Draft.objects.exists()


def test_a_stale_token_gets_a_page_that_keeps_the_words_escaped(cast):
    client = _client(cast.owner, enforce_csrf_checks=True)
    response = client.post(
        "/messages/new/",
        {
            **WORDS,
            "team": cast.team.pk,
            "csrfmiddlewaretoken": "tok-3f9a1c",
            "password": "hunter2-secret",
        },
        **SAME_SITE,
        HTTP_REFERER="http://testserver/messages/new/",
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "This page was open too long" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "hunter2-secret" not in html and "tok-3f9a1c" not in html
    assert "Send again" in html
    assert 'href="/messages/new/"' in html
    draft = selectors.draft_for(actor=cast.owner, key="/messages/new/")
    assert draft.fields["body"] == [WORDS["body"]]
    assert "password" not in draft.fields


def test_sending_again_from_the_stale_token_page_saves_the_message(cast):
    client = _client(cast.owner, enforce_csrf_checks=True)
    page = client.post(
        "/messages/new/", {**WORDS, "team": cast.team.pk}, **SAME_SITE
    ).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
    fields = {**WORDS, "team": cast.team.pk, "csrfmiddlewaretoken": token}
    response = client.post("/messages/new/", fields, **SAME_SITE)
    assert response.status_code == 302
    assert Message.objects.get().title == "Winter check"
    assert not Draft.objects.exists()


def test_a_stale_token_from_another_site_keeps_and_shows_nothing(cast):
    client = _client(cast.owner, enforce_csrf_checks=True)
    response = client.post(
        "/messages/new/",
        {**WORDS, "team": cast.team.pk},
        HTTP_ORIGIN="https://evil.example",
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "This page was open too long" in html
    assert "We repair bicycles" not in html
    assert not Draft.objects.exists()


def test_a_stale_token_on_a_live_request_answers_json(cast):
    client = _client(cast.owner, enforce_csrf_checks=True)
    response = client.post(
        "/drafts/save/?key=/messages/new/",
        {"body": "x"},
        HTTP_ACCEPT="application/json",
        **SAME_SITE,
    )
    assert response.status_code == 403
    assert "open for too long" in json.loads(response.content)["detail"]
    assert not Draft.objects.exists()


def test_a_stale_token_when_signed_out_keeps_the_words_for_after_sign_in(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/messages/new/", {**WORDS}, **SAME_SITE)
    assert response.status_code == 403
    assert "Sign in again" in response.content.decode()
    client.force_login(cast.owner)
    html = client.get("/messages/new/").content.decode()
    assert "Restored your unsent words from" in html
    assert "We repair bicycles" in html


def test_an_ended_session_keeps_the_posted_words_until_sign_in(cast):
    client = Client()
    response = client.post("/messages/new/", {**WORDS}, **SAME_SITE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fmessages%2Fnew%2F"
    login = client.get(response["Location"]).content.decode()
    assert "Your words are kept" in login
    client.post(
        "/accounts/login/?next=/messages/new/",
        {"username": "owner", "password": PASSWORD},
    )
    html = client.get("/messages/new/").content.decode()
    assert "Restored your unsent words from" in html
    assert "We repair bicycles" in html
    assert selectors.draft_for(actor=cast.owner, key="/messages/new/")


def test_an_ended_session_on_a_reply_returns_to_the_signals_page(cast):
    signal = cast.signal
    response = Client().post(
        f"/inbox/signals/{signal.pk}/reply/",
        {"text": "Dear Anna"},
        HTTP_REFERER=f"http://testserver/inbox/signals/{signal.pk}/",
        **SAME_SITE,
    )
    assert response["Location"] == (
        f"/accounts/login/?next=%2Finbox%2Fsignals%2F{signal.pk}%2F"
    )


def test_the_editor_knows_how_long_the_session_has_left(cast):
    html = _client(cast.owner).get("/messages/new/").content.decode()
    seconds = int(html.split('data-session-seconds-left="')[1].split('"')[0])
    assert 0 < seconds <= 1209600


def test_staying_signed_in_starts_the_sessions_full_age_again(cast):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = _client(cast.owner)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=3))
    response = client.post("/drafts/keep-signed-in/")
    assert response.status_code == 200
    assert response.json()["session_expires_in"] > 3600
    assert Session.objects.get().expire_date > timezone.now() + timedelta(days=1)


def test_staying_signed_in_after_the_session_ended_says_so(cast):
    response = Client().post("/drafts/keep-signed-in/")
    assert response.status_code == 403
    assert response.json()["signed_in"] is False
