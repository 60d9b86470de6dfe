from django.contrib import admin

from purposeful.offers.models import Advice, AdviceRequest, Offer, OfferVersion
from purposeful.organisation.admin import TeamOwnedAdmin


class OfferVersionInline(admin.TabularInline):
    """Versions are written through the canvas, never in the admin."""

    model = OfferVersion
    fields = ["number", "status", "name", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(TeamOwnedAdmin):
    list_display = ["slug", "team", "state", "last_published_at"]
    list_filter = ["state", "team"]
    readonly_fields = [
        "team",
        "slug",
        "state",
        "created_by",
        "created_at",
        "first_published_at",
        "last_published_at",
        "retired_at",
    ]
    inlines = [OfferVersionInline]

    def has_add_permission(self, request):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Advice stays on record: the admin shows it and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Advice)
class AdviceAdmin(_ReadOnlyAdmin):
    list_display = ["version", "author", "created_at"]


@admin.register(AdviceRequest)
class AdviceRequestAdmin(_ReadOnlyAdmin):
    list_display = ["version", "asked_by", "member", "team", "created_at"]
