"""Admin pages for stewards; a team's targets stay the team's own here too.

A steward sees the targets they may read, but adds, changes or deletes one
only as a member of its team (see ``PermissionAdmin``); saving goes through
the services.
"""

from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from purposeful.organisation.admin import PermissionAdmin, PermissionInline
from purposeful.permissions import Action, allowed
from purposeful.targets import services
from purposeful.targets.models import CheckIn, DashboardSettings, Target


class CheckInInline(PermissionInline):
    """Check-ins are reflections on record: the team may remove one, not rewrite it."""

    model = CheckIn
    fields = [
        "created_at",
        "value",
        "learned",
        "sensed",
        "still_makes_sense",
        "author",
    ]
    readonly_fields = cast(list[str], fields)  # the same names, all plain fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and allowed(request.user, Action.USE_ADMIN)
            and allowed(request.user, Action.CHANGE_TARGET, obj)
        )


@admin.register(Target)
class TargetAdmin(PermissionAdmin):
    list_display = ["title", "team", "state", "period_end", "is_shared"]
    list_filter = ["state", "team", "is_shared"]
    search_fields = ["title", "why"]
    inlines = [CheckInInline]
    fields = ["team", *Target.EDITABLE_FIELDS]
    add_action = Action.CREATE_TARGET
    change_action = Action.CHANGE_TARGET
    team_field = "team"

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in Target.EDITABLE_FIELDS}
        if change:
            services.target_update(actor=request.user, target=obj, **fields)
        else:
            created = services.target_create(
                actor=request.user, team=form.cleaned_data["team"], **fields
            )
            obj.pk = created.pk
            obj._state.adding = False

    def delete_model(self, request, obj):
        services.target_delete(actor=request.user, target=obj)

    def delete_queryset(self, request, queryset):
        targets = list(queryset)
        for target in targets:
            if not self.has_delete_permission(request, target):
                raise PermissionDenied(
                    f"Only members of {target.team} can delete its targets."
                )
        for target in targets:
            services.target_delete(actor=request.user, target=target)


@admin.register(DashboardSettings)
class DashboardSettingsAdmin(PermissionAdmin):
    list_display = ["__str__", "is_public"]
    fields = ["is_public"]
    add_action = Action.CONFIGURE_DASHBOARD
    change_action = Action.CONFIGURE_DASHBOARD

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not DashboardSettings.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.dashboard_settings_update(
            actor=request.user, is_public=form.cleaned_data["is_public"]
        )
