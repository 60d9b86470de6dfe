"""Pages for the purpose, teams, roles and allies. Thin: services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purposeful.core.forms import form_submit
from purposeful.core.limits import max_length
from purposeful.organisation import selectors, services
from purposeful.organisation.forms import (
    AllyForm,
    MemberChoiceForm,
    OrganisationForm,
    PurposeForm,
    RoleForm,
    TeamForm,
)
from purposeful.organisation.models import (
    Ally,
    JoinRequest,
    RemovalProposal,
    Role,
    Team,
)
from purposeful.people.auth import member_of
from purposeful.people.models import Member
from purposeful.permissions import Action, allowed, check


@login_not_required
@require_GET
def purpose_detail(request: HttpRequest) -> HttpResponse:
    organisation = services.organisation_get()
    return render(
        request,
        "organisation/purpose_detail.html",
        {
            "purpose": organisation.purpose,
            "can_change": allowed(request.user, Action.CHANGE_PURPOSE),
        },
    )


@require_http_methods(["GET", "POST"])
def purpose_edit(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.CHANGE_PURPOSE)
    current = services.organisation_get().purpose
    form = PurposeForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    if request.method == "POST" and (
        form_submit(
            form, lambda data: services.purpose_change(actor=request.user, **data)
        )
    ):
        messages.success(request, "The purpose is changed; the old version is kept.")
        return redirect("organisation:purpose_history")
    return render(
        request, "organisation/purpose_form.html", {"form": form, "current": current}
    )


@require_GET
def purpose_history(request: HttpRequest) -> HttpResponse:
    organisation = services.organisation_get()
    versions = organisation.purpose_versions.select_related("author")
    return render(request, "organisation/purpose_history.html", {"versions": versions})


@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.team_list()
    mine = set(selectors.teams_of(member_of(request)).values_list("pk", flat=True))
    return render(
        request, "organisation/team_list.html", {"teams": teams, "mine": mine}
    )


@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.CREATE_TEAM)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and (
        done := form_submit(
            form,
            lambda data: services.team_create(
                actor=request.user,
                name=data["name"],
                purpose=data["purpose"],
            ),
        )
    ):
        team = done.value
        messages.success(request, f"{team} is started, with you as its first member.")
        return redirect(team)
    return render(request, "organisation/team_form.html", {"form": form})


@require_GET
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(selectors.teams_with_details(), slug=slug)
    user = request.user
    is_member = allowed(user, Action.CHANGE_TEAM, team)
    member_ids = {m.member_id for m in team.memberships.all()}
    waiting = list(selectors.join_requests_waiting(team=team))
    proposals: list[dict[str, Any]] = [
        {
            "proposal": proposal,
            "can_agree": allowed(user, Action.AGREE_MEMBER_REMOVAL, proposal),
            "can_withdraw": allowed(user, Action.WITHDRAW_MEMBER_REMOVAL, proposal),
        }
        for proposal in selectors.removal_proposals_open(team=team)
    ]
    context = {
        "team": team,
        "is_member": is_member,
        "customer_links": selectors.customer_links(team=team),
        "add_member_form": MemberChoiceForm(
            queryset=Member.objects.filter(is_active=True).exclude(pk__in=member_ids)
        )
        if is_member
        else None,
        "join_requests": waiting
        if allowed(user, Action.DECIDE_JOIN_REQUEST, team)
        else [],
        "my_join_request": next((r for r in waiting if r.member_id == user.pk), None),
        "proposals": proposals,
        "proposed_ids": {p["proposal"].member_id for p in proposals},
        "changes": selectors.membership_changes(team=team),
    }
    return render(request, "organisation/team_detail.html", context)


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    check(request.user, Action.CHANGE_TEAM, team)
    form = TeamForm(request.POST or None, instance=Team.objects.get(pk=team.pk))
    if request.method == "POST" and (
        form_submit(
            form,
            lambda data: services.team_update(actor=request.user, team=team, **data),
        )
    ):
        messages.success(request, "Team saved.")
        return redirect(team)
    return render(request, "organisation/team_form.html", {"form": form, "team": team})


@require_POST
def team_join(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    try:
        join_request = services.team_join(
            actor=request.user,
            team=team,
            message=request.POST.get("message", "")[
                : max_length(JoinRequest, "message")
            ],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if join_request.is_pending:
            messages.success(
                request,
                f"You asked to join {team}. You can write for it once one of its "
                "members accepts.",
            )
        else:
            messages.success(request, f"You joined {team}.")
    return redirect(team)


def _confirm(
    request: HttpRequest,
    *,
    team: Team,
    title: str,
    consequence: str,
    button: str,
    ask_reason: bool = False,
) -> HttpResponse:
    """A page that asks before a change to who is in the team.

    The team page links here instead of posting, so one stray click or tap never
    changes a team; the button here posts to the same address.
    """
    return render(
        request,
        "organisation/membership_confirm.html",
        {
            "team": team,
            "title": title,
            "consequence": consequence,
            "button": button,
            "ask_reason": ask_reason,
        },
    )


@require_http_methods(["GET", "POST"])
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    if request.method == "GET":
        check(request.user, Action.LEAVE_TEAM, team)
        return _confirm(
            request,
            team=team,
            title=f"Leave {team}?",
            consequence="You can no longer write for the team; you can still "
            "read everything, and ask to join again later.",
            button="Leave the team",
        )
    services.team_leave(actor=request.user, team=team)
    messages.success(request, f"You left {team}.")
    return redirect(team)


@require_POST
def team_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    check(request.user, Action.CHANGE_TEAM, team)
    form = MemberChoiceForm(
        request.POST, queryset=Member.objects.filter(is_active=True)
    )
    if form.is_valid():
        services.team_member_add(
            actor=request.user, team=team, member=form.cleaned_data["member"]
        )
        messages.success(request, f"{form.cleaned_data['member']} is now in {team}.")
    else:
        messages.error(request, "Choose a member to add.")
    return redirect(team)


@require_http_methods(["GET", "POST"])
def team_member_remove(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    """Your own name: you leave. Someone else's: a proposal a second member agrees to."""
    team = get_object_or_404(Team, slug=slug)
    member = get_object_or_404(Member, username=username)
    if request.method == "GET":
        if member.pk == request.user.pk:
            return redirect("organisation:team_leave", slug=team.slug)
        check(request.user, Action.PROPOSE_MEMBER_REMOVAL, team)
        return _confirm(
            request,
            team=team,
            title=f"Propose that {member} leaves {team}?",
            consequence=f"{member} stays in the team until a second member agrees, "
            "or they agree themselves. The team sees your reason.",
            button="Propose that they leave",
            ask_reason=True,
        )
    if member.pk == request.user.pk:
        services.team_leave(actor=request.user, team=team)
        messages.success(request, f"You left {team}.")
        return redirect(team)
    try:
        services.removal_propose(
            actor=request.user,
            team=team,
            member=member,
            reason=request.POST.get("reason", "")[
                : max_length(RemovalProposal, "reason")
            ],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"You proposed that {member} leaves {team}. Nothing changes until a "
            "second member agrees.",
        )
    return redirect(team)


def _answer(
    request: HttpRequest, done: str, call: Callable[..., Any], **kwargs: Any
) -> None:
    try:
        call(actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


@require_POST
def join_request_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    join_request = get_object_or_404(JoinRequest, pk=pk, team__slug=slug)
    _answer(
        request,
        f"{join_request.member} is now in {join_request.team}.",
        services.join_request_accept,
        join_request=join_request,
    )
    return redirect(join_request.team)


@require_POST
def join_request_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    join_request = get_object_or_404(JoinRequest, pk=pk, team__slug=slug)
    _answer(
        request,
        f"You declined {join_request.member}'s request to join.",
        services.join_request_decline,
        join_request=join_request,
    )
    return redirect(join_request.team)


@require_http_methods(["GET", "POST"])
def removal_agree(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    proposal = get_object_or_404(RemovalProposal, pk=pk, team__slug=slug)
    own = proposal.member_id == request.user.pk
    if request.method == "GET":
        check(request.user, Action.AGREE_MEMBER_REMOVAL, proposal)
        return _confirm(
            request,
            team=proposal.team,
            title=f"Leave {proposal.team}?"
            if own
            else f"Agree that {proposal.member} leaves {proposal.team}?",
            consequence=(
                f"{proposal.proposed_by} proposed it"
                + (f": “{proposal.reason}”" if proposal.reason else ".")
                + " "
                + (
                    "You leave the team at once."
                    if own
                    else f"{proposal.member} leaves the team at once."
                )
            ),
            button="Agree and leave" if own else "Agree: they leave the team",
        )
    _answer(
        request,
        f"You left {proposal.team}."
        if own
        else f"{proposal.member} is no longer in {proposal.team}.",
        services.removal_agree,
        proposal=proposal,
    )
    return redirect(proposal.team)


@require_POST
def removal_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    proposal = get_object_or_404(RemovalProposal, pk=pk, team__slug=slug)
    _answer(
        request,
        "You withdrew the proposal.",
        services.removal_withdraw,
        proposal=proposal,
    )
    return redirect(proposal.team)


@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    role = get_object_or_404(Role, pk=pk, team=team) if pk else None
    check(request.user, Action.MANAGE_ROLES, role or team)
    form = RoleForm(
        request.POST or None, instance=Role.objects.get(pk=role.pk) if role else None
    )
    if request.method == "POST" and form_submit(
        form,
        lambda data: (
            services.role_update(actor=request.user, role=role, **data)
            if role
            else services.role_create(actor=request.user, team=team, **data)
        ),
    ):
        messages.success(request, "Role saved.")
        return redirect(team)
    holders_form = None
    if role:
        holders_form = MemberChoiceForm(
            queryset=team.members.exclude(pk__in=role.holders.all())
        )
    return render(
        request,
        "organisation/role_form.html",
        {"form": form, "team": team, "role": role, "holders_form": holders_form},
    )


@require_POST
def role_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    role = get_object_or_404(Role, pk=pk, team__slug=slug)
    services.role_delete(actor=request.user, role=role)
    messages.success(request, f"The role {role.name} is removed.")
    return redirect(role.team)


@require_POST
def role_assign(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    role = get_object_or_404(Role, pk=pk, team__slug=slug)
    check(request.user, Action.MANAGE_ROLES, role)
    form = MemberChoiceForm(request.POST, queryset=role.team.members.all())
    if form.is_valid():
        services.role_assign(
            actor=request.user, role=role, member=form.cleaned_data["member"]
        )
        messages.success(
            request, f"{form.cleaned_data['member']} now fills {role.name}."
        )
    else:
        messages.error(request, "Choose a member of the team.")
    return redirect("organisation:role_edit", slug=slug, pk=pk)


@require_POST
def role_unassign(
    request: HttpRequest, slug: str, pk: int, username: str
) -> HttpResponse:
    role = get_object_or_404(Role, pk=pk, team__slug=slug)
    member = get_object_or_404(Member, username=username)
    services.role_unassign(actor=request.user, role=role, member=member)
    messages.success(request, f"{member} no longer fills {role.name}.")
    return redirect("organisation:role_edit", slug=slug, pk=pk)


@login_not_required
@require_GET
def ally_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisation/ally_list.html",
        {
            "allies": Ally.objects.all(),
            "can_manage": allowed(request.user, Action.MANAGE_ALLIES),
        },
    )


@require_http_methods(["GET", "POST"])
def ally_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    ally = get_object_or_404(Ally, pk=pk) if pk else None
    check(request.user, Action.MANAGE_ALLIES, ally)
    form = AllyForm(
        request.POST or None, instance=Ally.objects.get(pk=pk) if pk else None
    )
    if request.method == "POST" and form_submit(
        form,
        lambda data: (
            services.ally_update(actor=request.user, ally=ally, **data)
            if ally
            else services.ally_create(actor=request.user, **data)
        ),
    ):
        messages.success(request, "Ally saved.")
        return redirect("organisation:ally_list")
    return render(request, "organisation/ally_form.html", {"form": form, "ally": ally})


@require_POST
def ally_delete(request: HttpRequest, pk: int) -> HttpResponse:
    ally = get_object_or_404(Ally, pk=pk)
    services.ally_delete(actor=request.user, ally=ally)
    messages.success(request, f"{ally} is removed from the allies.")
    return redirect("organisation:ally_list")


@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.CHANGE_ORGANISATION)
    organisation = services.organisation_get()
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and (
        form_submit(
            form, lambda data: services.organisation_update(actor=request.user, **data)
        )
    ):
        messages.success(request, "Settings saved.")
        return redirect("organisation:settings")
    return render(request, "organisation/settings.html", {"form": form})
