"""The list pages take a fixed number of queries, however many rows they show.

Each list shows rows with a customer, an assignee, tags, a team, a contact:
an N+1 query (one more per row) shows up as a count far over the limit, since
the fixture gives each page several rows with all of them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from purposeful.feedback.models import Signal, Tag
from purposeful.relationships.models import Account, Contact, Conversation, Referral
from tests import factories

ROWS = 12


@pytest.fixture
def busy(cast):
    """Signals, customers, contacts, conversations and referrals, all linked."""
    helpers = [factories.member(f"helper{n}", teams=[cast.team]) for n in range(3)]
    tags = [Tag.objects.create(name=f"tag{n}") for n in range(3)]
    account = cast.account
    for n in range(ROWS):
        customer = Account.objects.create(name=f"Riverside {n}", team=cast.team)
        contact = Contact.objects.create(account=account, name=f"Contact {n}")
        signal = Signal.objects.create(
            team=cast.team if n % 2 else cast.other_team,
            account=account if n % 3 else customer,
            assignee=helpers[n % 3],
            words=f"The hub gear slips, time {n}.",
            is_account_verified=bool(n % 4),
        )
        signal.tags.set(tags[: n % 4])
        Conversation.objects.create(
            account=account,
            member=helpers[n % 3],
            contact=contact,
            happened_at=timezone.now() - timedelta(days=n),
            summary=f"Talked about the hub, {n}.",
        )
        Referral.objects.create(
            account=account,
            ally_name=f"Ally {n}",
            reason="Wheels",
            referred_by=cast.owner,
        )
    # one duplicate merged into another: search shows it with its badge
    into, duplicate = Signal.objects.filter(team=cast.team)[:2]
    duplicate.merged_into = into
    duplicate.save()
    return cast


# page limits: what each page takes today, with every row linked to something
PAGES = {
    "inbox index": (lambda c: "/inbox/", 6),
    "team inbox": (lambda c: f"/inbox/{c.team.slug}/?state=", 10),
    "team inbox, page 2": (lambda c: f"/inbox/{c.team.slug}/?state=&page=2", 10),
    "search": (lambda c: "/inbox/search/?q=hub+gear&state=", 8),
    "account timeline": (lambda c: f"/customers/{c.account.pk}/", 19),
    "customer search": (lambda c: "/customers/?q=Riverside", 7),
    "customers": (lambda c: "/customers/", 7),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_list_pages_take_a_fixed_number_of_queries(
    busy, django_assert_max_num_queries, monkeypatch, name
):
    # pages of three rows, so that page 2 of the team inbox has rows too
    monkeypatch.setattr("purposeful.feedback.views.PAGE_SIZE", 3)
    path, limit = PAGES[name]
    client = Client()
    client.force_login(busy.owner)
    client.get(path(busy))  # the session and caches settle on the first request
    with django_assert_max_num_queries(limit):
        response = client.get(path(busy))
    assert response.status_code == 200
