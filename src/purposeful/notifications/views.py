"""Pages for notification choices, the unsubscribe link and the outbox. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from purposeful.core.forms import form_submit
from purposeful.notifications import outbox as outbox_store
from purposeful.notifications import services
from purposeful.notifications.forms import PreferencesForm
from purposeful.notifications.models import Topic
from purposeful.people.auth import member_of


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST or None, initial=services.preferences_of(member_of(request))
    )
    if request.method == "POST" and (
        form_submit(
            form,
            lambda data: services.preferences_update(
                actor=request.user, member=request.user, choices=data
            ),
        )
    ):
        messages.success(request, "Your choices are saved.")
        return redirect("notifications:preferences")
    recent = member_of(request).notifications.order_by("-created_at", "-pk")[:20]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "recent": recent,
            "outbox_enabled": outbox_store.is_enabled(),
        },
        status=400 if form.errors else 200,
    )


# The token is the key: mail clients post here for one-click unsubscribe
# (RFC 8058) without a session or CSRF cookie.
@login_not_required
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


def _outbox_enabled() -> None:
    # With a real mail server the e-mails are in people's mailboxes, not here.
    if not outbox_store.is_enabled():
        raise Http404("E-mail goes to a mail server: there is no outbox.")


@never_cache
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    _outbox_enabled()
    return render(
        request,
        "notifications/outbox.html",
        {
            "emails": outbox_store.outbox_for(request.user),
            "file": outbox_store.outbox_file(),
        },
    )


@never_cache
@require_GET
def outbox_email(request: HttpRequest, key: str) -> HttpResponse:
    _outbox_enabled()
    email = outbox_store.outbox_email(actor=request.user, key=key)
    if email is None:
        raise Http404("There is no such e-mail in the outbox.")
    return render(request, "notifications/outbox_email.html", {"email": email})
