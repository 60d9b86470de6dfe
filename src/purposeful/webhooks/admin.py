"""Webhooks in the admin: read and removed here, configured on the webhooks page,
whose services check the address and make up a strong secret."""

from django.contrib import admin

from purposeful.organisation.admin import PermissionAdmin
from purposeful.permissions import Action
from purposeful.webhooks import services
from purposeful.webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(PermissionAdmin):
    list_display = ["url", "description", "is_active", "consecutive_failures"]
    list_filter = ["is_active"]
    exclude = ["secret"]
    delete_action = Action.MANAGE_WEBHOOKS

    def delete_model(self, request, obj):
        services.endpoint_delete(actor=request.user, endpoint=obj)

    def delete_queryset(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_delete(actor=request.user, endpoint=endpoint)


@admin.register(Delivery)
class DeliveryAdmin(PermissionAdmin):
    list_display = [
        "created_at",
        "endpoint",
        "event",
        "attempt",
        "status_code",
        "is_success",
    ]
    list_filter = ["is_success", "event"]
    delete_action = Action.MANAGE_WEBHOOKS
