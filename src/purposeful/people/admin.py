from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from purposeful.people.models import ApiToken, Invitation, Member


@admin.register(Member)
class MemberAdmin(UserAdmin):
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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "invited_by", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["digest", "accepted_at", "accepted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "member", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["digest", "prefix", "last_used_at"]
