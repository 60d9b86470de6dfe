"""Schemathesis drives every operation of the OpenAPI document with generated input.

As a member, as a steward and anonymously: no server error, every documented
response keeps its schema and content type, and no call changes a record the
actor may not write. Each team owns one record of every kind, so generated
ids (small integers) reach real records of the actor's team and of others.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from purposeful.feedback.models import Signal
from purposeful.offers.models import Offer, OfferVersion
from purposeful.organisation.models import Membership, Organisation, Role, Team
from purposeful.outreach.models import Message
from purposeful.people.models import ApiToken, Member
from purposeful.people.services import token_create
from purposeful.relationships.models import Account, Contact
from purposeful.targets.models import Target
from purposeful.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

# Records a team owns, by how each reaches its team. Only the team's members
# write them (stewards too only as members): anyone else's call leaves them be.
TEAM_OWNED = [
    (Team, "pk"),
    (Membership, "team"),
    (Role, "team"),
    (Account, "team"),
    (Contact, "account__team"),
    (Signal, "team"),
    (Offer, "team"),
    (OfferVersion, "offer__team"),
    (Target, "team"),
    (Message, "team"),
]


# Path parameters aimed at the records above: a generated integer id becomes the
# id of the other team's record when even, of the actor's team's when odd, so
# calls reach real records instead of only answering 404; malformed ids stay.
AIMED = {
    "team_id": (Team, "pk"),
    "role_id": (Role, "team"),
    "account_id": (Account, "team"),
    "contact_id": (Contact, "account__team"),
    "signal_id": (Signal, "team"),
    "offer_id": (Offer, "team"),
    "target_id": (Target, "team"),
    "message_id": (Message, "team"),
}
USERNAMES = ["outsider", "owner", "steward2"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI app directly, so Django's request signals fire.

    Their handler would close the test's database connection (it sits in a
    transaction, so it looks unusable); Django's own test client disconnects it
    the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(cast):
    """One record of every kind for each team, written by its own member."""
    from tests.offers.factories import offer
    from tests.outreach.factories import message
    from tests.targets.factories import target

    for team, author in ((cast.team, cast.owner), (cast.other_team, cast.outsider)):
        account = Account.objects.create(name=f"Customer of {team.name}", team=team)
        Contact.objects.create(account=account, name="Ada", email="ada@example.org")
        Signal.objects.create(team=team, kind="issue", words="The brakes squeak.")
        Role.objects.create(team=team, name="Customer link", kind="customer_link")
        offer(team, author)
        target(team, created_by=author)
        message(team, author)
    return cast


def _rows(model, lookup, teams):
    rows = model.objects.filter(**{f"{lookup}__in": teams})
    return {row["id"]: row for row in rows.values()}


def _changed(before, after, name) -> bool:
    if isinstance(before, list):
        return before != after
    if name == "Signal":
        # anyone may send a team a signal: new ones are fine, changed ones not
        after = {pk: row for pk, row in after.items() if pk in before}
    return before != after


def _snapshot(actor, cast) -> dict:
    """What ``actor`` may not write, as it is now."""
    in_team = actor.is_authenticated and not actor.is_steward
    teams = [cast.other_team] if in_team else [cast.team, cast.other_team]
    teams = [t.pk for t in teams]
    seen = {model.__name__: _rows(model, lookup, teams) for model, lookup in TEAM_OWNED}
    others = Member.objects.exclude(pk=actor.pk or 0).order_by("pk")
    # a steward manages accounts (active, steward); their profile is their own
    seen["Member"] = list(
        others.values_list("username", "display_name", "email", "about", "password")
    )
    seen["ApiToken"] = list(
        ApiToken.objects.exclude(member_id=actor.pk or 0)
        .order_by("pk")
        .values_list("pk", "digest")
    )
    if not getattr(actor, "is_steward", False):
        seen["Organisation"] = list(Organisation.objects.values_list())
        seen["Member.roles"] = list(others.values_list("is_steward", "is_active"))
    return seen


def _aim(case, cast) -> None:
    parameters = case.path_parameters or {}
    for name, value in list(parameters.items()):
        if name == "username" and isinstance(value, str):
            parameters[name] = USERNAMES[len(value) % len(USERNAMES)]
        if name not in AIMED:
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        model, lookup = AIMED[name]
        team = cast.other_team if number % 2 == 0 else cast.team
        found = model.objects.filter(**{lookup: team.pk}).values_list("pk", flat=True)
        parameters[name] = found.first()


def _call(case, actor, cast, token=None):
    _aim(case, cast)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if case.method.upper() in {"GET", "HEAD", "OPTIONS"}:
        # reads are checked for their answers only: a snapshot costs a dozen queries
        case.call_and_validate(headers=headers, checks=CHECKS)
        return
    before = _snapshot(actor, cast)
    case.call_and_validate(headers=headers, checks=CHECKS)
    after = _snapshot(actor, cast)
    changed = sorted(n for n in before if _changed(before[n], after[n], n))
    assert not changed, (
        f"{case.method} {case.formatted_path} {case.body!r} as {actor} "
        f"changed {changed}, which only others may write"
    )


@pytest.fixture
def member_token(records):
    return token_create(actor=records.owner, member=records.owner, name="fuzz")[1]


@pytest.fixture
def steward_token(records):
    return token_create(actor=records.steward, member=records.steward, name="fuzz")[1]


@schema.parametrize()
@FUZZ
def test_api_as_a_member(case, records, member_token):
    _call(case, records.owner, records, member_token)


@schema.parametrize()
@FUZZ
def test_api_as_a_steward(case, records, steward_token):
    _call(case, records.steward, records, steward_token)


@schema.parametrize()
@settings(FUZZ, max_examples=2)
def test_api_anonymously(case, records):
    _call(case, records.anonymous, records)
