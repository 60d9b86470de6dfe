"""Background work for targets: the purpose dashboard's figures."""

from __future__ import annotations

from django_tasks import task


@task()
def dashboard_refresh() -> float:
    """Compute the dashboard's figures again; returns how long it took (seconds)."""
    from purposeful.targets.dashboard import refresh

    return refresh().seconds
