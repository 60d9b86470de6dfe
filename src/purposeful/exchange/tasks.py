"""Background work for imports: writing a confirmed file outside the request."""

from __future__ import annotations

from django_tasks import task


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
    return import_commit(actor=job.created_by, job=job).state
