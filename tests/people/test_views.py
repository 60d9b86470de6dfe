from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from purposeful.people.models import Invitation, Member
from purposeful.people.services import invitation_create
from tests.factories import PASSWORD


def _as(member):
    client = Client()
    client.force_login(member)
    return client


def test_sign_in_with_the_right_password_lands_on_the_start_page(cast):
    response = Client().post(
        "/accounts/login/", {"username": "owner", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/start/"


def test_wrong_password_re_renders_the_form_with_a_message(cast):
    response = Client().post(
        "/accounts/login/", {"username": "owner", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"That username and password do not match." in response.content


def test_repeated_failed_sign_ins_are_throttled(cast):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "owner", "password": "nope"})
    response = client.post(
        "/accounts/login/", {"username": "owner", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content


def test_password_reset_sends_a_link_by_email(cast):
    response = Client().post(
        "/accounts/password_reset/", {"email": "owner@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def _accept_invitation(steward, teams):
    response = _as(steward).post(
        "/invitations/", {"email": "new@example.org", "teams": teams}
    )
    assert response.status_code == 200
    link = re.search(
        r"http://localhost:8000(/invitations/[^/\s]+/)", mail.outbox[0].body
    ).group(1)
    client = Client()
    response = client.post(
        link,
        {
            "username": "newbie",
            "display_name": "New Person",
            "password": "a long new password",
            "password_again": "a long new password",
        },
    )
    assert response.status_code == 302
    assert client.get(link).status_code == 410  # works once
    return Member.objects.get(username="newbie")


def test_steward_invites_and_the_invited_person_joins_the_stewards_teams(cast):
    member = _accept_invitation(cast.steward_in_team, [cast.team.pk])
    assert member.email == "new@example.org"
    assert list(member.teams.all()) == [cast.team]


def test_an_invitation_to_a_team_the_steward_is_not_in_asks_its_members(cast):
    member = _accept_invitation(cast.steward, [cast.team.pk])
    assert not member.teams.exists()
    waiting = cast.team.join_requests.get(member=member)
    assert waiting.is_pending and waiting.message == "Invited by Steward."


def test_expired_invitation_no_longer_works(cast):
    from datetime import timedelta

    from django.utils import timezone

    invitation, key = invitation_create(actor=cast.steward, email="late@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert Client().get(f"/invitations/{key}/").status_code == 410


def test_weak_password_on_invitation_re_renders_with_the_reason(cast):
    _, key = invitation_create(actor=cast.steward, email="weak@example.org")
    response = Client().post(
        f"/invitations/{key}/",
        {"username": "weak", "password": "1234567890", "password_again": "1234567890"},
    )
    assert response.status_code == 200
    assert b"This password is entirely numeric." in response.content
    assert not Member.objects.filter(username="weak").exists()


def test_new_api_token_is_shown_once_on_the_profile(cast):
    client = _as(cast.owner)
    client.post("/profile/tokens/", {"name": "website CI"})
    first = client.get("/profile/").content.decode()
    assert re.search(r"pf_[\w-]{20,}", first)
    assert not re.search(r"pf_[\w-]{20,}", client.get("/profile/").content.decode())


def test_stewards_reach_the_admin_and_members_do_not(cast):
    assert _as(cast.steward).get("/admin/").status_code == 200
    assert _as(cast.owner).get("/admin/").status_code == 302


def test_steward_in_admin_cannot_change_a_team_they_are_not_in(cast):
    response = _as(cast.steward).post(
        f"/admin/organisation/team/{cast.team.pk}/change/",
        {"name": "Taken", "slug": "workshop"},
    )
    assert response.status_code in (302, 403)
    cast.team.refresh_from_db()
    assert cast.team.name == "Workshop"


def test_an_invitation_starts_with_the_stewards_only_team_ticked(cast):
    """A steward of one team invites to it by default; the teams are one group."""
    page = _as(cast.steward_in_team).get("/invitations/").content.decode()
    ticked = re.findall(
        r'<input type="checkbox" name="teams" value="(\d+)"[^>]* checked', page
    )
    assert ticked == [str(cast.team.pk)]
    assert "<legend>Teams</legend>" in page and 'for=""' not in page
    page = _as(cast.steward).get("/invitations/").content.decode()
    assert " checked" not in page  # in no team: nothing is chosen for them
