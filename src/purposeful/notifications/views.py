"""Pages for notification choices and the unsubscribe link. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from purposeful.notifications import services
from purposeful.notifications.forms import PreferencesForm
from purposeful.notifications.models import Topic
from purposeful.web.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST or None, initial=services.preferences_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(
                actor=request.user, member=request.user, choices=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your choices are saved.")
            return redirect("notifications:preferences")
    recent = request.user.notifications.order_by("-created_at", "-pk")[:20]
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "recent": recent},
        status=400 if form.errors else 200,
    )


# The token is the key: mail clients post here for one-click unsubscribe
# (RFC 8058) without a session or CSRF cookie.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    target = services.unsubscribe_target(token)
    if target is None:
        raise Http404("This unsubscribe link is not valid.")
    member, topic = target
    label = (
        "all e-mail from Purposeful"
        if topic == services.ALL_TOPICS
        else Topic(topic).label
    )
    done = False
    if request.method == "POST":
        services.unsubscribe(token=token)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": label, "done": done, "member_name": member.name},
    )
