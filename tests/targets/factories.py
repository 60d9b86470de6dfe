"""Factories for targets and check-ins: plain functions with sensible defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from purposeful.targets.models import CheckIn, Target


def target(
    team,
    *,
    title: str = "Repair rather than replace in 8 of 10 jobs",
    measure_unit: str = "repairs out of 10",
    measure_target: Decimal | None = Decimal("8"),
    is_shared: bool = True,
    created_by=None,
    **fields,
) -> Target:
    return Target.objects.create(
        team=team,
        title=title,
        why=fields.pop("why", "Every part we save keeps a bike riding for longer."),
        measure_unit=measure_unit if measure_target is not None else "",
        measure_target=measure_target,
        period_start=fields.pop("period_start", date(2026, 1, 1)),
        period_end=fields.pop("period_end", date(2026, 12, 31)),
        is_shared=is_shared,
        created_by=created_by,
        **fields,
    )


def check_in(target: Target, *, value=None, learned="We learned something.", **fields):
    return CheckIn.objects.create(target=target, value=value, learned=learned, **fields)
