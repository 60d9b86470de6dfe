from django.contrib import admin

from purposeful.feedback.models import FeedbackSettings, Signal, SignalEvent, Tag
from purposeful.organisation.admin import TeamOwnedAdmin
from purposeful.permissions import Action, allowed


class SignalEventInline(admin.TabularInline):
    model = SignalEvent
    extra = 0
    readonly_fields = ["kind", "actor", "state", "note", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Signal)
class SignalAdmin(TeamOwnedAdmin):
    list_display = ["pk", "kind", "team", "state", "source", "created_at"]
    list_filter = ["state", "kind", "source", "team"]
    search_fields = ["words", "sender_name"]
    raw_id_fields = ["account", "merged_into", "offer"]
    readonly_fields = ["follow_digest"]
    inlines = [SignalEventInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "general_team"]

    def has_add_permission(self, request):
        return not FeedbackSettings.objects.exists()

    def has_change_permission(self, request, obj=None):
        return allowed(request.user, Action.CONFIGURE_FEEDBACK)
