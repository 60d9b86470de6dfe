"""The audit log in the API: who changed what and when, newest first."""

from datetime import date

from ninja import Router
from ninja.pagination import paginate

from purposeful.audit.schemas import AuditEntryOut
from purposeful.audit.selectors import audit_entries, audit_entry_dict
from purposeful.core.paging import Mapped, Page
from purposeful.permissions import Action, check

router = Router(tags=["audit"])


@router.get("/audit", response=list[AuditEntryOut], summary="Audit log")
@paginate(Page)
def audit_list(
    request,
    actor: str | None = None,
    record_type: str | None = None,
    action: str | None = None,
    since: date | None = None,
):
    check(request.auth, Action.VIEW_INTERNAL)
    entries = audit_entries(
        viewer=request.auth,
        actor=actor,
        record_type=record_type,
        action=action,
        since=since,
    )
    return Mapped(entries, audit_entry_dict)
