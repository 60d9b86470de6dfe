"""Lets stewards use the Django admin, deciding through the permission layer."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from purposeful.permissions import Action, allowed


class StewardAdminBackend(BaseBackend):
    """Grants admin model permissions to stewards; team-owned admins narrow it down."""

    def has_perm(self, user_obj, perm, obj=None):
        return allowed(user_obj, Action.USE_ADMIN)

    def has_module_perms(self, user_obj, app_label):
        return allowed(user_obj, Action.USE_ADMIN)
