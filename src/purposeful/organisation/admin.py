from django.contrib import admin

from purposeful.organisation.models import (
    Ally,
    Membership,
    Organisation,
    PurposeVersion,
    Role,
    Team,
)
from purposeful.permissions import Action, allowed


class TeamOwnedAdmin(admin.ModelAdmin):
    """Stewards reach the admin, but team-owned records stay the team's to change."""

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request, obj)
        return allowed(request.user, Action.CHANGE_TEAM, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request, obj)
        return allowed(request.user, Action.CHANGE_TEAM, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "is_demo"]

    def has_add_permission(self, request):
        return not Organisation.objects.exists()


@admin.register(PurposeVersion)
class PurposeVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "author", "created_at", "reason"]
    readonly_fields = [
        "organisation",
        "number",
        "text",
        "reason",
        "author",
        "created_at",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(TeamOwnedAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Role)
class RoleAdmin(TeamOwnedAdmin):
    list_display = ["name", "team", "kind"]
    list_filter = ["kind", "team"]


@admin.register(Ally)
class AllyAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
