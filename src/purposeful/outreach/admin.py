"""Admin pages for stewards: messages and lens settings are read here and changed in the
app, where every change goes through the services (versions, the lens, the advice steps)."""

from django.contrib import admin

from purposeful.outreach.models import (
    Advice,
    LensSettings,
    Message,
    MessageVersion,
    SitePage,
    SiteReview,
    SubstantiatedClaim,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = MessageVersion
    fields = [
        "number",
        "title",
        "author",
        "created_at",
        "category_counts",
        "purpose_alignment",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AdviceInline(admin.TabularInline):
    model = Advice
    fields = ["author", "text", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "channel", "state", "updated_at"]
    list_filter = ["state", "channel", "team"]
    search_fields = ["title", "body"]
    inlines = [VersionInline, AdviceInline]


class ClaimInline(admin.TabularInline):
    model = SubstantiatedClaim
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LensSettings)
class LensSettingsAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "errors_block_publishing", "updated_at", "updated_by"]
    inlines = [ClaimInline]


class PageInline(admin.TabularInline):
    model = SitePage
    fields = ["path", "status", "problem", "words", "category_counts"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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

    def has_delete_permission(self, request, obj=None):
        # old uploads are housekeeping for whoever runs the installation
        return bool(request.user.is_active and request.user.is_steward)
