"""Admin pages for stewards, through the same permission layer as the app.

Every admin here is a :class:`PermissionAdmin`: seeing, adding, changing and
deleting a record are questions for ``purposeful.permissions``, never for
Django's model permissions. Being a steward opens the admin (``USE_ADMIN``);
it writes a team's records only as a member of that team, like everywhere
else. Fields that say who owns or wrote a record are not the admin's to set:
the team is chosen among the actor's own teams when a record is added and is
read-only afterwards (a customer moves through a hand-over, not a form), the
author is whoever adds the record, and fields the services keep (state,
source, timestamps) are read-only.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Model, QuerySet

from purposeful.organisation.models import (
    Ally,
    Membership,
    Organisation,
    PurposeVersion,
    Role,
    Team,
)
from purposeful.permissions import Action, allowed, check, may_read, visible


class PermissionAdmin(admin.ModelAdmin):
    """A model admin whose every permission question goes to the permission layer.

    ``add_action``, ``change_action`` and ``delete_action`` name the actions
    that govern adding, changing and deleting (``None``: not in the admin; the
    delete action defaults to the change action). ``team_field`` is the
    foreign key a new record's owner is chosen by; ``author_fields`` are set
    to the actor on add; ``owner_fields`` are always read-only.
    """

    # as the app's own forms do: an address typed without a scheme is https
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    add_action: Action | None = None
    change_action: Action | None = None
    delete_action: Action | None = None
    team_field: str | None = None
    author_fields: tuple[str, ...] = ()
    owner_fields: tuple[str, ...] = ()

    def permission_target(self, obj: Model | None) -> Any:
        """What the permission layer is asked about for ``obj``."""
        return obj

    def _may(self, request, action: Action | None, obj: Model | None) -> bool:
        if action is None or not allowed(request.user, Action.USE_ADMIN):
            return False
        return allowed(request.user, action, self.permission_target(obj))

    def _delete_action(self) -> Action | None:
        return self.delete_action or self.change_action

    def _owners(self) -> QuerySet[Any]:
        field = self.model._meta.get_field(self.team_field)
        return field.related_model._default_manager.all()

    def team_choices(self, request) -> QuerySet[Any]:
        """The records a new one may belong to: those the actor may add to."""
        owners = self._owners()
        return owners.filter(
            pk__in=[
                owner.pk
                for owner in owners
                # only asked of an admin that adds records: add_action is set
                if allowed(request.user, cast(Action, self.add_action), owner)
            ]
        )

    def get_queryset(self, request):
        records = super().get_queryset(request)
        return records.filter(pk__in=visible(request.user, self.model).values("pk"))

    def has_module_permission(self, request):
        return allowed(request.user, Action.USE_ADMIN)

    def has_view_permission(self, request, obj=None):
        if not allowed(request.user, Action.USE_ADMIN):
            return False
        return obj is None or may_read(request.user, obj)

    def has_add_permission(self, request):
        if self.add_action is None or not allowed(request.user, Action.USE_ADMIN):
            return False
        if self.team_field is not None:
            return any(
                allowed(request.user, self.add_action, owner)
                for owner in self._owners().iterator()
            )
        return allowed(request.user, self.add_action)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.change_action is not None and allowed(
                request.user, Action.USE_ADMIN
            )
        return self._may(request, self.change_action, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return self._delete_action() is not None and allowed(
                request.user, Action.USE_ADMIN
            )
        return self._may(request, self._delete_action(), obj)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        fields += [f for f in (*self.owner_fields, *self.author_fields) if f]
        if obj is not None and self.team_field:
            fields.append(self.team_field)
        return list(dict.fromkeys(fields))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # a raw id is checked when the form is validated, not listed here
        if db_field.name == self.team_field and db_field.name not in self.raw_id_fields:
            kwargs["queryset"] = self.team_choices(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        admin_ = self

        class PermissionForm(form):
            def _post_clean(self):
                super()._post_clean()
                if self.instance.pk is None:
                    admin_.new_record_prepare(request, self.instance)
                    if not self.errors and not admin_._may(
                        request, admin_.add_action, self.instance
                    ):
                        self.add_error(
                            admin_.team_field, admin_.refusal(request, self.instance)
                        )

        return PermissionForm

    def new_record_prepare(self, request, obj: Model) -> None:
        """A new record's author is whoever adds it."""
        for name in self.author_fields:
            setattr(obj, name, request.user)

    def refusal(self, request, obj: Model) -> str:
        try:
            # only asked of an admin that adds records: add_action is set
            check(
                request.user, cast(Action, self.add_action), self.permission_target(obj)
            )
        except PermissionDenied as denied:
            return str(denied)
        return "You may not add this record."

    def save_model(self, request, obj, form, change):
        action = self.change_action if change else self.add_action
        if change and not self._may(request, action, obj):
            raise PermissionDenied
        if not change:
            self.new_record_prepare(request, obj)
            if not self._may(request, action, obj):
                raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            if not self.has_delete_permission(request, obj):
                raise PermissionDenied(f"You may not delete {obj}.")
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(PermissionAdmin):
    """Recorded or computed by the services; the admin only shows them."""


class PermissionInline(admin.TabularInline):
    """Rows of a parent record, written only by whoever may change the parent.

    ``change_action`` names the action on the parent (``None``: read-only).
    """

    change_action: Action | None = None
    extra = 0

    def _may(self, request, obj) -> bool:
        return (
            self.change_action is not None
            and obj is not None
            and allowed(request.user, Action.USE_ADMIN)
            and allowed(request.user, self.change_action, obj)
        )

    def has_view_permission(self, request, obj=None):
        return allowed(request.user, Action.USE_ADMIN)

    def has_add_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)


class MembershipInline(PermissionInline):
    """Joining and leaving go through the team's page, where its members decide."""

    model = Membership
    fields = ["member", "joined_at"]
    readonly_fields = cast(list[str], fields)  # the same names, all plain fields


@admin.register(Organisation)
class OrganisationAdmin(PermissionAdmin):
    list_display = ["name", "website", "is_demo"]
    add_action = Action.CHANGE_ORGANISATION
    change_action = Action.CHANGE_ORGANISATION
    delete_action = None

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PurposeVersion)
class PurposeVersionAdmin(ReadOnlyAdmin):
    """The purpose's history; a new version is written on the purpose page."""

    list_display = ["number", "author", "created_at", "reason"]


@admin.register(Team)
class TeamAdmin(PermissionAdmin):
    """Teams start on the teams page, where whoever starts one is its first member."""

    list_display = ["name", "slug"]
    change_action = Action.CHANGE_TEAM
    owner_fields = ("created_at",)
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Role)
class RoleAdmin(PermissionAdmin):
    list_display = ["name", "team", "kind"]
    list_filter = ["kind", "team"]
    add_action = Action.MANAGE_ROLES
    change_action = Action.MANAGE_ROLES
    team_field = "team"
    owner_fields = ("created_at",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RoleForm(form):
            def clean(self):
                cleaned = super().clean()
                team = cleaned.get("team") or (obj.team if obj else None)
                holders = cleaned.get("holders")
                if team is not None and holders is not None:
                    outside = holders.exclude(memberships__team=team)
                    if outside.exists():
                        self.add_error(
                            "holders",
                            f"Only members of {team} can hold its roles.",
                        )
                return cleaned

        return RoleForm


@admin.register(Ally)
class AllyAdmin(PermissionAdmin):
    list_display = ["name", "website"]
    add_action = Action.MANAGE_ALLIES
    change_action = Action.MANAGE_ALLIES
