"""The background site review: progress saved per batch, a crash kept visible."""

from __future__ import annotations

import io

from purposeful.outreach import services, tasks
from purposeful.outreach.models import SiteReview


def _review(cast, pages: int) -> SiteReview:
    files = [(f"p{n}.md", io.BytesIO(b"Only 3 left!")) for n in range(pages)]
    return services.site_review_create(actor=cast.owner, name="s", files=files)


def test_progress_is_saved_after_every_batch(cast, monkeypatch):
    review = _review(cast, 7)
    saved = []
    real_filter = SiteReview.objects.filter

    def filter_and_watch(*args, **kwargs):
        queryset = real_filter(*args, **kwargs)
        real_update = queryset.update

        def update(**fields):
            if "pages_done" in fields and "state" not in fields:
                saved.append(fields["pages_done"])
            return real_update(**fields)

        queryset.update = update
        return queryset

    monkeypatch.setattr(SiteReview.objects, "filter", filter_and_watch)
    services.site_review_run(review, batch=3)
    assert saved == [3, 6, 7]
    review.refresh_from_db()
    assert (review.state, review.pages_done) == ("done", 7)


def test_a_crash_marks_the_review_failed_and_keeps_it(cast, monkeypatch):
    review = _review(cast, 2)

    def boom(site_review, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "site_review_run", boom)
    assert tasks.review_site.call(review.pk) == 0
    review.refresh_from_db()
    assert review.state == SiteReview.State.FAILED
    assert "stopped unexpectedly" in review.problem


def test_a_finished_review_is_not_run_twice(cast):
    review = _review(cast, 1)
    services.site_review_run(review)
    assert tasks.review_site.call(review.pk) == 0
