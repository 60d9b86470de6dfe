"""Saving drafts while a member types, and the page for a stale form. Thin."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from purposeful.drafts import services
from purposeful.drafts.sessions import session_seconds_left

SIGNED_OUT = (
    "You are signed out. Your words are still in the page: sign in again in "
    "another tab, then keep typing here."
)


# The drafts' own requests are sent by script: a signed-out member gets a JSON
# answer (or, for discard, the sign-in page), never a redirect fetch would follow.
@login_not_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    # JSON answers, never a redirect to the sign-in page, which fetch would follow
    key = request.GET.get("key", "")
    try:
        fields = services.kept_fields(request.POST)
        draft = services.draft_save(actor=request.user, key=key, fields=fields)
    except PermissionDenied:
        return JsonResponse({"detail": SIGNED_OUT, "signed_in": False}, status=403)
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    return JsonResponse(
        {
            "saved_at": draft.updated_at.isoformat() if draft else None,
            "session_expires_in": session_seconds_left(request.session),
        }
    )


@login_not_required
@require_POST
def discard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(resolve_url("login"))
    services.draft_discard(actor=request.user, key=request.POST.get("key", ""))
    messages.info(request, "The kept words are discarded.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = resolve_url("home:start")
    return redirect(back)


@login_not_required
@require_POST
def keep_signed_in(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"detail": SIGNED_OUT, "signed_in": False}, status=403)
    # saving the session again starts its full age anew
    request.session.modified = True
    return JsonResponse({"session_expires_in": request.session.get_expiry_age()})


# Forms whose words are not worth keeping or must never be kept: signing in and
# out, passwords, the admin, and the drafts' own requests.
NOT_KEPT_PREFIXES = ("/accounts/", "/admin/", "/drafts/", "/api/")


def same_site_path(request: HttpRequest) -> str | None:
    """The path of the page a same-site request came from, if it says."""
    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def may_keep_words(request: HttpRequest) -> bool:
    """Whether a refused POST is the member's own form, sent from this site.

    Words from another site are never kept or shown again: that would let it
    plant text in a member's editor.
    """
    if request.method != "POST" or request.path.startswith(NOT_KEPT_PREFIXES):
        return False
    if getattr(request, "htmx", False):
        return False
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and origin == f"{request.scheme}://{request.get_host()}"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page for a form whose token went stale: explains, keeps, offers again."""
    detail = (
        "This form was open for too long, or you signed in or out in another "
        "tab. Nothing was saved; load the page again and send it once more."
    )
    if request.path.startswith("/api/") or getattr(request, "htmx", False):
        return JsonResponse({"detail": detail}, status=403)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": detail}, status=403)
    back = same_site_path(request) or request.path
    fields: dict[str, list[str]] = {}
    kept = None
    if may_keep_words(request):
        try:
            fields = services.kept_fields(request.POST)
        except ValidationError:
            fields = {}
        if request.user.is_authenticated:
            if services.draft_save(actor=request.user, key=request.path, fields=fields):
                kept = "draft"
        elif services.words_keep_pending(
            session=request.session, key=request.path, fields=fields
        ):
            kept = "pending"
    words: list[tuple[str, str, str, bool]] = []
    others: list[tuple[str, str]] = []
    for name, values in fields.items():
        if len(values) == 1 and _is_words(values[0]):
            value = values[0]
            is_long = "\n" in value or len(value) > 120
            words.append((name, name.replace("_", " ").capitalize(), value, is_long))
        else:
            others.extend((name, value) for value in values)
    return render(
        request,
        "drafts/csrf_failure.html",
        {
            "kept": kept,
            "words": words if kept else [],
            "others": others if kept else [],
            "action": request.path,
            "back": back,
            "login_url": f"{resolve_url('login')}?{urlencode({'next': back})}",
        },
        status=403,
    )


def _is_words(value: str) -> bool:
    # numbers (a chosen team, a version) travel hidden; words are shown to edit
    stripped = value.strip()
    return bool(stripped) and not stripped.isdigit()
