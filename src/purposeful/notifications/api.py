"""JSON API for a member's own notification choices."""

from __future__ import annotations

from ninja import Router

from purposeful.notifications import services
from purposeful.notifications.schemas import PreferencesOut, PreferencesPatch
from purposeful.permissions import Action, check

router = Router(tags=["notifications"])


@router.get(
    "/notifications/preferences", response=PreferencesOut, summary="What I hear about"
)
def preferences_read(request):
    check(request.auth, Action.CHANGE_NOTIFICATIONS, request.auth)
    return services.preferences_of(request.auth)


@router.patch(
    "/notifications/preferences",
    response=PreferencesOut,
    summary="Choose what I hear about",
)
def preferences_update(request, payload: PreferencesPatch):
    choices = {k: v for k, v in payload.dict().items() if v is not None}
    return services.preferences_update(
        actor=request.auth, member=request.auth, choices=choices
    )
