from django.contrib import admin

from purposeful.webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "description", "is_active", "consecutive_failures"]
    list_filter = ["is_active"]
    readonly_fields = [
        "consecutive_failures",
        "disabled_at",
        "created_by",
        "created_at",
    ]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "endpoint",
        "event",
        "attempt",
        "status_code",
        "is_success",
    ]
    list_filter = ["is_success", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
