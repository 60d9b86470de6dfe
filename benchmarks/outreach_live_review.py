"""The live lens's server round trip for a 500-word draft, against the 150 ms goal.

Sets up a throw-away installation (SQLite in a temporary directory, or DATABASE_URL),
signs in a member with Django's test client and times ``POST /messages/review/`` as
htmx sends it while someone types: the whole Django stack, session, CSRF-exempt test
client, the organisation's lens settings read from the database, the review, and the
partial with highlights, findings and gauge rendered.

Baseline, measured in the same run: the same request with the lens switched off (the
review replaced by an empty one), so the difference is what the lens costs.

    .venv/bin/python benchmarks/outreach_live_review.py [--repeat 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOAL_MS = 150.0

PARAGRAPHS = [
    "Winter salt is hard on chains and brakes. From 3 to 8 April we look over bikes "
    "that rode through the winter and tell you honestly what needs doing now and what "
    "can wait until the autumn.",
    "Hurry, this offer ends at midnight! Don't risk your safety on worn brakes before "
    "it's too late. Only 3 slots left this week.",
    "Bring your bike to the workshop on Canal Street. We keep every bicycle in our city "
    "riding for as long as it can, at a fair price, and we show you the worn parts so "
    "you can see for yourself what we see.",
    "Our refurbished bikes are eco-friendly and better than MegaBikes. You deserve a bike "
    "that turns heads.",
    "On Tuesday evenings the Learning Lab opens the workshop to anyone who wants to learn "
    "to fix a puncture, adjust brakes and gears, and keep a chain clean. Six learners, "
    "one bike each, tea in the break.",
]


def draft(words: int = 500) -> str:
    parts: list[str] = []
    n = 0
    while sum(len(p.split()) for p in parts) < words:
        parts.append(PARAGRAPHS[n % len(PARAGRAPHS)])
        n += 1
    text = "\n\n".join(parts)
    return " ".join(text.split(" ")[:words]) if len(text.split()) > words else text


def _time(client, body: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.post(
            "/messages/review/", {"body": body}, headers={"HX-Request": "true"}
        )
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def _summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="pf-bench-outreach-")
    os.environ.setdefault("PURPOSEFUL_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purposeful.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # allows the test client's 'testserver' host
    call_command("migrate", verbosity=0)

    from purposeful import demo
    from purposeful.lens import Review
    from purposeful.outreach import lens_service
    from purposeful.people.models import Member

    demo.load(password="purposeful-demo")  # purpose, allies and lens settings
    client = Client()
    client.force_login(Member.objects.get(username="lena"))
    body = draft(500)
    words = len(body.split())

    _time(client, body, 5)  # warm caches: compiled rules, classifier, templates
    with_lens = _time(client, body, args.repeat)
    review = lens_service.review_text(body)

    real = lens_service.review_text
    lens_service.review_text = lambda text, **kw: Review()
    try:
        _time(client, body, 5)
        without_lens = _time(client, body, args.repeat)
    finally:
        lens_service.review_text = real

    lens = lens_service.organisation_lens()
    lens_only = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        lens.review(body, markup="markdown")
        lens_only.append((time.perf_counter() - start) * 1000)

    p50, p95 = _summary(with_lens)
    b50, b95 = _summary(without_lens)
    l50, _ = _summary(lens_only)
    print(
        f"draft: {words} words, {len(body)} characters, {len(review.findings)} findings"
    )
    print(f"requests: {args.repeat} each, Django test client, one process")
    print(f"purpose alignment {review.purpose_alignment} by {review.alignment_method}")
    print(
        f"live review round trip      p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   (goal {GOAL_MS:.0f} ms)"
    )
    print(f"baseline: same request, lens off  p50 {b50:6.1f} ms   p95 {b95:6.1f} ms")
    print(f"the lens alone (library call)      p50 {l50:6.1f} ms")
    print(
        f"ratio to baseline: {p50 / b50:.1f}x; lens share of the round trip: {100 * (p50 - b50) / p50:.0f} %"
    )
    print("goal met" if p95 <= GOAL_MS else "GOAL MISSED")


if __name__ == "__main__":
    main()
