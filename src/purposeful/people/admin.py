"""Member accounts, invitations and tokens in the admin, through the permission layer."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from purposeful.organisation.admin import PermissionAdmin
from purposeful.people import services
from purposeful.people.models import ApiToken, Invitation, Member
from purposeful.permissions import Action

# Who may do what is decided by purposeful.permissions alone; Django's groups
# would grant nothing, so they are not offered.
admin.site.unregister(Group)


@admin.register(Member)
class MemberAdmin(PermissionAdmin, UserAdmin):
    list_display = ["username", "display_name", "email", "is_steward", "is_active"]
    list_filter = ["is_steward", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "About",
            {"fields": ["display_name", "first_name", "last_name", "email", "about"]},
        ),
        ("Installation", {"fields": ["is_active", "is_steward", "is_staff"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_action = Action.MANAGE_MEMBERS
    change_action = Action.MANAGE_MEMBERS
    # the admin opens to stewards: being staff follows being a steward
    owner_fields = ("is_staff", "last_login", "date_joined")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class MemberForm(form):
            def clean(self):
                cleaned = super().clean()
                is_self = obj is not None and obj.pk == request.user.pk
                if is_self and cleaned.get("is_active") is False:
                    self.add_error(
                        "is_active", "You cannot deactivate your own account."
                    )
                return cleaned

        return MemberForm

    def save_model(self, request, obj, form, change):
        changed = set(form.changed_data) & {"is_steward", "is_active"}
        wanted = {name: getattr(obj, name) for name in changed}
        if change:
            for name in changed:
                setattr(obj, name, form.initial[name])
        super().save_model(request, obj, form, change)
        if "is_steward" in wanted:
            services.member_set_steward(
                actor=request.user, member=obj, is_steward=wanted["is_steward"]
            )
        if "is_active" in wanted:
            services.member_set_active(
                actor=request.user, member=obj, is_active=wanted["is_active"]
            )


@admin.register(Invitation)
class InvitationAdmin(PermissionAdmin):
    """Invitations are sent from the invitations page, which shows the link once."""

    list_display = ["email", "invited_by", "created_at", "expires_at", "accepted_at"]
    change_action = Action.INVITE
    owner_fields = (
        "digest",
        "invited_by",
        "teams",
        "created_at",
        "accepted_at",
        "accepted_by",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(PermissionAdmin):
    """A token is made on its member's page and shown once; only they manage it."""

    list_display = ["name", "member", "prefix", "created_at", "last_used_at"]
    change_action = Action.MANAGE_TOKENS
    owner_fields = ("member", "digest", "prefix", "created_at", "last_used_at")

    def permission_target(self, obj):
        return obj.member if obj is not None else None
