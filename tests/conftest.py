"""Shared fixtures: the cast of every permission test and an authenticated API client."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client

from purposeful.people.services import token_create
from tests import factories


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a free loopback port, for the whole test run (see
    tests/s3store.py for why moto's server and not a mock)."""
    from moto.server import ThreadedMotoServer

    from tests.s3store import S3Store

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Store(endpoint=f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    # Argon2 is deliberately slow; tests only need a working hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # A fresh in-memory cache per test: rate limits and counters never leak
    # from one test into the next (the installation itself caches in its DB).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    cache.clear()


@dataclass
class Cast:
    """The roles of the permission matrix, around one team that owns records."""

    team: object
    other_team: object
    anonymous: object
    owner: object  # member of the owning team
    outsider: object  # member of another team only
    steward: object  # steward, in no team
    steward_in_team: object  # steward who is also in the owning team

    def by_role(self, role: str):
        return getattr(self, role)

    # relationships and feedback: records the team owns, created on first use
    @cached_property
    def account(self):
        from purposeful.relationships.models import Account

        return Account.objects.create(name="Riverside Bakery", team=self.team)

    @cached_property
    def contact(self):
        from purposeful.relationships.models import Contact

        return Contact.objects.create(
            account=self.account, name="Ada Lindqvist", email="ada@example.org"
        )

    @cached_property
    def incoming_handover(self):
        """A hand-over of another team's customer, proposed to the owning team."""
        from purposeful.relationships.models import Account, Handover

        account = Account.objects.create(name="Canal School", team=self.other_team)
        return Handover.objects.create(
            account=account,
            from_team=self.other_team,
            to_team=self.team,
            reason="They need repairs, not courses.",
        )

    @cached_property
    def outbox_email(self):
        """An e-mail in the outbox (no mail server), sent to the owner."""
        from purposeful.notifications.outbox import OutboxEmail

        return OutboxEmail(
            key="0" * 20,
            subject="A new signal",
            sender="purposeful@localhost",
            recipients=(self.owner.email.lower(),),
            to=self.owner.email,
            sent_at=None,
            text="",
            html="",
            headers=(),
        )

    @cached_property
    def signal(self):
        from purposeful.feedback.models import Signal

        return Signal.objects.create(
            team=self.team, kind="issue", words="The brakes squeak again."
        )

    # team membership: a request to join the owning team, and proposals that
    # someone leaves it (one by another member, one by the owner)
    @cached_property
    def join_request(self):
        from purposeful.organisation.models import JoinRequest

        return JoinRequest.objects.create(team=self.team, member=self.outsider)

    @cached_property
    def removal(self):
        from purposeful.organisation.models import RemovalProposal

        colleague = factories.member("colleague", teams=[self.team])
        return RemovalProposal.objects.create(
            team=self.team, member=colleague, proposed_by=self.steward_in_team
        )

    @cached_property
    def own_removal(self):
        from purposeful.organisation.models import RemovalProposal

        return RemovalProposal.objects.create(
            team=self.team, member=self.steward_in_team, proposed_by=self.owner
        )

    # targets: a shared and a team-only target of the owning team
    @cached_property
    def target(self):
        from tests.targets.factories import target

        return target(self.team, created_by=self.owner)

    @cached_property
    def private_target(self):
        from tests.targets.factories import target

        return target(self.team, title="Kept inside", is_shared=False)

    # offers: a draft offer of the owning team, written by its member
    @cached_property
    def offer(self):
        from tests.offers.factories import offer

        return offer(self.team, self.owner)

    # outreach: a draft message of the owning team, written by its member
    @cached_property
    def message(self):
        from tests.outreach.factories import message

        return message(self.team, self.owner)


ROLES = ["anonymous", "owner", "outsider", "steward"]


@pytest.fixture
def cast(db) -> Cast:
    factories.organisation()
    team = factories.team("Workshop")
    other = factories.team("Learning Lab")
    owner = factories.member("owner", teams=[team])
    outsider = factories.member("outsider", teams=[other])
    steward = factories.member("steward", steward=True)
    steward_in_team = factories.member("steward2", steward=True, teams=[team])
    return Cast(team, other, AnonymousUser(), owner, outsider, steward, steward_in_team)


class ApiClient:
    """A test client that speaks JSON to /api/v1/ with a bearer token."""

    def __init__(self, member=None):
        self.client = Client()
        self.headers = {}
        if member is not None:
            _, raw = token_create(actor=member, member=member, name="tests")
            self.headers["Authorization"] = f"Bearer {raw}"

    def _call(self, method: str, path: str, data=None):
        kwargs = {"headers": self.headers}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path):
        return self._call("get", path)

    def post(self, path, data=None):
        return self._call("post", path, data if data is not None else {})

    def patch(self, path, data=None):
        return self._call("patch", path, data if data is not None else {})

    def delete(self, path):
        return self._call("delete", path)


@pytest.fixture
def api():
    """``api(member)`` gives a JSON client acting as that member (None: anonymous)."""
    return ApiClient
