"""Admin pages for stewards; a team's targets stay the team's own here too.

A steward sees targets (reading is open inside the organisation) but may add,
change or delete one only as a member of its team: every permission question
goes to ``purposeful.permissions``, the add form offers only the steward's own
teams, the team of an existing target cannot be changed, and saving goes
through the services.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from purposeful.organisation.models import Team
from purposeful.permissions import Action, allowed
from purposeful.targets import services
from purposeful.targets.models import CheckIn, DashboardSettings, Target


class CheckInInline(admin.TabularInline):
    model = CheckIn
    extra = 0
    fields = ["created_at", "value", "learned", "sensed", "still_makes_sense", "author"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is not None and allowed(request.user, Action.CHANGE_TARGET, obj)


def _my_teams(request):
    return Team.objects.filter(memberships__member=request.user).order_by("name")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "state", "period_end", "is_shared"]
    list_filter = ["state", "team", "is_shared"]
    search_fields = ["title", "why"]
    inlines = [CheckInInline]
    fields = [
        "team",
        "title",
        "why",
        "measure_unit",
        "measure_target",
        "period_start",
        "period_end",
        "is_shared",
    ]

    def get_queryset(self, request):
        # Targets a team keeps inside are shown only to that team's members.
        from django.db.models import Q

        return (
            super()
            .get_queryset(request)
            .select_related("team")
            .filter(Q(is_shared=True) | Q(team__in=_my_teams(request)))
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return allowed(request.user, Action.USE_ADMIN)
        return allowed(request.user, Action.VIEW_TARGET, obj)

    def has_add_permission(self, request):
        return allowed(request.user, Action.USE_ADMIN) and _my_teams(request).exists()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return allowed(request.user, Action.USE_ADMIN)
        return allowed(request.user, Action.CHANGE_TARGET, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return allowed(request.user, Action.USE_ADMIN)
        return allowed(request.user, Action.CHANGE_TARGET, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["team"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["queryset"] = _my_teams(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
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
        for target in queryset:
            if not allowed(request.user, Action.CHANGE_TARGET, target):
                raise PermissionDenied(
                    f"Only members of {target.team} can delete its targets."
                )
        for target in queryset:
            services.target_delete(actor=request.user, target=target)


@admin.register(DashboardSettings)
class DashboardSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_public"]
    fields = ["is_public"]

    def has_add_permission(self, request):
        return not DashboardSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.dashboard_settings_update(
            actor=request.user, is_public=form.cleaned_data["is_public"]
        )
