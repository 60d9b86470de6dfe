"""Schemathesis drives every operation of the OpenAPI document with generated input.

Anonymous and authenticated: no server error, and every documented response
keeps its schema and content type.
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

from purposeful.people.services import token_create
from purposeful.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


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
def token(cast):
    return token_create(actor=cast.owner, member=cast.owner, name="fuzz")[1]


@schema.parametrize()
@FUZZ
def test_api_as_a_member(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_api_anonymously(case, cast):
    case.call_and_validate(checks=CHECKS)
