"""Admin pages for stewards: messages and lens settings are read here and changed in the
app, where every change goes through the services (versions, the lens, the advice steps)."""

from typing import cast

from django.contrib import admin

from purposeful.organisation.admin import PermissionInline, ReadOnlyAdmin
from purposeful.outreach.models import (
    Advice,
    LensSettings,
    Message,
    MessageVersion,
    SitePage,
    SiteReview,
    SubstantiatedClaim,
)
from purposeful.permissions import Action


class VersionInline(PermissionInline):
    model = MessageVersion
    fields = [
        "number",
        "title",
        "author",
        "created_at",
        "category_counts",
        "purpose_alignment",
    ]
    readonly_fields = cast(list[str], fields)  # the same names, all plain fields


class AdviceInline(PermissionInline):
    model = Advice
    fields = ["author", "text", "created_at"]
    readonly_fields = cast(list[str], fields)  # the same names, all plain fields


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "channel", "state", "updated_at"]
    list_filter = ["state", "channel", "team"]
    search_fields = ["title", "body"]
    inlines = [VersionInline, AdviceInline]


class ClaimInline(PermissionInline):
    model = SubstantiatedClaim


@admin.register(LensSettings)
class LensSettingsAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "errors_block_publishing", "updated_at", "updated_by"]
    inlines = [ClaimInline]


class PageInline(PermissionInline):
    model = SitePage
    fields = ["path", "status", "problem", "words", "category_counts"]
    readonly_fields = cast(list[str], fields)  # the same names, all plain fields


@admin.register(SiteReview)
class SiteReviewAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "state",
        "pages_done",
        "pages_total",
        "created_at",
        "created_by",
    ]
    inlines = [PageInline]
    # old uploads are housekeeping for whoever runs the installation
    delete_action = Action.USE_ADMIN
