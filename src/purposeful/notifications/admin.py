from django.contrib import admin

from purposeful.notifications.models import Notification
from purposeful.organisation.admin import ReadOnlyAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The e-mail log; preferences are each member's own, on their page."""

    list_display = [
        "subject",
        "member",
        "topic",
        "delivery",
        "created_at",
        "emailed_at",
    ]
    list_filter = ["topic", "delivery"]
