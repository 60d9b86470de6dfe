"""Every list of the API reads a fixed number of queries, however many items it holds.

Each list is read with 2 and with 20 items: a count that grows with the items
is an N+1 (one more query per item) and fails here.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from purposeful.feedback.models import Signal
from purposeful.organisation.models import (
    Ally,
    JoinRequest,
    PurposeVersion,
    RemovalProposal,
)
from purposeful.outreach.models import MessageVersion, SiteReview
from purposeful.relationships.models import (
    Account,
    Contact,
    Conversation,
    Handover,
    Referral,
)
from purposeful.targets.models import Comment
from purposeful.webhooks.models import Delivery, Endpoint
from tests import factories
from tests.offers.factories import offer
from tests.outreach.factories import message
from tests.targets.factories import check_in, target

_seq = itertools.count(1)


def _once(cast, key: str, make: Callable):
    """The parent of a nested list, made on the first read and kept for the second."""
    if key not in cast.__dict__:
        cast.__dict__[key] = make()
    return cast.__dict__[key]


def _purpose_versions(cast, n):
    org = factories.organisation()
    start = org.purpose_versions.count()
    for i in range(n):
        PurposeVersion.objects.create(
            organisation=org,
            number=start + i + 1,
            text=f"Purpose {next(_seq)}",
            author=cast.owner,
        )
    return "/purpose/versions"


def _teams(cast, n):
    for _ in range(n):
        factories.team(members=[factories.member()])
    return "/teams"


def _members(cast, n):
    for _ in range(n):
        factories.member(teams=[cast.team])
    return "/members"


def _join_requests(cast, n):
    for _ in range(n):
        JoinRequest.objects.create(team=cast.team, member=factories.member())
    return f"/teams/{cast.team.pk}/join-requests"


def _removals(cast, n):
    for _ in range(n):
        RemovalProposal.objects.create(
            team=cast.team,
            member=factories.member(teams=[cast.team]),
            proposed_by=cast.owner,
        )
    return f"/teams/{cast.team.pk}/removals"


def _roles(cast, n):
    for _ in range(n):
        factories.role(cast.team, f"Role {next(_seq)}", holders=[cast.owner])
    return f"/teams/{cast.team.pk}/roles"


def _allies(cast, n):
    for _ in range(n):
        Ally.objects.create(name=f"Ally {next(_seq)}")
    return "/allies"


def _targets(cast, n):
    for _ in range(n):
        target(cast.team, title=f"Target {next(_seq)}", created_by=cast.owner)
    return "/targets"


def _check_ins(cast, n):
    made = _once(cast, "target", lambda: target(cast.team, created_by=cast.owner))
    for _ in range(n):
        check_in(made, author=cast.owner)
    return f"/targets/{made.pk}/check-ins"


def _comments(cast, n):
    made = _once(cast, "target", lambda: target(cast.team, created_by=cast.owner))
    for _ in range(n):
        Comment.objects.create(
            target=made, author=cast.owner, text=f"Comment {next(_seq)}"
        )
    return f"/targets/{made.pk}/comments"


def _offers(cast, n):
    for _ in range(n):
        offer(cast.team, cast.owner, name=f"Offer {next(_seq)}")
    return "/offers"


def _offer_versions(cast, n):
    made = _once(cast, "offer", lambda: offer(cast.team, cast.owner))
    first = made.versions.order_by("-number").first()
    for _ in range(n):
        first.pk = None
        first.number += 1
        first.save()
    return f"/offers/{made.pk}/versions"


def _messages(cast, n):
    made = [
        message(cast.team, cast.owner, title=f"Message {next(_seq)}") for _ in range(n)
    ]
    for m in made:
        m.offers.add(offer(cast.team, cast.owner, name=f"Offer for {m.title}"))
    return "/messages"


def _message_versions(cast, n):
    made = _once(cast, "message", lambda: message(cast.team, cast.owner))
    for _ in range(n):
        MessageVersion.objects.create(
            message=made, number=next(_seq) + 1, title="T", body="B", author=cast.owner
        )
    return f"/messages/{made.pk}/versions"


def _site_reviews(cast, n):
    for _ in range(n):
        SiteReview.objects.create(name=f"Site {next(_seq)}", created_by=cast.owner)
    return "/site-reviews"


def _accounts(cast, n):
    for _ in range(n):
        Account.objects.create(name=f"Customer {next(_seq)}", team=cast.team)
    return "/accounts"


def _timeline(cast, n):
    account = cast.account
    for _ in range(n):
        Conversation.objects.create(
            account=account, member=cast.owner, summary=f"Talk {next(_seq)}"
        )
    return f"/accounts/{account.pk}/timeline"


def _contacts(cast, n):
    for _ in range(n):
        Contact.objects.create(account=cast.account, name=f"Contact {next(_seq)}")
    return f"/accounts/{cast.account.pk}/contacts"


def _conversations(cast, n):
    for _ in range(n):
        Conversation.objects.create(
            account=cast.account, member=cast.owner, summary=f"Talk {next(_seq)}"
        )
    return f"/accounts/{cast.account.pk}/conversations"


def _handovers(cast, n):
    for _ in range(n):
        account = Account.objects.create(name=f"Customer {next(_seq)}", team=cast.team)
        Handover.objects.create(
            account=account,
            from_team=cast.team,
            to_team=cast.other_team,
            reason="Closer to them.",
            proposed_by=cast.owner,
        )
    return "/handovers"


def _referrals(cast, n):
    ally = _once(cast, "ally", lambda: Ally.objects.create(name="Repair café"))
    for _ in range(n):
        Referral.objects.create(
            account=cast.account,
            ally=ally,
            ally_name=ally.name,
            reason="They fix toasters.",
            referred_by=cast.owner,
        )
    return f"/accounts/{cast.account.pk}/referrals"


def _signals(cast, n):
    for _ in range(n):
        Signal.objects.create(
            team=cast.team, kind="issue", words=f"Squeak {next(_seq)}"
        )
    return "/signals"


def _webhooks(cast, n):
    for _ in range(n):
        Endpoint.objects.create(
            url=f"https://example.org/hook/{next(_seq)}",
            secret="s",
            created_by=cast.steward,
        )
    return "/webhooks"


def _deliveries(cast, n):
    endpoint = _once(
        cast,
        "endpoint",
        lambda: Endpoint.objects.create(
            url="https://example.org/hook", secret="s", created_by=cast.steward
        ),
    )
    for _ in range(n):
        Delivery.objects.create(
            endpoint=endpoint, event_id=uuid.uuid4(), event="signal.created", body="{}"
        )
    return f"/webhooks/{endpoint.pk}/deliveries"


def _exports(cast, n):
    _accounts(cast, n)
    return "/exports/accounts"


def _audit(cast, n):
    for _ in range(n):
        # every change of a record is logged
        Ally.objects.create(name=f"Ally {next(_seq)}")
    return "/audit?record_type=organisation.ally"


LISTS: dict[str, Callable] = {
    "audit log": _audit,
    "purpose versions": _purpose_versions,
    "teams": _teams,
    "members": _members,
    "join requests": _join_requests,
    "removals": _removals,
    "roles": _roles,
    "allies": _allies,
    "targets": _targets,
    "check-ins": _check_ins,
    "comments": _comments,
    "offers": _offers,
    "offer versions": _offer_versions,
    "messages": _messages,
    "message versions": _message_versions,
    "site reviews": _site_reviews,
    "accounts": _accounts,
    "timeline": _timeline,
    "contacts": _contacts,
    "conversations": _conversations,
    "handovers": _handovers,
    "referrals": _referrals,
    "signals": _signals,
    "webhooks": _webhooks,
    "deliveries": _deliveries,
    "exports": _exports,
}


def _queries(cast, api, make, n: int) -> tuple[int, int]:
    path = make(cast, n)
    client = api(cast.steward_in_team)
    # once before counting: caches filled on a first request (content types)
    # are not the list's queries
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries), len(_items(response.json()))


def _items(body):
    return body["items"] if isinstance(body, dict) else body


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_reads_as_many_queries_for_20_items_as_for_2(cast, api, name):
    few, shown = _queries(cast, api, LISTS[name], 2)
    assert shown >= 2
    # the same lists again, now 20 items longer
    many, shown = _queries(cast, api, LISTS[name], 18)
    assert shown >= 20
    assert many == few, f"{name}: {few} queries for 2 items, {many} for 20"
