"""Background work for imports: writing a confirmed file outside the request."""

from __future__ import annotations

from django_tasks import task

from purposeful import events


@task()
def import_run(job_id: int) -> str:
    """Write a confirmed import as the member who confirmed it."""
    from purposeful.exchange.models import ImportJob
    from purposeful.exchange.services import import_commit

    job = (
        ImportJob.objects.select_related("team", "created_by").filter(pk=job_id).first()
    )
    if job is None or job.state != ImportJob.State.QUEUED:
        return "skipped"
    from django.contrib.auth.models import AnonymousUser

    # a member deleted since confirming acts as nobody, whom the check refuses
    return import_commit(actor=job.created_by or AnonymousUser(), job=job).state


def import_abandoned(event: events.TaskAbandoned) -> None:
    """An import whose task was given up on is not left "importing" for ever."""
    from django.utils import timezone

    from purposeful.exchange.models import ImportJob

    job_id = event.record_id(import_run)
    if job_id is None:
        return
    ImportJob.objects.filter(
        pk=job_id, state__in=[ImportJob.State.QUEUED, ImportJob.State.IMPORTING]
    ).update(
        state=ImportJob.State.FAILED,
        message="Nothing was imported: the background work stopped before it "
        "finished. Import the file again.",
        finished_at=timezone.now(),
    )
