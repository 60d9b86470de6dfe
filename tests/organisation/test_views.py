from __future__ import annotations

from django.test import Client

from purposeful.organisation.models import Ally, PurposeVersion, Team
from tests import factories


def _as(member):
    client = Client()
    client.force_login(member)
    return client


def test_home_page_shows_the_purpose_to_anonymous_visitors(cast):
    response = Client().get("/")
    assert response.status_code == 200
    assert b"Keep bikes riding." in response.content
    assert b"Sign in" in response.content


def test_invalid_team_form_re_renders_with_errors_and_keeps_input(cast):
    response = _as(cast.owner).post(
        "/teams/new/", {"name": "", "purpose": "My careful words"}
    )
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert b"My careful words" in response.content
    assert Team.objects.count() == 2


def test_duplicate_team_name_is_shown_on_the_field(cast):
    response = _as(cast.owner).post("/teams/new/", {"name": "Workshop", "purpose": ""})
    assert response.status_code == 200
    assert b"already exists." in response.content
    assert Team.objects.filter(name__iexact="workshop").count() == 1


def test_purpose_history_lists_versions_newest_first(cast):
    client = _as(cast.owner)
    client.post("/purpose/edit/", {"text": "Second purpose", "reason": "Grew"})
    response = client.get("/purpose/history/")
    content = response.content.decode()
    assert content.index("Second purpose") < content.index("Keep bikes riding.")
    assert PurposeVersion.objects.count() == 2


def test_internal_pages_send_anonymous_visitors_to_sign_in(cast):
    for path in [
        "/teams/",
        f"/teams/{cast.team.slug}/",
        "/members/",
        "/start/",
        "/purpose/history/",
    ]:
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


def test_team_page_shows_customer_links_to_every_member(cast):
    from tests import factories

    factories.role(cast.team, holders=[cast.owner])
    response = _as(cast.outsider).get(f"/teams/{cast.team.slug}/")
    assert b"Customer link" in response.content
    assert b"Owner" in response.content
    assert b"Ask to join" in response.content


def test_allies_page_is_public_but_hides_contacts_from_visitors(cast):
    Ally.objects.create(name="Open Bike Kitchen", contact="ines@example.org")
    public = Client().get("/allies/")
    assert (
        b"Open Bike Kitchen" in public.content
        and b"ines@example.org" not in public.content
    )
    inside = _as(cast.owner).get("/allies/")
    assert b"ines@example.org" in inside.content


def test_unknown_pages_get_a_friendly_404(cast):
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert b"There is nothing at this address." in response.content


def test_pages_carry_a_content_security_policy_without_inline_scripts(cast):
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert b"<script>" not in response.content


def test_asking_to_join_on_the_team_page_waits_for_a_member(cast):
    client = _as(cast.outsider)
    assert b"Ask to join" in client.get(f"/teams/{cast.team.slug}/").content
    response = client.post(f"/teams/{cast.team.slug}/join/", follow=True)
    assert b"You asked to join Workshop" in response.content
    assert b"a member of the team will answer" in response.content
    assert not cast.team.members.filter(pk=cast.outsider.pk).exists()


def test_team_page_shows_requests_to_join_with_accept_and_decline_to_members(cast):
    from purposeful.organisation.services import team_join

    request = team_join(actor=cast.outsider, team=cast.team, message="I fix wheels")
    accept = f"/teams/{cast.team.slug}/requests/{request.pk}/accept/"
    page = _as(cast.owner).get(f"/teams/{cast.team.slug}/").content.decode()
    assert accept in page and "/decline/" in page and "I fix wheels" in page
    other = factories.member("other", teams=[cast.other_team])
    assert accept not in _as(other).get(f"/teams/{cast.team.slug}/").content.decode()
    assert _as(other).post(accept).status_code == 403
    response = _as(cast.owner).post(accept, follow=True)
    assert b"Outsider is now in Workshop" in response.content
    assert cast.team.members.filter(pk=cast.outsider.pk).exists()


def test_remove_on_the_team_page_proposes_and_a_second_member_agrees(cast):
    third = factories.member("third", teams=[cast.team])
    remove = f"/teams/{cast.team.slug}/members/steward2/remove/"
    response = _as(cast.owner).post(remove, {"reason": "Moved away"}, follow=True)
    assert b"Nothing changes until a second member agrees" in response.content
    assert cast.team.members.filter(pk=cast.steward_in_team.pk).exists()
    proposal = cast.team.removal_proposals.get()
    agree = f"/teams/{cast.team.slug}/removals/{proposal.pk}/agree/"
    assert (
        agree not in _as(cast.owner).get(cast.team.get_absolute_url()).content.decode()
    )
    assert _as(cast.owner).post(agree).status_code == 403
    page = _as(third).get(cast.team.get_absolute_url()).content.decode()
    assert agree in page and "Moved away" in page
    _as(third).post(agree)
    assert not cast.team.members.filter(pk=cast.steward_in_team.pk).exists()
    page = _as(third).get(cast.team.get_absolute_url()).content.decode()
    assert "Steward2 was removed (proposed by Owner, agreed by Third)" in page


def test_removing_a_teammate_asks_first_and_changes_nothing_until_confirmed(cast):
    third = factories.member("third", teams=[cast.team])
    remove = f"/teams/{cast.team.slug}/members/steward2/remove/"
    team_page = _as(cast.owner).get(cast.team.get_absolute_url()).content.decode()
    # the team page links to a question instead of posting at once
    assert f'href="{remove}"' in team_page
    assert f'action="{remove}"' not in team_page
    question = _as(cast.owner).get(remove)
    assert question.status_code == 200
    assert b"Propose that Steward2 leaves Workshop?" in question.content
    assert b'name="reason"' in question.content
    assert not cast.team.removal_proposals.exists()
    assert (
        _as(factories.member("other", teams=[cast.other_team])).get(remove).status_code
        == 403
    )
    _as(cast.owner).post(remove, {"reason": "Moved away"})
    proposal = cast.team.removal_proposals.get()
    agree = f"/teams/{cast.team.slug}/removals/{proposal.pk}/agree/"
    question = _as(third).get(agree)
    assert b"Agree that Steward2 leaves Workshop?" in question.content
    assert b"Moved away" in question.content
    assert cast.team.members.filter(pk=cast.steward_in_team.pk).exists()
    _as(third).post(agree)
    assert not cast.team.members.filter(pk=cast.steward_in_team.pk).exists()


def test_leaving_a_team_asks_first(cast):
    leave = f"/teams/{cast.team.slug}/leave/"
    response = _as(cast.owner).get(leave)
    assert response.status_code == 200
    assert b"Leave Workshop?" in response.content
    assert cast.team.members.filter(pk=cast.owner.pk).exists()
    _as(cast.owner).post(leave)
    assert not cast.team.members.filter(pk=cast.owner.pk).exists()


def test_start_page_shows_what_waits_for_the_members_teams(cast):
    from purposeful.organisation.services import team_join
    from purposeful.relationships.models import Account, Handover

    team_join(actor=cast.outsider, team=cast.team, message="I fix wheels")
    account = Account.objects.create(name="Harbour Logistics", team=cast.other_team)
    Handover.objects.create(
        account=account,
        from_team=cast.other_team,
        to_team=cast.team,
        reason="Frame work on the bench",
    )
    page = _as(cast.owner).get("/start/").content.decode()
    assert "Harbour Logistics" in page and "Frame work on the bench" in page
    assert "Outsider asks to join Workshop" in page
    other = factories.member("other", teams=[cast.other_team])
    page = _as(other).get("/start/").content.decode()
    assert "Frame work on the bench" not in page and "asks to join" not in page


def test_adding_a_colleague_asks_in_words_not_with_dashes(cast):
    factories.member("newcomer", teams=[cast.other_team])
    page = _as(cast.owner).get(f"/teams/{cast.team.slug}/").content.decode()
    assert '<option value="" selected>Choose a colleague</option>' in page
    assert "---------" not in page
