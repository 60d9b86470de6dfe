from django.contrib import admin

from purposeful.privacy.models import Erasure
from purposeful.sensing.admin import ReadOnlyAdmin


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["contact_id", "account", "team", "erased_by", "erased_at"]
