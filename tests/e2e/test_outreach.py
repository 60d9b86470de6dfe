"""Browser tests for outreach: the live lens, inert HTML in drafts, a 200-page site review."""

from __future__ import annotations

import io
import re
import threading
import zipfile

from playwright.sync_api import expect

PUSHY = (
    "Hurry, offer ends at midnight! Don't risk your safety on worn brakes "
    "before it's too late."
)
PURPOSE_LED = (
    "We keep every bicycle in our city riding for as long as it can. Bring your bike "
    "to the workshop: we repair it at a fair price and teach you to care for it yourself."
)


def _gauge(page) -> int:
    return int(page.locator("#purpose-meter").get_attribute("value"))


def test_live_lens_highlights_false_urgency_and_fear_then_clears(signed_in, demo_site):
    page = signed_in("lena")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Write a message").click()
    body = page.get_by_label("Message")
    body.click()
    body.press_sequentially(PUSHY, delay=2)

    backdrop = page.locator("#lens-backdrop")
    expect(backdrop.locator("mark.lens-mark")).to_have_count(3)
    expect(backdrop.locator("mark").first).to_have_text("Hurry")
    findings = page.locator("ol.lens-findings > li")
    expect(findings).to_have_count(3)
    expect(findings.filter(has_text="False urgency").first).to_contain_text(
        "Directive 2005/29/EC"
    )
    fear = findings.filter(has_text="Fear appeal")
    expect(fear).to_contain_text("before it's too late")
    expect(fear).to_contain_text("Try instead:")
    expect(page.locator("#lens-summary")).to_contain_text(
        "Fear appeal, False urgency ×2"
    )
    pushy_score = _gauge(page)

    # the caret inside a highlight brings up its explanation under the text
    body.focus()
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowRight")
    at_caret = page.locator("#lens-at-caret")
    expect(at_caret).to_be_visible()
    expect(at_caret).to_contain_text("False urgency")
    expect(at_caret).to_contain_text("Try instead:")
    page.keyboard.press("Control+End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # inside "too late"
    expect(at_caret).to_contain_text("Fear appeal")

    # a finding's button selects its words in the text, by keyboard too
    fear.get_by_role("button", name="Show in the text").focus()
    page.keyboard.press("Enter")
    selected = page.evaluate(
        "() => { const t = document.getElementById('id_body');"
        " return t.value.slice(t.selectionStart, t.selectionEnd); }"
    )
    assert selected == "before it's too late"

    body.fill(PURPOSE_LED)
    expect(page.locator("#lens-summary")).to_contain_text("No findings")
    expect(backdrop.locator("mark")).to_have_count(0)
    expect(page.locator("#purpose-meter")).not_to_have_attribute(
        "value", str(pushy_score)
    )
    assert _gauge(page) > pushy_score
    expect(page.locator("#purpose-gauge")).to_contain_text(
        re.compile("lexical fallback|sentence embeddings")
    )

    assert problems == []  # no CSP violation or script error while typing
    page.get_by_label("Title").fill("Keep riding")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Keep riding", level=1)).to_be_visible()
    expect(page.locator(".message-preview")).to_contain_text("teach you to care for it")


def test_html_in_a_draft_stays_inert_everywhere(signed_in, demo_site):
    page = signed_in("lena")
    page.goto(f"{demo_site}/messages/new/")
    hostile = (
        "<script>window.pwned = 1</script>\n\n"
        '<img src="x" onerror="window.pwned = 2"> **bold** [link](javascript:window.pwned=3)'
    )
    page.get_by_label("Title").fill("<b>Shouting</b> title")
    page.get_by_label("Message").fill(hostile)
    expect(page.locator("#lens-summary")).to_be_visible()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("<b>Shouting</b> title")
    preview = page.locator(".message-preview")
    expect(preview).to_contain_text("<script>window.pwned = 1</script>")
    expect(preview.locator("script, img")).to_have_count(0)
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview.locator("a[href^='javascript']")).to_have_count(0)
    detail = page.url
    for url in (detail, detail + "edit/", f"{demo_site}/messages/"):
        page.goto(url)
        assert page.evaluate("() => window.pwned") is None, url
        assert page.locator("main script, main img").count() == 0, url
    expect(page.locator("#lens-backdrop")).to_have_count(0)  # list page has none
    page.goto(detail + "edit/")
    expect(page.locator("#lens-backdrop")).to_contain_text(
        "<script>window.pwned = 1</script>"
    )


def _site_export(pages: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(pages):
            text = (
                "Only 3 left, selling fast!"
                if n % 10 == 0
                else "We repair bikes so they last."
            )
            archive.writestr(
                f"site/page-{n:03}.html",
                f"<!doctype html><html><body><h1>Page {n}</h1><p>{text}</p></body></html>",
            )
        archive.writestr("site/images/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300))
    return buffer.getvalue()


def _run_worker() -> threading.Thread:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="e2e",
        excluded_queue_names=[],
    )

    def run() -> None:
        from django.db import connections

        try:
            worker.run()
        finally:
            # The thread's own connection; left open it would leak past the test.
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_site_export_of_200_pages_is_reviewed_in_the_background(signed_in, demo_site):
    page = signed_in("oskar")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{demo_site}/site-reviews/")
    page.get_by_label("Name").fill("Website export")
    page.get_by_label("Pages or a zip of the site").set_input_files(
        [
            {
                "name": "site.zip",
                "mimeType": "application/zip",
                "buffer": _site_export(200),
            },
            {
                "name": "old.zip",
                "mimeType": "application/zip",
                "buffer": b"PK\x03\x04broken",
            },
        ]
    )
    page.get_by_role("button", name="Review these pages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Site review: Website export"
    )
    progress = page.locator("#site-progress-bar")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("max", "200")
    expect(page.locator("#site-progress")).to_contain_text("0 of 200 pages")

    thread = _run_worker()
    expect(page.locator("#pages-reviewed")).to_have_text("200", timeout=30_000)
    thread.join(timeout=30)
    expect(page.locator("#pages-rejected")).to_have_text("2")
    assert not [m for m in problems if "Content Security Policy" in m]
    rejected = page.locator(".rejected-files")
    expect(rejected).to_contain_text(re.compile(r"logo\.png.*not a text file"))
    expect(rejected).to_contain_text(re.compile(r"old\.zip.*corrupt"))
    expect(page.locator("table.site-pages tbody tr")).to_have_count(200)
    expect(page.locator("figure.chart svg")).to_be_visible()
    scarcity = page.locator("tr", has_text="Scarcity").first
    expect(scarcity.locator("td").last).to_have_text("40")  # two phrases × 20 pages
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
