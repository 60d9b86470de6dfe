"""Passwords: reset e-mails are rate limited, and API tokens follow the password.

A token never asks for the password, so changing it leaves them working: the
member is offered to revoke them; choosing one from a reset link (someone else
may have had the account) revokes them.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from purposeful.people.models import ApiToken
from purposeful.people.services import token_authenticate, token_create
from tests.factories import PASSWORD

NEW_PASSWORD = "a brand new long password"


def _reset(email="owner@example.org", client=None, **extra):
    client = client or Client()
    return client.post("/accounts/password_reset/", {"email": email}, **extra)


def test_reset_emails_to_one_address_stop_at_the_limit_with_the_same_answer(cast):
    answers = [_reset(REMOTE_ADDR=f"192.0.2.{n}") for n in range(6)]
    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/accounts/password_reset/done/")
    }


def test_reset_requests_from_one_client_stop_at_the_limit(cast, django_user_model):
    for n in range(5):
        django_user_model.objects.create_user(
            f"person{n}", email=f"person{n}@example.org", password=PASSWORD
        )
    for n in range(5):
        assert _reset(f"person{n}@example.org").status_code == 302
    assert len(mail.outbox) == 3


def test_unknown_addresses_count_too_so_the_limit_reveals_nothing(cast):
    for _ in range(3):
        _reset("nobody@example.org")
    _reset("owner@example.org")  # a fourth request from this client
    assert mail.outbox == []


def test_the_limit_is_a_setting(cast, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = (1, 3600)
    _reset()
    _reset()
    assert len(mail.outbox) == 1


def _reset_link() -> str:
    return re.search(
        r"http://localhost:8000(/accounts/reset/\S+/)", mail.outbox[-1].body
    )[1]


def test_a_password_reset_revokes_every_api_token(cast):
    _, raw = token_create(actor=cast.owner, member=cast.owner, name="CI")
    client = Client()
    _reset(client=client)
    page = client.get(_reset_link(), follow=True)
    assert page.status_code == 200
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302, done.content
    cast.owner.refresh_from_db()
    assert cast.owner.check_password(NEW_PASSWORD)
    assert token_authenticate(raw) is None
    assert not ApiToken.objects.filter(member=cast.owner).exists()


def test_after_a_password_change_the_member_is_offered_to_revoke_tokens(cast):
    token_create(actor=cast.owner, member=cast.owner, name="CI")
    token_create(actor=cast.owner, member=cast.owner, name="website")
    client = Client()
    client.force_login(cast.owner)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert b"Revoke all 2 tokens" in response.content
    assert b'action="/profile/tokens/revoke-all/"' in response.content
    # a change keeps the tokens until the member chooses
    assert ApiToken.objects.filter(member=cast.owner).count() == 2


def test_revoking_all_tokens_stops_only_the_members_own(cast):
    _, mine = token_create(actor=cast.owner, member=cast.owner, name="CI")
    _, theirs = token_create(actor=cast.outsider, member=cast.outsider, name="CI")
    client = Client()
    client.force_login(cast.owner)
    response = client.post("/profile/tokens/revoke-all/", follow=True)
    assert b"1 token no longer works." in response.content
    assert token_authenticate(mine) is None
    assert token_authenticate(theirs) == cast.outsider


@pytest.mark.parametrize("method", ["get"])
def test_revoking_all_tokens_needs_a_post(cast, method):
    client = Client()
    client.force_login(cast.owner)
    assert getattr(client, method)("/profile/tokens/revoke-all/").status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/wrong-token/",
        "/accounts/reset/done/",
    ],
)
def test_password_reset_pages_wear_the_sites_own_look(cast, path):
    """The site's templates, not the admin's (its breadcrumbs fail contrast)."""
    response = Client().get(path, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html and "breadcrumbs" not in html
