"""The admin shows offers to stewards; the team writes them through the canvas."""

from typing import cast

from django.contrib import admin

from purposeful.offers.models import Advice, AdviceRequest, Offer, OfferVersion
from purposeful.organisation.admin import (
    PermissionAdmin,
    PermissionInline,
    ReadOnlyAdmin,
)
from purposeful.permissions import Action


class OfferVersionInline(PermissionInline):
    """Versions are written through the canvas, never in the admin."""

    model = OfferVersion
    fields = ["number", "status", "name", "published_at"]
    readonly_fields = cast(list[str], fields)  # the same names, all plain fields
    show_change_link = False


@admin.register(Offer)
class OfferAdmin(PermissionAdmin):
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
    change_action = Action.CHANGE_OFFER


@admin.register(Advice)
class AdviceAdmin(ReadOnlyAdmin):
    """Advice stays on record: the admin shows it and changes nothing."""

    list_display = ["version", "author", "created_at"]


@admin.register(AdviceRequest)
class AdviceRequestAdmin(ReadOnlyAdmin):
    list_display = ["version", "asked_by", "member", "team", "created_at"]
