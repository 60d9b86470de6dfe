"""Background work for outreach: reviewing an uploaded site page by page."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from purposeful import events

logger = logging.getLogger(__name__)


@task()
def review_site(site_review_id: int) -> int:
    """Review every waiting page of a site review; returns how many pages were done."""
    from purposeful.outreach.models import SiteReview
    from purposeful.outreach.services import site_review_run

    site_review = SiteReview.objects.filter(pk=site_review_id).first()
    if site_review is None or site_review.is_finished:
        return 0
    try:
        site_review = site_review_run(site_review)
    except Exception:
        logger.exception("site review %s stopped", site_review_id)
        SiteReview.objects.filter(pk=site_review_id).update(
            state=SiteReview.State.FAILED,
            problem="The review stopped unexpectedly; the pages reviewed so far are kept.",
            finished_at=timezone.now(),
        )
        return 0
    return site_review.pages_done


def site_review_abandoned(event: events.TaskAbandoned) -> None:
    """A site review whose task was given up on is not left "reviewing" for ever."""
    from purposeful.outreach.models import SiteReview

    review_id = event.record_id(review_site)
    if review_id is None:
        return
    SiteReview.objects.filter(
        pk=review_id, state__in=[SiteReview.State.QUEUED, SiteReview.State.RUNNING]
    ).update(
        state=SiteReview.State.FAILED,
        problem="The review stopped: the background work ended before it finished; "
        "the pages reviewed so far are kept.",
        finished_at=timezone.now(),
    )
