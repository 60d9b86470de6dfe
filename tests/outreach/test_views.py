"""Pages: writing with the live lens, the advice steps, lens settings, site reviews, trends."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client

from purposeful.outreach import lens_service, reviewing, services
from purposeful.outreach.models import Message, SitePage, SiteReview
from tests.outreach.factories import PURPOSE_LED, URGENT_FEAR


def _client(member):
    client = Client()
    client.force_login(member)
    return client


def test_message_list_shows_every_teams_messages_to_any_member(cast):
    services.message_create(
        actor=cast.owner, team=cast.team, title="Spring news", body=PURPOSE_LED
    )
    response = _client(cast.outsider).get("/messages/")
    assert response.status_code == 200
    assert "Spring news" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(cast):
    response = Client().get("/messages/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_writing_a_message_saves_a_draft_with_a_reviewed_version(cast):
    response = _client(cast.owner).post(
        "/messages/new/",
        {
            "title": "Winter check",
            "team": cast.team.pk,
            "channel": "newsletter",
            "audience": "",
            "body": URGENT_FEAR,
        },
    )
    message = Message.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/messages/{message.pk}/"
    )
    assert message.versions.get().category_counts["manipulation.urgency"] >= 1


def test_invalid_message_form_re_renders_with_errors_and_keeps_the_text(cast):
    response = _client(cast.owner).post(
        "/messages/new/",
        {
            "title": "",
            "team": cast.team.pk,
            "channel": "newsletter",
            "body": URGENT_FEAR,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in html
    assert "Don&#x27;t risk your safety" in html  # the text is still in the box
    assert not Message.objects.exists()


def test_team_list_in_the_form_offers_only_the_writers_teams(cast):
    response = _client(cast.owner).post(
        "/messages/new/",
        {"title": "x", "team": cast.other_team.pk, "channel": "web", "body": "Hello"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Message.objects.exists()


def test_live_review_returns_highlights_findings_and_gauge(cast):
    response = _client(cast.owner).post(
        "/messages/review/", {"body": URGENT_FEAR}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="lens-backdrop"' in html and 'hx-swap-oob="true"' in html
    assert '<mark class="lens-mark' in html
    assert "False urgency" in html and "Fear appeal" in html
    assert "Try instead:" in html
    assert "Directive 2005/29/EC" in html  # the basis is cited
    assert 'id="purpose-meter"' in html
    assert (
        "lexical fallback" in html or "sentence embeddings" in html
    )  # names the model


def test_live_review_keeps_the_exact_characters_for_the_highlight_layer(cast):
    text = "Line one\n\n  <b>Hurry</b>, offer ends today & more"
    response = _client(cast.owner).post(
        "/messages/review/", {"body": text}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "\n\n  &lt;b&gt;" in html


def test_live_review_without_htmx_answers_json(cast):
    response = _client(cast.owner).post("/messages/review/", {"body": URGENT_FEAR})
    ids = {f["id"] for f in response.json()["findings"]}
    assert {"manipulation.urgency", "manipulation.fear"} <= ids


def test_live_review_needs_a_member(cast):
    response = Client().post("/messages/review/", {"body": URGENT_FEAR})
    assert response.status_code == 302


def test_html_in_a_draft_is_shown_as_text_on_the_message_page(cast):
    message = services.message_create(
        actor=cast.owner,
        team=cast.team,
        title="<script>alert('t')</script>",
        body="Hello <script>alert('x')</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))",
    )
    html = _client(cast.owner).get(f"/messages/{message.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(" in html


def test_advice_steps_through_the_pages(cast):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=PURPOSE_LED
    )
    owner, outsider = _client(cast.owner), _client(cast.outsider)
    owner.post(f"/messages/{message.pk}/ask-advice/", {"note": "Tone?"})
    outsider.post(
        f"/messages/{message.pk}/advice/",
        {"text": "Lovely, say when the workshop is open."},
    )
    owner.post(f"/messages/{message.pk}/ready/")
    owner.post(
        f"/messages/{message.pk}/publish/", {"where": "https://wheelhouse.example/news"}
    )
    message.refresh_from_db()
    assert message.state == Message.State.PUBLISHED
    page = outsider.get(f"/messages/{message.pk}/").content.decode()
    assert "say when the workshop is open" in page
    assert "https://wheelhouse.example/news" in page


def test_refused_publish_shows_the_reason_and_changes_nothing(cast):
    services.lens_settings_update(
        actor=cast.steward, grades={"manipulation.urgency": "error"}
    )
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=URGENT_FEAR
    )
    services.message_ask_advice(actor=cast.owner, message=message)
    services.message_mark_ready(actor=cast.owner, message=message)
    response = _client(cast.owner).post(
        f"/messages/{message.pk}/publish/", {"where": "Instagram"}, follow=True
    )
    assert "does not publish such copy" in response.content.decode()
    message.refresh_from_db()
    assert message.state == Message.State.READY


def test_steward_saves_lens_settings_and_others_only_read_them(cast):
    data = {
        "competitors": "MegaBikes",
        "allies": "Repair Café",
        "claims": "carbon neutral deliveries | https://wheelhouse.example/lca.pdf",
        "errors_block_publishing": "on",
        "grade:manipulation.urgency": "error",
        "grade:competition.superiority": "off",
    }
    from purposeful.lens import CATEGORY_IDS

    for finding_id in CATEGORY_IDS:
        data.setdefault(f"grade:{finding_id}", "default")
    assert _client(cast.owner).post("/lens/settings/", data).status_code == 403
    response = _client(cast.steward).post("/lens/settings/", data)
    assert response.status_code == 302
    page = _client(cast.owner).get("/lens/settings/").content.decode()
    assert (
        "MegaBikes" in page
        and '<form method="post"' not in page.split("<main", 1)[1].split("Sign out")[-1]
    )


def test_bad_claim_line_re_renders_with_the_line_named(cast):
    response = _client(cast.steward).post(
        "/lens/settings/",
        {"claims": "carbon neutral without a link", "competitors": "Keep me"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 1" in html and "Keep me" in html


def test_exported_config_reads_back_with_the_same_settings(cast, tmp_path):
    from purposeful.lens import load_config

    services.lens_settings_update(
        actor=cast.steward,
        competitors=["MegaBikes", 'Quote "Bikes"'],
        grades={"manipulation.urgency": "error", "claims": "off"},
        claims=[("carbon neutral", "https://wheelhouse.example/lca.pdf")],
    )
    response = _client(cast.owner).get("/lens/settings/purposeful.toml")
    assert response["Content-Disposition"] == 'attachment; filename="purposeful.toml"'
    path = tmp_path / "purposeful.toml"
    path.write_bytes(response.content)
    config = load_config(path)
    assert config.competitors == ("MegaBikes", 'Quote "Bikes"')
    assert config.severity == {"manipulation.urgency": "error"}
    assert "claims" in config.disable
    assert config.claims[0].evidence == "https://wheelhouse.example/lca.pdf"
    assert config.purpose == "Keep bikes riding."
    assert config.fail_on == "error"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_uploading_a_site_reviews_every_page_and_reports_per_file(
    cast, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    archive = _zip(
        {
            "site/index.html": b"<html><body><p>Hurry, offer ends today!</p></body></html>",
            "site/about.md": PURPOSE_LED.encode(),
            "site/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(cast.owner).post(
            "/site-reviews/",
            {
                "name": "Website",
                "files": [
                    SimpleUploadedFile("site.zip", archive),
                    SimpleUploadedFile(
                        "broken.zip", b"PK\x03\x04 this is not really a zip"
                    ),
                ],
            },
        )
    review = SiteReview.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/site-reviews/{review.pk}/"
    )
    assert review.state == SiteReview.State.DONE
    statuses = dict(review.pages.values_list("path", "status"))
    assert statuses["site.zip/site/index.html"] == SitePage.Status.REVIEWED
    assert statuses["site.zip/site/logo.png"] == SitePage.Status.REJECTED
    assert statuses["broken.zip"] == SitePage.Status.REJECTED
    page = _client(cast.owner).get(f"/site-reviews/{review.pk}/").content.decode()
    assert "not a text file" in page and "corrupt" in page
    assert "<svg" in page and "False urgency" in page


def test_site_report_downloads_as_json_and_csv(
    cast, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        services.site_review_start(
            actor=cast.owner,
            name="Web",
            files=[
                (
                    "index.html",
                    SimpleUploadedFile(
                        "index.html", b"<p>=Hurry, offer ends today!</p>"
                    ),
                )
            ],
        )
    review = SiteReview.objects.get()
    client = _client(cast.owner)
    data = client.get(f"/site-reviews/{review.pk}/report.json").json()
    assert data["pages"][0]["path"] == "index.html"
    assert data["counts"]["manipulation.urgency"] >= 1
    csv_text = client.get(f"/site-reviews/{review.pk}/report.csv").content.decode(
        "utf-8-sig"
    )
    assert csv_text.splitlines()[0].startswith("page,status,line,column,id")
    assert "manipulation.urgency" in csv_text


def test_progress_partial_polls_until_done_then_refreshes(cast):
    review = SiteReview.objects.create(
        name="Web", pages_total=4, pages_done=1, created_by=cast.owner
    )
    client = _client(cast.owner)
    html = client.get(
        f"/site-reviews/{review.pk}/progress/", headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="1"' in html
    SiteReview.objects.filter(pk=review.pk).update(state="done", pages_done=4)
    response = client.get(
        f"/site-reviews/{review.pk}/progress/", headers={"HX-Request": "true"}
    )
    assert response["HX-Refresh"] == "true"
    assert "every 1s" not in response.content.decode()


def test_trends_show_findings_per_month_as_chart_and_table(cast):
    services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=URGENT_FEAR
    )
    html = _client(cast.outsider).get("/messages/trends/").content.decode()
    assert "<svg" in html and "<table" in html
    assert "False urgency" in html


@pytest.mark.parametrize(
    "path",
    [
        "/messages/",
        "/messages/new/",
        "/lens/settings/",
        "/site-reviews/",
        "/messages/trends/",
    ],
)
def test_outreach_pages_render_for_a_member(cast, path):
    assert _client(cast.owner).get(path).status_code == 200


def test_findings_carry_browser_offsets_past_emoji(cast):
    text = "🚲🚲 Hurry, offer ends today"
    html = (
        _client(cast.owner)
        .post("/messages/review/", {"body": text}, headers={"HX-Request": "true"})
        .content.decode()
    )
    # each bicycle is two UTF-16 units in the browser, one character in Python
    assert 'data-start="5" data-end="10"' in html


def test_the_cli_with_the_exported_config_judges_like_the_app(cast, tmp_path):
    import json

    from click.testing import CliRunner

    from purposeful.cli import main
    from purposeful.outreach import lens_service

    services.lens_settings_update(
        actor=cast.steward,
        competitors="MegaBikes",
        grades={"manipulation.urgency": "error", "manipulation.fear": "off"},
        claims=[("carbon neutral", "https://wheelhouse.example/lca.pdf")],
    )
    config = tmp_path / "purposeful.toml"
    config.write_bytes(
        _client(cast.owner).get("/lens/settings/purposeful.toml").content
    )
    copy = (
        "Hurry, better than MegaBikes! Don't wait until it's too late. "
        "Our deliveries are carbon neutral.\n"
    )
    page = tmp_path / "page.md"
    page.write_text(copy)
    result = CliRunner().invoke(
        main,
        ["review", str(page), "--config", str(config), "--format", "json"],
        catch_exceptions=False,
    )
    cli = json.loads(result.output)
    cli_findings = {(f["id"], f["severity"]) for f in cli["files"][0]["findings"]}
    app = lens_service.review_text(copy)
    assert cli_findings == {(f.id, f.severity) for f in app.findings}
    assert ("manipulation.urgency", "error") in cli_findings
    assert not any(i == "manipulation.fear" for i, _ in cli_findings)
    assert result.exit_code == 1  # an error fails the CI, as it blocks publishing


def test_too_long_text_is_refused_by_the_live_review_with_a_clear_note(cast):
    from purposeful.outreach.models import BODY_MAX_CHARS

    response = _client(cast.owner).post(
        "/messages/review/",
        {"body": "a" * (BODY_MAX_CHARS + 1)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "longer than" in response.content.decode()


def test_earlier_versions_stay_readable_on_the_message_page(cast):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=URGENT_FEAR
    )
    services.message_update(actor=cast.owner, message=message, body=PURPOSE_LED)
    html = _client(cast.outsider).get(f"/messages/{message.pk}/").content.decode()
    assert "Version 1" in html and "Version 2" in html
    assert "Don&#x27;t risk your safety" in html


def test_a_text_that_starts_with_a_blank_line_keeps_it_in_the_editor(cast):
    response = _client(cast.owner).post(
        "/messages/new/",
        {"title": "", "team": cast.team.pk, "channel": "web", "body": "\nSecond line"},
    )
    # browsers drop one newline right after <textarea>; the form adds it back
    assert "\n\nSecond line</textarea>" in response.content.decode()


def test_an_upload_over_the_total_cap_is_refused_before_it_is_stored(cast, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from purposeful.outreach import uploads

    monkeypatch.setattr(uploads, "MAX_REQUEST_BYTES", 5000)
    response = _client(cast.owner).post(
        "/site-reviews/",
        {"name": "Too big", "files": [SimpleUploadedFile("a.md", b"word " * 2000)]},
    )
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert 'value="Too big"' in response.content.decode()
    assert not SiteReview.objects.exists()


def test_site_upload_still_checks_the_csrf_token(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    response = client.post(
        "/site-reviews/", {"files": [SimpleUploadedFile("a.md", b"Hello")]}
    )
    assert response.status_code == 403
    assert not SiteReview.objects.exists()


def test_each_page_of_a_site_report_shows_its_findings_in_its_source(
    cast, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        review = services.site_review_start(
            actor=cast.owner,
            name="Web",
            files=[("a.html", SimpleUploadedFile("a.html", b"<p>Only 3 left!</p>"))],
        )
    page = review.pages.get()
    html = (
        _client(cast.outsider)
        .get(f"/site-reviews/{review.pk}/pages/{page.pk}/")
        .content.decode()
    )
    assert (
        '<mark class="lens-mark sev-warning" data-finding="1">Only 3 left</mark>'
        in html
    )
    assert "&lt;p&gt;" in html  # the source is shown as text
    assert "<dt>Read as</dt><dd>HTML</dd>" in html
    assert "Scarcity" in html
    other = SiteReview.objects.create(name="Other", created_by=cast.owner)
    response = _client(cast.owner).get(f"/site-reviews/{other.pk}/pages/{page.pk}/")
    assert response.status_code == 404


def test_the_edit_page_of_a_published_message_leads_back_with_a_note(cast):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=PURPOSE_LED
    )
    Message.objects.filter(pk=message.pk).update(state=Message.State.PUBLISHED)
    response = _client(cast.owner).get(f"/messages/{message.pk}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/messages/{message.pk}/"
    assert "cannot change" in response.content.decode()


def test_the_start_page_lists_other_teams_messages_asking_for_advice(cast):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="Autumn courses", body=PURPOSE_LED
    )
    services.message_ask_advice(actor=cast.owner, message=message, note="Tone?")
    outsider_start = _client(cast.outsider).get("/start/").content.decode()
    assert "Messages asking for advice" in outsider_start
    assert f'href="/messages/{message.pk}/"' in outsider_start
    assert "Autumn courses" not in _client(cast.owner).get("/start/").content.decode()


def test_a_retired_offer_stays_linked_when_the_message_is_edited(cast):
    from purposeful.offers.models import Offer

    offer = cast.offer
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=PURPOSE_LED, offers=[offer]
    )
    Offer.objects.filter(pk=offer.pk).update(state=Offer.State.RETIRED)
    client = _client(cast.owner)
    assert (
        f'value="{offer.pk}"'
        in client.get(f"/messages/{message.pk}/edit/").content.decode()
    )
    client.post(
        f"/messages/{message.pk}/edit/",
        {"title": "t2", "channel": "web", "body": PURPOSE_LED, "offers": [offer.pk]},
    )
    message.refresh_from_db()
    assert message.title == "t2"
    assert list(message.offers.all()) == [offer]


def test_a_message_page_shows_the_stored_review_without_reviewing_again(
    cast, monkeypatch
):
    """Every view reviewed the words again: 76 s per view of a long message."""
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="Spring", body=URGENT_FEAR
    )
    calls = []
    review_text = lens_service.review_text
    monkeypatch.setattr(
        lens_service,
        "review_text",
        lambda *a, **k: calls.append(a) or review_text(*a, **k),
    )
    for path in (f"/messages/{message.pk}/", f"/messages/{message.pk}/edit/"):
        response = _client(cast.owner).get(path)
        assert response.status_code == 200
        assert "lens-mark" in response.content.decode()
    assert calls == []


AWKWARD = 'Fahrräder 🚲 für alle: "quoted", a back\\slash,\na new line\tand a tab'


def test_exported_config_keeps_emoji_accents_quotes_and_backslashes(cast, tmp_path):
    """The purpose and the settings come back as typed, read by tomllib and the lens."""
    import tomllib

    from purposeful.lens import load_config
    from purposeful.organisation.models import PurposeVersion
    from tests.factories import organisation

    PurposeVersion.objects.create(organisation=organisation(), number=2, text=AWKWARD)
    services.lens_settings_update(
        actor=cast.steward,
        competitors=["Vélo 🚴 Rapide", 'Back\\slash "Bikes"'],
        grades={"manipulation.urgency": "error"},
        claims=[("klimaneutral 🌍 — “certified”", "https://example.org/lca-é.pdf")],
    )
    response = _client(cast.owner).get("/lens/settings/purposeful.toml")
    data = tomllib.loads(response.content.decode("utf-8"))["lens"]
    assert data["purpose"] == AWKWARD
    assert data["competitors"] == ["Vélo 🚴 Rapide", 'Back\\slash "Bikes"']
    assert data["claims"] == [
        {
            "text": "klimaneutral 🌍 — “certified”",
            "evidence": "https://example.org/lca-é.pdf",
        }
    ]
    path = tmp_path / "purposeful.toml"
    path.write_bytes(response.content)
    config = load_config(path)
    assert config.purpose == AWKWARD
    assert config.competitors == ("Vélo 🚴 Rapide", 'Back\\slash "Bikes"')


def test_config_toml_round_trips_every_value():
    """Whatever a setting holds, the written file parses back to the same values."""
    import tomllib

    from purposeful.lens import Claim, LensConfig

    config = LensConfig(
        purpose=AWKWARD,
        fail_on="error",
        disable=frozenset({"claims"}),
        severity={"manipulation.urgency": "info"},
        competitors=("😀", "a\\b", 'say "hi"', "line\nbreak", "\u00e9\u0301"),
        allies=("Ünïcödé 🌱", "''' triple '''"),
        claims=(Claim('"green" 🌿\\', "line one\nline two"),),
    )
    data = tomllib.loads(reviewing.config_toml(config))["lens"]
    assert data == {
        "purpose": AWKWARD,
        "fail-on": "error",
        "disable": ["claims"],
        "competitors": ["😀", "a\\b", 'say "hi"', "line\nbreak", "\u00e9\u0301"],
        "allies": ["Ünïcödé 🌱", "''' triple '''"],
        "severity": {"manipulation.urgency": "info"},
        "claims": [{"text": '"green" 🌿\\', "evidence": "line one\nline two"}],
    }
