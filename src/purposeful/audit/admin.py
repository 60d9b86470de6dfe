"""The audit log in the admin shows stewards what the audit page shows them."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from purposeful.audit.selectors import audit_readable_by
from purposeful.permissions import Action, allowed

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ReadableLogEntryAdmin(LogEntryAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(audit_readable_by(request.user))

    def has_module_permission(self, request):
        return allowed(request.user, Action.USE_ADMIN)

    def has_view_permission(self, request, obj=None):
        if not allowed(request.user, Action.USE_ADMIN):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
