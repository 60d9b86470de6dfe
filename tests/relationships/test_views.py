"""Customer pages: everyone inside reads; only the owning team writes."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.organisation.models import Ally
from purposeful.relationships.models import Account, Contact, Conversation, Handover
from tests import factories


def _client(cast, role):
    client = Client()
    if role != "anonymous":
        client.force_login(cast.by_role(role))
    return client


PAGE_WRITES = {
    # name: (path builder, data, {role: status}, did-it-happen check)
    "account.create": (
        lambda c: "/customers/new/",
        lambda c: {"team": c.team.pk, "name": "Harbour Café", "kind": "organisation"},
        # a steward in no team gets the join-a-team page
        {"anonymous": 302, "owner": 302, "outsider": 200, "steward": 403},
        lambda c: Account.objects.filter(name="Harbour Café", team=c.team).exists(),
    ),
    "account.change": (
        lambda c: f"/customers/{c.account.pk}/edit/",
        lambda c: {"name": "Renamed Bakery", "kind": "organisation", "notes": ""},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: Account.objects.filter(name="Renamed Bakery").exists(),
    ),
    "contact.create": (
        lambda c: f"/customers/{c.account.pk}/contacts/new/",
        lambda c: {"name": "Ana", "email": "ana@example.net"},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: Contact.objects.filter(name="Ana").exists(),
    ),
    "conversation.log": (
        lambda c: f"/customers/{c.account.pk}/conversations/",
        lambda c: {
            "kind": "call",
            "happened_at": "2024-05-01T10:00",
            "summary": "Asked about a service plan.",
        },
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: Conversation.objects.exists(),
    ),
    "handover.propose": (
        lambda c: f"/customers/{c.account.pk}/handover/",
        lambda c: {"to_team": c.other_team.pk, "reason": "They want a course."},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: Handover.objects.filter(account=c.account).exists(),
    ),
    "handover.accept": (
        lambda c: f"/customers/handovers/{c.incoming_handover.pk}/accept/",
        lambda c: {"response": "Welcome"},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: Handover.objects.get(pk=c.incoming_handover.pk).state == "accepted",
    ),
}

HAPPENS = {"owner"}


@pytest.mark.parametrize("role", ["anonymous", "owner", "outsider", "steward"])
@pytest.mark.parametrize("name", list(PAGE_WRITES))
def test_page_write_matrix(cast, name, role):
    path, data, expected, happened = PAGE_WRITES[name]
    response = _client(cast, role).post(path(cast), data(cast))
    assert response.status_code == expected[role], response.content[:400]
    assert happened(cast) is (role in HAPPENS)
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["owner", "outsider", "steward"])
def test_every_member_reads_customers_and_their_timeline(cast, role):
    client = _client(cast, role)
    assert client.get("/customers/").status_code == 200
    response = client.get(f"/customers/{cast.account.pk}/")
    assert response.status_code == 200
    assert b"Riverside Bakery" in response.content
    can_write = b"Log a conversation" in response.content
    assert can_write is (role == "owner")


def test_anonymous_visitor_cannot_see_customers(cast):
    response = Client().get(f"/customers/{cast.account.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_account_page_names_the_customer_link_as_person_to_talk_to(cast):
    factories.role(cast.team, holders=[cast.owner])
    response = _client(cast, "outsider").get(f"/customers/{cast.account.pk}/")
    assert b"People to talk to" in response.content
    assert cast.owner.name.encode() in response.content


def test_invalid_contact_re_renders_with_errors_and_keeps_input(cast):
    response = _client(cast, "owner").post(
        f"/customers/{cast.account.pk}/contacts/new/",
        {"name": "Ana Lopez", "email": "not-an-email", "phone": "0123"},
    )
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert b'value="Ana Lopez"' in response.content
    assert not Contact.objects.exists()


def test_future_conversation_is_refused_on_the_form(cast):
    response = _client(cast, "owner").post(
        f"/customers/{cast.account.pk}/conversations/",
        {"kind": "call", "happened_at": "2999-01-01T10:00", "summary": "Later"},
    )
    assert response.status_code == 400
    assert b"cannot be in the future" in response.content
    assert b"Later" in response.content


def test_accepting_a_handover_moves_the_customer(cast):
    handover = cast.incoming_handover
    response = _client(cast, "owner").post(
        f"/customers/handovers/{handover.pk}/accept/", {"response": "Gladly"}
    )
    assert response.status_code == 302
    assert Account.objects.get(pk=handover.account_id).team == cast.team


def test_unknown_handover_answer_is_not_found(cast):
    response = _client(cast, "owner").post(
        f"/customers/handovers/{cast.incoming_handover.pk}/shrug/"
    )
    assert response.status_code == 404


def test_referral_is_counted_on_the_allys_page(cast):
    ally = Ally.objects.create(name="Cargo Collective")
    _client(cast, "owner").post(
        f"/customers/{cast.account.pk}/referrals/",
        {"ally": ally.pk, "reason": "They need a cargo bike built."},
    )
    page = _client(cast, "outsider").get(f"/customers/allies/{ally.pk}/")
    assert b"<strong>1</strong> customer referred" in page.content
    assert b"Riverside Bakery" in page.content
    listing = _client(cast, "outsider").get("/customers/allies/")
    assert b"Cargo Collective" in listing.content


def test_customer_search_finds_by_contact_name(cast):
    Contact.objects.create(account=cast.account, name="Ana Lopez")
    Account.objects.create(name="Someone Else", team=cast.team)
    response = _client(cast, "owner").get("/customers/?q=lopez")
    assert b"Riverside Bakery" in response.content
    assert b"Someone Else" not in response.content


def test_every_label_on_the_customer_page_points_at_its_own_form_field(cast):
    """The referral's and the hand-over's "Reason" are two fields, not one id."""
    import re

    page = _client(cast, "owner").get(f"/customers/{cast.account.pk}/").content
    page = page.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'for="handover_reason"' in page and 'for="referral_reason"' in page
    # the receiving team is asked for in words, not with dashes
    assert "Choose a team" in page and "---------" not in page


def test_a_conversation_is_dated_by_day_month_year_and_24_hour_time(cast):
    from django.utils import timezone

    page = _client(cast, "owner").get(f"/customers/{cast.account.pk}/").content
    page = page.decode()
    assert 'type="datetime-local"' not in page
    assert 'name="happened_at_day"' in page and 'name="happened_at_time"' in page
    _client(cast, "owner").post(
        f"/customers/{cast.account.pk}/conversations/",
        {
            "kind": "call",
            "happened_at_day": "3",
            "happened_at_month": "2",
            "happened_at_year": "2026",
            "happened_at_time": "14:30",
            "summary": "Asked about a service plan.",
        },
    )
    when = timezone.localtime(Conversation.objects.get().happened_at)
    assert (when.day, when.month, when.year, when.hour, when.minute) == (
        3,
        2,
        2026,
        14,
        30,
    )


def test_a_new_customer_asks_for_the_team_of_a_member_of_several(cast):
    page = _client(cast, "owner").get("/customers/new/").content.decode()
    assert f'<option value="{cast.team.pk}" selected>' in page
    two = factories.member("two", teams=[cast.team, cast.other_team])
    client = Client()
    client.force_login(two)
    page = client.get("/customers/new/").content.decode()
    assert '<option value="" selected>Choose a team</option>' in page
    assert "---------" not in page


def test_the_timeline_shows_each_kind_of_entry(cast, settings):
    from datetime import UTC, datetime

    from purposeful.feedback.models import Signal
    from purposeful.relationships.models import Referral

    settings.TIME_ZONE = "Europe/Berlin"
    at = datetime(2026, 3, 1, 9, 5, tzinfo=UTC)
    Conversation.objects.create(
        account=cast.account,
        kind=Conversation.Kind.choices[0][0],
        member=cast.owner,
        contact=cast.contact,
        happened_at=at,
        summary="They asked <why>\nand when",
    )
    Conversation.objects.create(
        account=cast.account,
        kind=Conversation.Kind.choices[0][0],
        happened_at=at,
        summary="No one noted",
    )
    signal = Signal.objects.create(
        team=cast.team,
        account=cast.account,
        words=" ".join(f"w{n}" for n in range(70)),
        state=Signal.State.IN_PROGRESS,
    )
    Referral.objects.create(account=cast.account, ally_name="Wheel & Co", reason="Rims")
    Handover.objects.create(
        account=cast.account,
        from_team=cast.team,
        to_team=cast.other_team,
        reason="Closer to them",
        state=Handover.State.DECLINED,
        response="Not now",
    )
    page = _client(cast, "outsider").get(f"/customers/{cast.account.pk}/")
    html = page.content.decode()

    kind = Conversation.Kind.choices[0][1]
    assert (
        f'<time datetime="2026-03-01T10:05:00+01:00">1 Mar 2026, 10:05</time> ·\n'
        f'      <span class="badge">{kind}</span> {cast.owner.name} with Ada Lindqvist'
    ) in html
    assert "<p>They asked &lt;why&gt;<br>and when</p>" in html
    assert f'<span class="badge">{kind}</span> someone\n' in html
    assert (
        f'<a href="/inbox/signals/{signal.pk}/">signal to {cast.team.name}</a> · In progress'
    ) in html
    assert "w59 …</blockquote>" in html and "w60" not in html
    assert "to Wheel &amp; Co by someone" in html
    assert (
        f"{cast.team.name} → {cast.other_team.name} · Declined</p>\n"
        "      <p>Closer to them — answer: Not now</p>"
    ) in html
