"""Every write to targets, check-ins, comments and the dashboard settings.

Each function checks permission first, then changes the data; views, the API,
the admin, the command line and the bulk import all call these, so a member of
another team is refused the same way everywhere. There is no function that
moves a target to another team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from purposeful.organisation.models import Team
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in
from purposeful.targets.models import CheckIn, Comment, DashboardSettings, Target


def _clean_measure(target: Target) -> None:
    if target.measure_target is not None and not target.measure_unit:
        raise ValidationError(
            {"measure_unit": "Say what the number counts, e.g. 'courses'."}
        )
    if target.measure_unit and target.measure_target is None:
        raise ValidationError(
            {"measure_target": "Give the number, or leave the unit empty."}
        )


def _save(target: Target) -> Target:
    for name in ("title", "why", "measure_unit", "closing_note"):
        setattr(target, name, (getattr(target, name) or "").strip())
    if (
        target.period_start
        and target.period_end
        and target.period_end < target.period_start
    ):
        raise ValidationError({"period_end": "The period ends before it starts."})
    target.full_clean()
    _clean_measure(target)
    target.updated_at = timezone.now()
    target.save()
    return target


def target_create(
    *,
    actor: Actor,
    team: Team,
    title: str,
    why: str,
    period_start: date,
    period_end: date,
    measure_unit: str = "",
    measure_target: Decimal | None = None,
    is_shared: bool = True,
) -> Target:
    """Set a target for ``team``, which must be a team the actor is a member of."""
    check(actor, Action.CREATE_TARGET, team)
    target = Target(
        team=team,
        title=title,
        why=why,
        period_start=period_start,
        period_end=period_end,
        measure_unit=measure_unit or "",
        measure_target=measure_target,
        is_shared=is_shared,
        created_by=signed_in(actor),
    )
    return _save(target)


def target_update(*, actor: Actor, target: Target, **fields: Any) -> Target:
    """Change what a target says; its team never changes."""
    check(actor, Action.CHANGE_TARGET, target)
    unknown = set(fields) - set(Target.EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"These cannot be changed: {', '.join(sorted(unknown))}. "
            "A target always stays with the team that set it."
        )
    for name, value in fields.items():
        setattr(target, name, "" if value is None and name == "measure_unit" else value)
    return _save(target)


def target_close(*, actor: Actor, target: Target, note: str = "") -> Target:
    """The team reached its target (or considers it done)."""
    check(actor, Action.CHANGE_TARGET, target)
    if not target.is_open:
        raise ValidationError("This target is already closed.")
    target.state = Target.State.REACHED
    target.closing_note = note
    target.closed_at = timezone.now()
    return _save(target)


def target_let_go(*, actor: Actor, target: Target, reason: str) -> Target:
    """Let a target go: a choice the team learned its way to, not a failure."""
    check(actor, Action.CHANGE_TARGET, target)
    if not target.is_open:
        raise ValidationError("This target is already closed.")
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": "Say why you let it go: it is what others will learn from."}
        )
    target.state = Target.State.LET_GO
    target.closing_note = reason
    target.closed_at = timezone.now()
    return _save(target)


def target_reopen(*, actor: Actor, target: Target) -> Target:
    check(actor, Action.CHANGE_TARGET, target)
    if target.is_open:
        raise ValidationError("This target is open already.")
    target.state = Target.State.ACTIVE
    target.closed_at = None
    return _save(target)


def target_delete(*, actor: Actor, target: Target) -> None:
    check(actor, Action.CHANGE_TARGET, target)
    target.delete()


def check_in_create(
    *,
    actor: Actor,
    target: Target,
    learned: str,
    sensed: str = "",
    still_makes_sense: str = CheckIn.StillMakesSense.YES,
    value: Decimal | None = None,
) -> CheckIn:
    """Record a reflection on a target, with a value when the target has a measure."""
    check(actor, Action.CHECK_IN_TARGET, target)
    if not target.is_open:
        raise ValidationError(
            "This target is closed; reopen it before checking in again."
        )
    if value is not None and not target.has_measure:
        raise ValidationError(
            {"value": "This target has no measure; write a reflection instead."}
        )
    check_in = CheckIn(
        target=target,
        value=value,
        learned=(learned or "").strip(),
        sensed=(sensed or "").strip(),
        still_makes_sense=still_makes_sense,
        author=signed_in(actor),
    )
    check_in.full_clean()
    check_in.save()
    return check_in


def comment_create(*, actor: Actor, target: Target, text: str) -> Comment:
    """Anyone who can read a target may comment on it; comments change nothing else."""
    check(actor, Action.COMMENT_TARGET, target)
    comment = Comment(target=target, author=signed_in(actor), text=(text or "").strip())
    comment.full_clean()
    comment.save()
    return comment


def dashboard_settings_get() -> DashboardSettings:
    settings = DashboardSettings.objects.order_by("pk").first()
    return settings or DashboardSettings.objects.create()


def dashboard_settings_update(*, actor: Actor, is_public: bool) -> DashboardSettings:
    check(actor, Action.CONFIGURE_DASHBOARD)
    settings = dashboard_settings_get()
    settings.is_public = is_public
    settings.updated_at = timezone.now()
    settings.save()
    return settings


# -- bulk import ---------------------------------------------------------------

IMPORT_COLUMNS = (
    "team",
    "title",
    "why",
    "period_start",
    "period_end",
    "measure_unit",
    "measure_target",
    "shared",
)
_REQUIRED_COLUMNS = {"team", "title", "why", "period_start", "period_end"}
_TRUE = {"", "1", "yes", "y", "true", "shared"}
_FALSE = {"0", "no", "n", "false", "team"}


@dataclass
class RowError:
    row: int  # 1-based line number in the file, the header being line 1
    message: str

    def __str__(self) -> str:
        return f"line {self.row}: {self.message}"


class ImportRefused(Exception):
    """Nothing was imported; ``errors`` says what is wrong, line by line."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(
            ngettext(
                "%(count)d line needs attention; nothing was imported",
                "%(count)d lines need attention; nothing was imported",
                len(errors),
            )
            % {"count": len(errors)}
        )


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            if field != "__all__"
            else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _parse_row(row: dict[str, str]) -> dict[str, Any]:
    values = {k: (v or "").strip() for k, v in row.items() if k}
    missing = [c for c in sorted(_REQUIRED_COLUMNS) if not values.get(c)]
    if missing:
        raise ValidationError(f"missing {', '.join(missing)}")
    parsed: dict[str, Any] = {}
    for name in ("period_start", "period_end"):
        try:
            parsed[name] = date.fromisoformat(values[name])
        except ValueError:
            raise ValidationError(
                f"{name} must be a date like 2026-01-31, not {values[name]!r}"
            ) from None
    number = values.get("measure_target", "")
    if number:
        try:
            parsed["measure_target"] = Decimal(number)
        except InvalidOperation:
            raise ValidationError(
                f"measure_target must be a number, not {number!r}"
            ) from None
    shared = values.get("shared", "").lower()
    if shared not in _TRUE | _FALSE:
        raise ValidationError(f"shared must be yes or no, not {shared!r}")
    parsed.update(
        title=values["title"],
        why=values["why"],
        measure_unit=values.get("measure_unit", ""),
        is_shared=shared in _TRUE,
    )
    return parsed


def targets_import(*, actor: Actor, rows: list[dict[str, str]]) -> list[Target]:
    """Create a target per row, all or nothing.

    Each row names its team by slug; a row for a team the actor is not in is
    refused like any other write. When any row fails, nothing is created and
    :class:`ImportRefused` lists every failing line.
    """
    check(actor, Action.VIEW_INTERNAL)
    if not rows:
        raise ImportRefused([RowError(1, "the file has no targets in it")])
    unknown = set(rows[0]) - set(IMPORT_COLUMNS) - {None}
    if unknown:
        raise ImportRefused(
            [
                RowError(
                    1,
                    ngettext("unknown column", "unknown columns", len(unknown))
                    + f" {', '.join(sorted(unknown))}; "
                    f"the columns are {', '.join(IMPORT_COLUMNS)}",
                )
            ]
        )
    teams = {team.slug: team for team in Team.objects.all()}
    errors: list[RowError] = []
    created: list[Target] = []
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            try:
                fields = _parse_row(row)
                slug = (row.get("team") or "").strip()
                team = teams.get(slug)
                if team is None:
                    raise ValidationError(f"there is no team {slug!r}")
                with transaction.atomic():
                    created.append(target_create(actor=actor, team=team, **fields))
            except PermissionDenied as error:
                errors.append(RowError(line, str(error)))
            except ValidationError as error:
                errors.append(RowError(line, _messages(error)))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRefused(errors)
    return created
