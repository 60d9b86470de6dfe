"""API writes sent with an Idempotency-Key are answered once and replayed after."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from purposeful.core import idempotency
from purposeful.core.models import IdempotencyKey
from purposeful.feedback.models import Signal


def _send(client, method, path, body, key, **headers):
    return getattr(client.client, method)(
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers={**client.headers, "Idempotency-Key": key, **headers},
    )


def _signal(cast, words="Winter tyres?"):
    return {"team": cast.team.pk, "kind": "need", "words": words}


def test_the_same_request_sent_again_is_replayed_not_repeated(cast, api):
    client = api(cast.owner)
    first = _send(client, "post", "/signals", _signal(cast), "order-42")
    again = _send(client, "post", "/signals", _signal(cast), "order-42")
    assert first.status_code == 201, first.content
    assert Signal.objects.count() == 1
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_a_refusal_is_kept_and_replayed_too(cast, api):
    client = api(cast.outsider)
    path = f"/signals/{cast.signal.pk}/transitions"
    first = _send(client, "post", path, {"to": "acknowledged"}, "try")
    again = _send(client, "post", path, {"to": "acknowledged"}, "try")
    assert first.status_code == 403
    assert again.status_code == 403 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_the_key_on_a_different_body_is_refused(cast, api):
    client = api(cast.owner)
    _send(client, "post", "/signals", _signal(cast), "k1")
    other = _send(client, "post", "/signals", _signal(cast, "Summer tyres?"), "k1")
    assert other.status_code == 422
    body = other.json()
    assert "different request" in body["error"]
    assert body["detail"][0]["field"] == "Idempotency-Key"
    assert Signal.objects.count() == 1


def test_the_key_on_a_different_path_is_refused(cast, api):
    client = api(cast.owner)
    _send(client, "post", "/signals", _signal(cast), "k1")
    path = f"/signals/{cast.signal.pk}/transitions"
    other = _send(client, "post", path, {"to": "acknowledged"}, "k1")
    assert other.status_code == 422
    assert Signal.objects.get(pk=cast.signal.pk).state == Signal.State.NEW


def test_the_same_key_of_another_member_is_their_own(cast, api):
    mine = _send(api(cast.owner), "post", "/signals", _signal(cast), "shared")
    theirs = _send(
        api(cast.steward_in_team), "post", "/signals", _signal(cast), "shared"
    )
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert mine.json()["id"] != theirs.json()["id"]
    assert Signal.objects.count() == 2


def test_a_request_while_the_first_with_its_key_runs_is_refused(cast, api):
    client = api(cast.owner)
    body = json.dumps(_signal(cast)).encode()
    IdempotencyKey.objects.create(
        owner=cast.owner,
        key="busy",
        method="POST",
        path="/api/v1/signals",
        body_digest=hashlib.sha256(body).hexdigest(),
    )
    response = _send(client, "post", "/signals", _signal(cast), "busy")
    assert response.status_code == 409
    assert "still being processed" in response.json()["error"]
    assert Signal.objects.count() == 0


def test_a_second_request_arriving_mid_write_is_refused_and_writes_nothing(
    cast, api, monkeypatch
):
    """The second request comes while the first is inside its view."""
    from purposeful.feedback import services

    client = api(cast.owner)
    seen = []
    record = services.signal_record

    def record_and_race(**kwargs):
        seen.append(_send(client, "post", "/signals", _signal(cast), "race"))
        return record(**kwargs)

    monkeypatch.setattr(services, "signal_record", record_and_race)
    first = _send(client, "post", "/signals", _signal(cast), "race")
    assert first.status_code == 201
    assert [r.status_code for r in seen] == [409]
    assert Signal.objects.count() == 1


def test_a_key_left_by_a_request_that_died_is_taken_over(cast, api):
    client = api(cast.owner)
    body = json.dumps(_signal(cast)).encode()
    IdempotencyKey.objects.create(
        owner=cast.owner,
        key="died",
        method="POST",
        path="/api/v1/signals",
        body_digest=hashlib.sha256(body).hexdigest(),
        created_at=timezone.now() - idempotency.ABANDONED_AFTER - timedelta(seconds=1),
    )
    response = _send(client, "post", "/signals", _signal(cast), "died")
    assert response.status_code == 201
    assert Signal.objects.count() == 1


def test_a_server_error_keeps_no_answer_so_a_retry_runs(cast, api, monkeypatch):
    from purposeful.feedback import services

    client = api(cast.owner)
    calls = []

    def broken(**kwargs):
        calls.append(1)
        raise RuntimeError("disk full")

    record = services.signal_record
    monkeypatch.setattr(services, "signal_record", broken)
    client.client.raise_request_exception = False
    failed = _send(client, "post", "/signals", _signal(cast), "again")
    assert failed.status_code == 500
    assert not IdempotencyKey.objects.filter(key="again").exists()
    monkeypatch.setattr(services, "signal_record", record)
    retried = _send(client, "post", "/signals", _signal(cast), "again")
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried


@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
def test_an_empty_or_too_long_key_is_refused(cast, api, key):
    response = _send(api(cast.owner), "post", "/signals", _signal(cast), key)
    assert response.status_code == 400
    body = response.json()
    assert "1 to 255 characters" in body["error"]
    assert body["detail"] == [{"field": "Idempotency-Key", "message": body["error"]}]
    assert Signal.objects.count() == 0


def test_a_key_of_255_characters_is_taken(cast, api):
    client = api(cast.owner)
    for _ in range(2):
        response = _send(client, "post", "/signals", _signal(cast), "k" * 255)
    assert response.status_code == 201 and response["Idempotent-Replayed"] == "true"


def test_writes_without_a_key_run_each_time(cast, api):
    client = api(cast.owner)
    client.post("/signals", _signal(cast))
    client.post("/signals", _signal(cast))
    assert Signal.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_visitor_is_asked_to_sign_in_not_keyed(cast, api):
    response = _send(api(None), "post", "/signals", _signal(cast), "anon")
    assert response.status_code == 401
    assert not IdempotencyKey.objects.exists()


def test_keys_are_forgotten_after_the_configured_hours(cast, api, settings):
    settings.IDEMPOTENCY_HOURS = 1
    client = api(cast.owner)
    _send(client, "post", "/signals", _signal(cast), "old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=2))
    again = _send(client, "post", "/signals", _signal(cast), "old")
    assert "Idempotent-Replayed" not in again
    assert Signal.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_the_openapi_document_offers_the_header_on_every_write(cast, api):
    document = api(cast.owner).get("/openapi.json").json()
    writes = [
        operation
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in {"post", "put", "patch", "delete"} and operation.get("security")
    ]
    assert writes
    for operation in writes:
        names = [p["name"] for p in operation.get("parameters", [])]
        assert names.count("Idempotency-Key") == 1, operation["operationId"]
    reads = [item["get"] for item in document["paths"].values() if "get" in item]
    assert all(
        "Idempotency-Key" not in [p["name"] for p in op.get("parameters", [])]
        for op in reads
    )


def _csv_upload(client, cast, text, key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    return client.client.post(
        "/api/v1/imports",
        {"file": upload, "team": cast.team.pk},
        headers={**client.headers, "Idempotency-Key": key},
    )


def test_an_upload_sent_again_is_replayed_and_another_file_refused(cast, api):
    from purposeful.exchange.models import ImportJob

    client = api(cast.owner)
    text = "name,email\nAda,ada@example.org\n"
    first = _csv_upload(client, cast, text, "upload-1")
    again = _csv_upload(client, cast, text, "upload-1")
    other = _csv_upload(client, cast, text + "Bo,bo@example.org\n", "upload-1")
    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 422
    assert ImportJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_write_and_the_second_is_refused(
    cast, api, monkeypatch
):
    """Two server threads, two connections: the committed in-flight row decides."""
    import threading

    from django.db import connection

    from purposeful.feedback import services

    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite has one writer at a time: the second request waits for the "
            "first to commit and replays (an in-memory test database cannot wait)"
        )
    client = api(cast.owner)
    inside, release = threading.Event(), threading.Event()
    record = services.signal_record

    def slow_record(**kwargs):
        inside.set()
        release.wait(10)
        return record(**kwargs)

    monkeypatch.setattr(services, "signal_record", slow_record)
    answers = {}

    def first():
        try:
            answers["first"] = _send(
                client, "post", "/signals", _signal(cast), "at-once"
            )
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert inside.wait(10)
        answers["second"] = _send(client, "post", "/signals", _signal(cast), "at-once")
    finally:
        release.set()
        thread.join(10)
    assert answers["first"].status_code == 201
    assert answers["second"].status_code == 409
    assert Signal.objects.count() == 1
    replay = _send(client, "post", "/signals", _signal(cast), "at-once")
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == answers["first"].json()
