"""Pages about people: members, profiles, invitations and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purposeful.core.forms import form_submit
from purposeful.core.siteurl import absolute
from purposeful.organisation.selectors import teams_of
from purposeful.people import services
from purposeful.people.auth import member_of
from purposeful.people.forms import (
    AcceptInvitationForm,
    InvitationForm,
    ProfileForm,
    TokenForm,
)
from purposeful.people.models import ApiToken, Invitation, Member
from purposeful.permissions import Action, check


@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    members = Member.objects.filter(is_active=True).prefetch_related("teams", "roles")
    return render(request, "people/member_list.html", {"members": members})


@require_GET
def member_detail(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(Member, username=username)
    return render(
        request,
        "people/member_detail.html",
        {
            "member": member,
            "teams": teams_of(member),
            "roles": member.roles.select_related("team"),
        },
    )


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    form = ProfileForm(request.POST or None, instance=Member.objects.get(pk=member.pk))
    if request.method == "POST" and (
        form_submit(
            form,
            lambda data: services.profile_update(actor=member, member=member, **data),
        )
    ):
        messages.success(request, "Your profile is saved.")
        return redirect("people:profile")
    return render(
        request,
        "people/profile.html",
        {
            "form": form,
            "token_form": TokenForm(),
            "tokens": member.api_tokens.all(),
            "new_token": request.session.pop("new_token", None),
        },
    )


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name.")
        return redirect("people:profile")
    member = member_of(request)
    _, raw = services.token_create(
        actor=member, member=member, name=form.cleaned_data["name"]
    )
    # Shown once on the next page, then gone: only its digest is stored.
    request.session["new_token"] = raw
    return redirect("people:profile")


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, member=member_of(request))
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"The token {token.name} no longer works.")
    return redirect("people:profile")


@require_POST
def token_revoke_all(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    count = services.tokens_revoke_all(actor=member, member=member)
    messages.success(
        request,
        ngettext(
            "%(count)d token no longer works.",
            "%(count)d tokens no longer work.",
            count,
        )
        % {"count": count}
        if count
        else "You had no tokens.",
    )
    return redirect("people:profile")


@require_GET
def password_change_done(request: HttpRequest) -> HttpResponse:
    """Changed: the tokens made before still work, so the page offers to stop them."""
    return render(
        request,
        "people/password_changed.html",
        {"tokens": ApiToken.objects.filter(member=member_of(request))},
    )


@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.INVITE)
    own_teams = teams_of(member_of(request))
    form = InvitationForm(request.POST or None, own_teams=own_teams)
    new_link = None
    # the installation's address, not the Host header: the link is e-mailed
    accept_url = absolute(reverse("people:invitation_accept", args=["KEY"]))
    if request.method == "POST" and (
        done := form_submit(
            form,
            lambda data: services.invitation_create(
                actor=request.user,
                email=data["email"],
                as_steward=data["as_steward"],
                teams=list(data["teams"]),
                accept_url=accept_url.replace("KEY", "{key}"),
            ),
        )
    ):
        invitation, key = done.value
        new_link = accept_url.replace("KEY", key)
        messages.success(request, f"Invitation sent to {invitation.email}.")
        form = InvitationForm(own_teams=own_teams)
    invitations = Invitation.objects.select_related("invited_by", "accepted_by")[:50]
    return render(
        request,
        "people/invitation_list.html",
        {"form": form, "invitations": invitations, "new_link": new_link},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, key: str) -> HttpResponse:
    invitation = services.invitation_find(key=key)
    if invitation is None:
        return render(request, "people/invitation_invalid.html", status=410)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (
        done := form_submit(
            form,
            lambda data: services.invitation_accept(
                key=key,
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
            ),
        )
    ):
        member = done.value
        login(request, member, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! You are signed in.")
        return redirect("home:start")
    return render(
        request,
        "people/invitation_accept.html",
        {"form": form, "invitation": invitation},
    )
