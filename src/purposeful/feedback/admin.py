"""A team's inbox stays the team's in the admin; anyone inside may pass feedback on."""

from django.contrib import admin

from purposeful.feedback.models import FeedbackSettings, Signal, SignalEvent, Tag
from purposeful.organisation.admin import (
    PermissionAdmin,
    PermissionInline,
    ReadOnlyAdmin,
)
from purposeful.permissions import Action


class SignalEventInline(PermissionInline):
    """What happened to a signal, as the services recorded it."""

    model = SignalEvent
    readonly_fields = ["kind", "actor", "state", "note", "created_at"]


@admin.register(Signal)
class SignalAdmin(PermissionAdmin):
    list_display = ["pk", "kind", "team", "state", "source", "created_at"]
    list_filter = ["state", "kind", "source", "team"]
    search_fields = ["words", "sender_name"]
    raw_id_fields = ["account", "offer"]
    inlines = [SignalEventInline]
    add_action = Action.RECORD_SIGNAL
    change_action = Action.TRIAGE_SIGNAL
    team_field = "team"
    author_fields = ("recorded_by",)
    # where a signal came from and how far it got are the services' to say:
    # triage, merging and replies go through the inbox, which tells the sender
    owner_fields = (
        "source",
        "state",
        "decline_reason",
        "assignee",
        "merged_into",
        "follow_digest",
        "created_at",
        "updated_at",
    )


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    """Tags are shared by every team's inbox and set while triaging."""

    search_fields = ["name"]


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(PermissionAdmin):
    list_display = ["__str__", "general_team"]
    add_action = Action.CONFIGURE_FEEDBACK
    change_action = Action.CONFIGURE_FEEDBACK

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not FeedbackSettings.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False
