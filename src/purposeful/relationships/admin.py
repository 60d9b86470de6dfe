"""Customers stay their team's in the admin: a steward writes them only as a member."""

from django.contrib import admin

from purposeful.organisation.admin import PermissionAdmin, PermissionInline
from purposeful.permissions import Action
from purposeful.relationships.models import (
    Account,
    Contact,
    Conversation,
    Handover,
    Referral,
)


class ContactInline(PermissionInline):
    model = Contact
    change_action = Action.CHANGE_ACCOUNT
    readonly_fields = ["consent_recorded_at", "created_at"]


@admin.register(Account)
class AccountAdmin(PermissionAdmin):
    list_display = ["name", "kind", "team", "updated_at"]
    list_filter = ["team", "kind"]
    search_fields = ["name", "contacts__name", "contacts__email"]
    inlines = [ContactInline]
    add_action = Action.CREATE_ACCOUNT
    change_action = Action.CHANGE_ACCOUNT
    # another team takes a customer on through a hand-over, not a form
    team_field = "team"
    owner_fields = ("created_at", "updated_at")


@admin.register(Conversation)
class ConversationAdmin(PermissionAdmin):
    list_display = ["account", "kind", "member", "happened_at"]
    list_filter = ["kind"]
    list_select_related = ["account", "member"]
    raw_id_fields = ["account", "contact"]
    add_action = Action.CHANGE_ACCOUNT
    change_action = Action.CHANGE_ACCOUNT
    team_field = "account"
    author_fields = ("member",)
    owner_fields = ("created_at",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class ConversationForm(form):
            def clean(self):
                cleaned = super().clean()
                account = cleaned.get("account") or (obj.account if obj else None)
                contact = cleaned.get("contact")
                if contact is not None and account and contact.account_id != account.pk:
                    self.add_error(
                        "contact", "This person is not a contact of this customer."
                    )
                return cleaned

        return ConversationForm


@admin.register(Handover)
class HandoverAdmin(PermissionAdmin):
    """Hand-overs are a record: they change only through the two teams' decisions."""

    list_display = ["account", "from_team", "to_team", "state", "proposed_at"]
    list_filter = ["state"]
    # in the order of a hand-over's life (the decision's fields come from the
    # shared Decided model, which Django would list first)
    fields = [
        "account",
        "from_team",
        "to_team",
        "reason",
        "state",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
        "response",
    ]


@admin.register(Referral)
class ReferralAdmin(PermissionAdmin):
    list_display = ["account", "ally_name", "referred_by", "created_at"]
    raw_id_fields = ["account"]
    add_action = Action.CHANGE_ACCOUNT
    change_action = Action.CHANGE_ACCOUNT
    team_field = "account"
    author_fields = ("referred_by",)
    owner_fields = ("created_at",)
