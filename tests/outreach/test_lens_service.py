"""The organisation's lens: one for the whole app, following the stewards' settings."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from purposeful.outreach import lens_service, services
from tests.offers.factories import published_offer

# Scarcity and urgency by default; a competitor's name once stewards list it.
COPY = (
    "Only 3 left, selling fast! Book your check today, the offer ends tonight. "
    "We learned the trade at Acme Cycles."
)


def _found(findings) -> set[tuple[str, str]]:
    return {(f["id"], f["severity"]) for f in findings}


def _what_each_entry_point_finds(cast, api, message, offer, capture) -> dict:
    client = api(cast.owner)
    web = Client()
    web.force_login(cast.owner)
    with capture(execute=True):
        upload = client.client.post(
            "/api/v1/site-reviews",
            {"name": "site", "files": [SimpleUploadedFile("index.md", COPY.encode())]},
            headers=client.headers,
        )
    site = client.get(f"/site-reviews/{upload.json()['id']}").json()
    dashboard = client.get("/dashboard").json()["lens"]["categories"]
    return {
        "message": _found(
            client.get(f"/messages/{message.pk}/review").json()["findings"]
        ),
        "offer": _found(client.get(f"/offers/{offer.pk}/review").json()["findings"]),
        "site review": _found(site["pages"][0]["findings"]),
        "api": _found(client.post("/lens/review", {"text": COPY}).json()["findings"]),
        "live review": _found(
            web.post("/messages/review/", {"body": COPY}).json()["findings"]
        ),
        # the dashboard counts findings per category, without their severity
        "dashboard": {c["category"] for c in dashboard if sum(c["counts"])},
    }


def test_every_entry_point_follows_a_change_of_the_lens_settings(
    cast, api, django_capture_on_commit_callbacks
):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="Spring", body=COPY
    )
    # the canvas's other words are honest, so each entry point finds the same
    offer = published_offer(
        cast.team,
        cast.owner,
        need="Many old bikes could ride for years after a small repair.",
        best_we_can=COPY,
    )
    found = _what_each_entry_point_finds(
        cast, api, message, offer, django_capture_on_commit_callbacks
    )
    before = {("manipulation.scarcity", "warning"), ("manipulation.urgency", "warning")}
    assert found == {
        **dict.fromkeys(found, before),
        "dashboard": {"manipulation.scarcity", "manipulation.urgency"},
    }

    services.lens_settings_update(
        actor=cast.steward,
        grades={"manipulation.scarcity": "off", "manipulation.urgency": "info"},
        competitors="Acme Cycles",
    )
    found = _what_each_entry_point_finds(
        cast, api, message, offer, django_capture_on_commit_callbacks
    )
    after = {("manipulation.urgency", "info"), ("competition.superiority", "warning")}
    assert found == {
        **dict.fromkeys(found, after),
        "dashboard": {"manipulation.urgency", "competition.superiority"},
    }


def test_one_lens_is_kept_until_the_organisation_changes_what_it_judges(cast):
    lens = lens_service.organisation_lens()
    assert lens_service.organisation_lens() is lens
    services.lens_settings_update(actor=cast.steward, competitors="Acme Cycles")
    changed = lens_service.organisation_lens()
    assert changed is not lens
    assert changed.config.competitors == ("Acme Cycles",)
    assert lens_service.organisation_lens() is changed
