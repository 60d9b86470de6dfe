"""``Idempotency-Key`` on the API's writes, as draft-ietf-httpapi-idempotency-key-header.

A client that sends a write with ``Idempotency-Key: <up to 255 characters>`` may
send it again, after a timeout or a dropped connection, without the write
happening twice: the first request runs and its answer (2xx or 4xx) is kept
with the key; the same request again gets that answer back, marked
``Idempotent-Replayed: true``. The same key on another request is refused
(422), and so is a request that arrives while the first with its key still runs
(409). Keys belong to the member who sent them and are kept
``PURPOSEFUL_IDEMPOTENCY_HOURS`` hours.

Why the steps are in this order:

- the key's row is inserted, and committed, before the request runs: the
  unique constraint on (member, key) lets exactly one request hold the key,
  on SQLite as on PostgreSQL, and a second one sees "in flight";
- the request and the storing of its answer run in one transaction, so a
  write that committed always has its answer kept: a worker killed after the
  commit, before the client heard back, leaves a retry that replays;
- a worker killed before the commit leaves the row in flight with nothing
  written; once it is older than any request may run (``ABANDONED_AFTER``)
  and no transaction holds it, a retry takes the key over and runs.

:func:`idempotent` wraps a django-ninja operation's ``run`` (``mode="view"``
of ``NinjaAPI.add_decorator``), because the member is known only after the
operation's authentication and the answer only after its serialisation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.http.response import HttpResponseBase
from django.utils import timezone

from purposeful.core.apierrors import error_body, problem
from purposeful.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Longer than any request may run (gunicorn stops a worker after 60 seconds).
ABANDONED_AFTER = timedelta(minutes=5)

OPENAPI_PARAMETER: dict[str, Any] = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": (
        "Any unique string of up to 255 characters (a UUID, say). Sending the same "
        "request again with the same key does not repeat the write: the first "
        "answer is given again, with `Idempotent-Replayed: true`. The same key on "
        "a different request answers 422; while the first request with the key "
        "still runs, 409. Keys are kept for 24 hours "
        "(`PURPOSEFUL_IDEMPOTENCY_HOURS`)."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}

Run = Callable[..., HttpResponseBase]

_IN_FLIGHT = (
    "A request with this key is still being processed; "
    "try again in a moment to get its answer."
)


def lifetime() -> timedelta:
    """How long a key and its answer are kept."""
    return timedelta(hours=float(getattr(settings, "IDEMPOTENCY_HOURS", 24)))


def prune(*, now: datetime | None = None) -> int:
    """Forget the keys older than :func:`lifetime`; returns how many."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - lifetime()).delete()
    return deleted


_Schema = TypeVar("_Schema", bound=dict[str, Any])


def document(schema: _Schema) -> _Schema:
    """Add the header to every write operation of an OpenAPI document that needs
    authentication (a visitor's writes are not keyed)."""
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method.upper() not in WRITE_METHODS or not operation.get("security"):
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == HEADER for p in parameters):
                parameters.append(dict(OPENAPI_PARAMETER))
    return schema


def idempotent(run: Run) -> Run:
    """Wrap a ninja operation's bound ``run`` so its writes honour the header."""
    operation = getattr(run, "__self__", None)
    if operation is None:
        raise TypeError("idempotent wraps a ninja Operation's own run method")
    if not WRITE_METHODS & set(operation.methods) or operation.stream_format:
        return run

    @wraps(run)
    def keyed_run(request: HttpRequest, **kw: Any) -> HttpResponseBase:
        if request.method not in WRITE_METHODS or HEADER not in request.headers:
            return run(request, **kw)
        error = operation._run_checks(request)
        if error:
            return error
        owner = getattr(request, "auth", None)
        if not operation.auth_callbacks or getattr(owner, "pk", None) is None:
            return _answer(operation, request, kw)
        key = request.headers[HEADER]
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            return _json(
                400,
                f"The {HEADER} header must be 1 to {MAX_KEY_LENGTH} characters.",
            )
        try:
            claim = _claim(owner, key, request)
        except (SuspiciousOperation, RawPostDataException):
            # a body Django will not read: the operation answers why, unkeyed
            return _answer(operation, request, kw)
        if isinstance(claim, HttpResponseBase):
            return claim
        return _run_and_keep(operation, request, kw, claim)

    return keyed_run


def _fingerprint(request: HttpRequest) -> dict[str, str]:
    return {
        "method": request.method or "",
        "path": request.get_full_path(),
        "body_digest": _body_digest(request),
    }


def _body_digest(request: HttpRequest) -> str:
    """SHA-256 of the body; of its fields and files when it is an upload.

    An upload (a site review, an import) may be far larger than Django holds
    in memory as ``request.body``, and its parts arrive in files on disk.
    """
    digest = hashlib.sha256()
    if request.content_type != "multipart/form-data":
        digest.update(request.body)
        return digest.hexdigest()
    for name, values in sorted(request.POST.lists()):
        for value in values:
            digest.update(json.dumps(["field", name, value]).encode())
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(json.dumps(["file", name, upload.name]).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _claim(
    owner: Any, key: str, request: HttpRequest
) -> IdempotencyKey | HttpResponseBase:
    """The key's new row, held by this request; or the answer when it is taken."""
    fingerprint = _fingerprint(request)
    now = timezone.now()
    prune(now=now)
    record = None
    for _attempt in range(2):  # a key forgotten between the insert and the read
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    owner=owner, key=key, created_at=now, **fingerprint
                )
        except IntegrityError:
            record = IdempotencyKey.objects.filter(owner=owner, key=key).first()
        if record is not None:
            break
    if record is None:
        return _json(409, _IN_FLIGHT)
    if any(getattr(record, name) != value for name, value in fingerprint.items()):
        return _json(
            422,
            f"This {HEADER} was used for a different request "
            f"({record.method} {record.path} with another body); "
            "send a new key for a new request.",
        )
    if record.is_in_flight:
        if _take_over(record, now):
            return record
        return _json(409, _IN_FLIGHT)
    return _replay(record)


def _take_over(record: IdempotencyKey, now: datetime) -> bool:
    """Hold a key whose request died before it committed, so a retry may run."""
    if record.created_at > now - ABANDONED_AFTER:
        return False
    try:
        with transaction.atomic():
            # the request that holds the key keeps its row locked (PostgreSQL)
            held = (
                IdempotencyKey.objects.select_for_update(nowait=True)
                .filter(pk=record.pk, status_code__isnull=True)
                .first()
            )
            if held is None or held.created_at > now - ABANDONED_AFTER:
                return False
            held.created_at = now
            held.save(update_fields=["created_at"])
    except DatabaseError:
        return False
    record.created_at = now
    return True


def _run_and_keep(
    operation: Any, request: HttpRequest, kw: dict[str, Any], record: IdempotencyKey
) -> HttpResponseBase:
    try:
        with transaction.atomic():
            IdempotencyKey.objects.select_for_update().get(pk=record.pk)
            response = _answer(operation, request, kw)
            body = _kept_body(response)
            if body is None:
                record.delete()
            else:
                record.status_code = response.status_code
                record.response_body = body
                record.content_type = response.get("Content-Type", "")
                record.save(
                    update_fields=["status_code", "response_body", "content_type"]
                )
    except BaseException:
        # nothing was written: the key is free for a retry
        with contextlib.suppress(DatabaseError):
            IdempotencyKey.objects.filter(
                pk=record.pk, status_code__isnull=True
            ).delete()
        raise
    return response


def _kept_body(response: HttpResponseBase) -> str | None:
    """The body to keep for a replay; None for an answer not kept (5xx, a stream)."""
    if not isinstance(response, HttpResponse) or response.streaming:
        return None
    if not 200 <= response.status_code < 500:
        return None
    try:
        return response.content.decode(response.charset or "utf-8")
    except UnicodeDecodeError:
        return None


def _answer(
    operation: Any, request: HttpRequest, kw: dict[str, Any]
) -> HttpResponseBase:
    """What ninja's ``Operation.run`` does after its checks (its own private
    steps; tests/core/test_idempotency.py fails if a ninja release changes them).

    The view runs in a savepoint of its own, so a database error it raises
    (answered 400 by the API's handlers) leaves the transaction usable for
    keeping that answer.
    """
    try:
        with transaction.atomic():
            temporal_response = operation.api.create_temporal_response(request)
            values = operation._get_values(request, kw, temporal_response)
            result = operation.view_func(request, **values)
            return operation._result_to_response(request, result, temporal_response)
    except Exception as exc:
        return operation.api.on_exception(request, exc)


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        record.response_body,
        status=record.status_code,
        content_type=record.content_type or None,
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _json(status: int, error: str) -> HttpResponse:
    body = error_body(error, [problem(HEADER, error)])
    return HttpResponse(
        json.dumps(body), status=status, content_type="application/json"
    )
