from django.contrib import admin

from purposeful.exchange.models import ImportJob
from purposeful.organisation.admin import ReadOnlyAdmin


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "filename",
        "team",
        "state",
        "total_rows",
        "contacts_created",
        "created_at",
    ]
    list_filter = ["state"]
    exclude = ["content"]
