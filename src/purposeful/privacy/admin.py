from django.contrib import admin

from purposeful.organisation.admin import ReadOnlyAdmin
from purposeful.privacy.models import Erasure


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["contact_id", "account", "team", "erased_by", "erased_at"]
