from django.contrib import admin

from purposeful.sensing.models import SensingRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Computed or recorded by the services; the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SensingRun)
class SensingRunAdmin(ReadOnlyAdmin):
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
