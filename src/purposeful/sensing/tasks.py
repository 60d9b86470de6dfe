"""Background work for sensing: recomputing the groups outside the request."""

from __future__ import annotations

from django_tasks import task


@task()
def sensing_compute_task(run_id: int) -> int:
    """Compute the groups for a queued run; returns how many groups were found."""
    from purposeful.sensing.models import SensingRun
    from purposeful.sensing.services import sensing_compute

    run = SensingRun.objects.filter(pk=run_id).first()
    if run is None or run.state == SensingRun.State.FINISHED:
        return 0
    return sensing_compute(run=run).group_count
