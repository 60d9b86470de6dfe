"""The JSON API under /api/v1/, assembled from the apps' routers.

Authentication: a personal token as ``Authorization: Bearer …``, or the
browser's session (with CSRF). A write may carry ``Idempotency-Key`` (see
core.idempotency). Errors are always JSON in one shape,
``{"error": "…", "detail": [{"field": …, "message": …}]}`` (see apierrors).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import URLPattern
from django.urls import path as url_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from purposeful.audit.api import router as audit_router
from purposeful.audit.context import audit_actor_set
from purposeful.core import idempotency
from purposeful.core.apierrors import error_body, from_django, from_schema
from purposeful.core.locking import EditConflict
from purposeful.exchange.api import router as exchange_router
from purposeful.feedback.api import router as feedback_router
from purposeful.notifications.api import router as notifications_router
from purposeful.offers.api import router as offers_router
from purposeful.organisation.api import router as organisation_router
from purposeful.outreach.api import router as outreach_router
from purposeful.people.api import router as people_router
from purposeful.people.services import token_authenticate
from purposeful.privacy.api import router as privacy_router
from purposeful.relationships.api import router as relationships_router
from purposeful.sensing.api import router as sensing_router
from purposeful.targets.api import router as targets_router
from purposeful.webhooks.api import router as webhooks_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        member = token_authenticate(token)
        if member is not None:
            request.user = member
            audit_actor_set(member)
        return member


class MemberSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


# A surrogate half on its own is valid JSON but no text: no database stores it.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class BodyRefused(ValueError):
    """A JSON body the API cannot take; the message says why, for the client."""


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(
            _has_lone_surrogate(key) or _has_lone_surrogate(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


class ObjectParser(Parser):
    """Every JSON body of this API is an object of named fields.

    Without this, ninja reads any other JSON value (``[null, null]``, ``true``)
    as an object with every field left out, and a change answers 200.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body)
        except ValueError:
            raise BodyRefused("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise BodyRefused("The request body must be a JSON object.")
        if _has_lone_surrogate(data):
            raise BodyRefused(
                "The request body holds an unpaired surrogate (\\ud800–\\udfff), "
                "which is not text; send the characters themselves."
            )
        return data


class PurposefulAPI(NinjaAPI):
    """The API, with its OpenAPI document built once per process.

    ninja builds the document from every operation's schemas on each request
    (about 100 ms for this API, before the page can draw anything); the
    operations are fixed once the routers are added, so the first answer is
    kept for every later one.
    """

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        cache: dict[str, OpenAPISchema] = self.__dict__.setdefault("_schemas", {})
        if path_prefix not in cache:
            cache[path_prefix] = idempotency.document(
                super().get_openapi_schema(path_prefix=path_prefix)
            )
        return cache[path_prefix]

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        # The site asks everyone else to sign in (LoginRequiredMiddleware); the
        # API authenticates each operation itself and answers a missing or wrong
        # token with a JSON 401, never a redirect to the sign-in page.
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            # every pattern here is a view, never an include: it has a callback
            login_not_required(cast(Callable[..., Any], pattern.callback))
        return patterns, app_name, namespace


api = PurposefulAPI(
    title="Purposeful API",
    version="1",
    description="Purpose, teams, roles and allies of the organisation. "
    "Authenticate with a personal token (`Authorization: Bearer …`, from your profile "
    "page or `purposeful token create`) or a signed-in browser session.",
    auth=[TokenAuth(), MemberSessionAuth()],
    urls_namespace="api",
    parser=ObjectParser(),
    # Swagger UI drawing every operation and every schema at once took most of the
    # page's two seconds; folded, it draws the tags and opens one on demand.
    docs=Swagger(settings={"docExpansion": "none", "defaultModelsExpandDepth": -1}),
)
# Every write may carry an Idempotency-Key: sent again, it is answered, not repeated.
api.add_decorator(idempotency.idempotent, mode="view")


_METHODS = ("get", "post", "put", "patch", "delete")


def operations_by_tag() -> list[tuple[str, list[dict[str, Any]]]]:
    """Every operation of the OpenAPI document, grouped by tag in document order.

    The API's reference page is drawn from this on the server, so it is readable
    at once, without Swagger UI's script, on a phone and by keyboard.
    """
    document = api.get_openapi_schema()
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in document["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "public": not operation.get("security"),
                    "anchor": operation["operationId"],
                }
            )
    return list(groups.items())


def _answer(request, status: int, body: dict[str, Any]):
    return api.create_response(request, body, status=status)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # ninja wraps whatever the parser raises as "Cannot parse request body";
    # the parser's own reason is clearer.
    cause = exc.__cause__
    error = str(cause) if isinstance(cause, BodyRefused) else str(exc)
    if exc.status_code == 401:
        error = (
            "Sign in, or send a personal token as 'Authorization: Bearer …' "
            "(from your profile page or 'purposeful token create')."
        )
    return _answer(request, exc.status_code, error_body(error))


@api.exception_handler(SchemaError)
def _not_in_schema(request, exc):
    # 400 like every other invalid input, not ninja's 422: a client checks one status.
    return _answer(request, 400, from_schema(exc.errors))


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return _answer(request, 403, error_body(str(exc) or "You may not do this."))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _answer(request, 400, from_django(exc))


@api.exception_handler(EditConflict)
def _conflict(request, exc):
    # Optimistic locking: the record changed since the client read it.
    return _answer(
        request, 409, error_body(exc.messages[0], version=exc.current_version)
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _answer(request, 404, error_body("Not found."))


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    # An id or number larger than the database can hold: the client's mistake.
    return _answer(request, 400, error_body("A number in the request is out of range."))


api.add_router("/", people_router)
api.add_router("/", organisation_router)
api.add_router("/", audit_router)
api.add_router("/", targets_router)
api.add_router("/", offers_router)
api.add_router("/", outreach_router)
api.add_router("/", relationships_router)
api.add_router("/", feedback_router)
api.add_router("/", webhooks_router)
api.add_router("/", sensing_router)
api.add_router("/", notifications_router)
api.add_router("/", exchange_router)
api.add_router("/", privacy_router)


# Collections that answered at a trailing slash ("/teams/") before every path
# of the API was written without one. 308, unlike 301, keeps a POST a POST
# with its body, so an old client's writes still arrive.
MOVED_COLLECTIONS = (
    "members",
    "teams",
    "allies",
    "audit",
    "targets",
    "offers",
    "accounts",
    "handovers",
    "signals",
)


@csrf_exempt  # the API itself checks the token or the session's CSRF
@login_not_required  # and answers 401 itself
def _moved(request: HttpRequest) -> HttpResponsePermanentRedirect:
    address = request.path.rstrip("/")
    if request.META.get("QUERY_STRING"):
        address += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(address, preserve_request=True)


moved_urls: list[URLPattern] = [
    url_path(f"api/v1/{collection}/", _moved, name=f"api-moved-{collection}")
    for collection in MOVED_COLLECTIONS
]
