from django.contrib import admin

from purposeful.organisation.admin import ReadOnlyAdmin
from purposeful.sensing.models import SensingRun


@admin.register(SensingRun)
class SensingRunAdmin(ReadOnlyAdmin):
    """Computed by the services; the admin only shows them."""

    list_display = [
        "pk",
        "state",
        "method",
        "signal_count",
        "group_count",
        "seconds",
        "created_at",
    ]
    list_filter = ["state"]
