from django.contrib import admin

from purposeful.organisation.admin import TeamOwnedAdmin
from purposeful.relationships.models import (
    Account,
    Contact,
    Conversation,
    Handover,
    Referral,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Account)
class AccountAdmin(TeamOwnedAdmin):
    list_display = ["name", "kind", "team", "updated_at"]
    list_filter = ["team", "kind"]
    search_fields = ["name", "contacts__name", "contacts__email"]
    inlines = [ContactInline]


@admin.register(Conversation)
class ConversationAdmin(TeamOwnedAdmin):
    list_display = ["account", "kind", "member", "happened_at"]
    list_filter = ["kind"]
    list_select_related = ["account", "member"]
    raw_id_fields = ["account", "contact"]


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    """Hand-overs are a record: they change only through the two teams' decisions."""

    list_display = ["account", "from_team", "to_team", "state", "proposed_at"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(TeamOwnedAdmin):
    list_display = ["account", "ally_name", "referred_by", "created_at"]
    raw_id_fields = ["account"]
