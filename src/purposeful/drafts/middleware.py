"""Words posted when the session has ended are kept, not lost at the sign-in page."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

from purposeful.drafts import services
from purposeful.drafts.views import NOT_KEPT_PREFIXES, may_keep_words, same_site_path


class DraftKeepingMiddleware:
    """Keeps the words of a POST that was sent to sign in (LoginRequiredMiddleware),
    and hands them to the member who signs in; clears a draft once its form was
    accepted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and services.PENDING_SESSION_KEY in request.session
            and services.drafts_claim_pending(actor=user, session=request.session)
        ):
            messages.info(request, "The words you wrote while signed out are kept.")
        response = self.get_response(request)
        if request.method != "POST" or request.path.startswith(NOT_KEPT_PREFIXES):
            return response
        if request.user.is_authenticated:
            # a form answers a good POST with a redirect: its words are saved
            if 300 <= response.status_code < 400 and not getattr(
                request, "htmx", False
            ):
                services.draft_discard(actor=request.user, key=request.path)
        elif self._is_sign_in_redirect(response) and may_keep_words(request):
            self._keep(request, response)
        return response

    @staticmethod
    def _is_sign_in_redirect(response: HttpResponse) -> bool:
        if response.status_code not in (301, 302, 303, 307):
            return False
        location = urlsplit(response.get("Location", ""))
        return location.path == resolve_url(settings.LOGIN_URL)

    @staticmethod
    def _keep(request: HttpRequest, response: HttpResponse) -> None:
        if not services.words_keep_pending(
            session=request.session, key=request.path, fields=request.POST
        ):
            return
        # back to the page with the form, not to the address it sends to (which
        # may answer only POST)
        back = same_site_path(request) or request.path
        response["Location"] = (
            f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}"
        )
        messages.info(
            request,
            "Your session had ended, so nothing was saved yet. Your words are "
            "kept: sign in again and they are back in the form.",
        )
