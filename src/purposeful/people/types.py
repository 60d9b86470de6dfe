"""Who acts: the one name for the person behind a request, a command or a job."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from purposeful.people.models import Member

# A signed-in member, or a visitor who is not signed in. Kept as a string so
# that importing it loads no models: permissions and services name it in
# annotations only.
Actor: TypeAlias = "Member | AnonymousUser"
