"""Pages for customers: thin, the services and selectors decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purposeful.core.forms import form_submit
from purposeful.guards import team_required
from purposeful.organisation.models import Ally
from purposeful.organisation.selectors import teams_of
from purposeful.people.auth import member_of
from purposeful.permissions import Action, allowed, check, team_ids
from purposeful.relationships import selectors, services
from purposeful.relationships.forms import (
    AccountFilterForm,
    AccountForm,
    ContactForm,
    ConversationForm,
    HandoverAnswerForm,
    HandoverForm,
    NewAccountForm,
    ReferralForm,
)
from purposeful.relationships.models import Account, Contact, Handover
from purposeful.relationships.paging import window, without_page
from purposeful.relationships.rows import AccountRows
from purposeful.relationships.timeline import timeline_rows

PAGE_SIZE = 50


@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    form = AccountFilterForm(request.GET or None)
    team, q = None, ""
    if form.is_valid():
        team, q = form.cleaned_data["team"], form.cleaned_data["q"]
    accounts = selectors.account_list(team=team, q=q)
    page = window(AccountRows(accounts), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "relationships/account_list.html",
        {
            "form": form,
            "page": page,
            "q_without_page": without_page(request),
            "waiting": selectors.handovers_waiting_for(member_of(request)),
            "can_create": bool(team_ids(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
@team_required("A customer belongs to a team: join a team to add customers for it.")
def account_create(request: HttpRequest) -> HttpResponse:
    teams = teams_of(member_of(request))
    form = NewAccountForm(request.POST or None, teams=teams)
    if request.method == "POST" and (
        done := form_submit(
            form, lambda data: services.account_create(actor=request.user, **data)
        )
    ):
        account = done.value
        messages.success(request, f"{account} is now a customer of {account.team}.")
        return redirect(account)
    return render(request, "relationships/account_form.html", {"form": form})


@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    account = get_object_or_404(Account.objects.select_related("team"), pk=pk)
    can_change = allowed(request.user, Action.CHANGE_ACCOUNT, account)
    handover = selectors.open_handover(account)
    return render(
        request,
        "relationships/account_detail.html",
        {
            "account": account,
            "can_change": can_change,
            "people": selectors.people_to_talk_to(account),
            "contacts": account.contacts.all(),
            "offers": selectors.offers_of(account),
            "timeline": timeline_rows(selectors.account_timeline(account)),
            "handover": handover,
            "can_answer": handover is not None
            and allowed(request.user, Action.ACCEPT_HANDOVER, handover),
            "conversation_form": ConversationForm(account=account)
            if can_change
            else None,
            "contact_form": ContactForm() if can_change else None,
            "referral_form": ReferralForm() if can_change else None,
            "handover_form": HandoverForm(account=account)
            if can_change and handover is None
            else None,
            "answer_form": HandoverAnswerForm(),
        },
    )


def _account_for_change(request: HttpRequest, pk: int) -> Account:
    account = get_object_or_404(Account.objects.select_related("team"), pk=pk)
    check(request.user, Action.CHANGE_ACCOUNT, account)
    return account


@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_for_change(request, pk)
    form = AccountForm(request.POST or None, instance=Account.objects.get(pk=pk))
    if request.method == "POST" and (
        form_submit(
            form,
            lambda data: services.account_update(
                actor=request.user, account=account, **data
            ),
        )
    ):
        messages.success(request, "Customer saved.")
        return redirect(account)
    return render(
        request, "relationships/account_form.html", {"form": form, "account": account}
    )


def _section(request: HttpRequest, account: Account, form, title: str) -> HttpResponse:
    """Re-render a failed form on its own page, keeping everything typed."""
    return render(
        request,
        "relationships/section_form.html",
        {"form": form, "account": account, "title": title},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_for_change(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and (
        done := form_submit(
            form,
            lambda data: services.contact_create(
                actor=request.user, account=account, **data
            ),
        )
    ):
        contact = done.value
        messages.success(request, f"{contact} is added.")
        return redirect(account)
    if request.method == "GET":
        return render(
            request,
            "relationships/section_form.html",
            {"form": form, "account": account, "title": "Add a contact"},
        )
    return _section(request, account, form, "Add a contact")


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    account = _account_for_change(request, pk)
    contact = get_object_or_404(Contact, pk=contact_pk, account=account)
    form = ContactForm(
        request.POST or None, instance=Contact.objects.get(pk=contact.pk)
    )
    if request.method == "POST" and (
        form_submit(
            form,
            lambda data: services.contact_update(
                actor=request.user, contact=contact, **data
            ),
        )
    ):
        messages.success(request, f"{contact} is saved.")
        return redirect(account)
    return render(
        request,
        "relationships/section_form.html",
        {
            "form": form,
            "account": account,
            "title": f"Change {contact}",
            "contact": contact,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def contact_delete(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    account = _account_for_change(request, pk)
    contact = get_object_or_404(Contact, pk=contact_pk, account=account)
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, f"{contact} is removed.")
    return redirect(account)


@require_POST
def conversation_create(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_for_change(request, pk)
    form = ConversationForm(request.POST, account=account)
    if form_submit(
        form,
        lambda data: services.conversation_log(
            actor=request.user, account=account, **data
        ),
    ):
        messages.success(request, "Conversation logged.")
        return redirect(account)
    return _section(request, account, form, "Log a conversation")


@require_POST
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_for_change(request, pk)
    form = ReferralForm(request.POST)
    if done := form_submit(
        form,
        lambda data: services.referral_create(
            actor=request.user, account=account, **data
        ),
    ):
        referral = done.value
        messages.success(request, f"Referral to {referral.ally_name} recorded.")
        return redirect(account)
    return _section(request, account, form, "Refer to an ally")


@require_POST
def handover_propose(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account.objects.select_related("team"), pk=pk)
    check(request.user, Action.PROPOSE_HANDOVER, account)
    form = HandoverForm(request.POST, account=account)
    if done := form_submit(
        form,
        lambda data: services.handover_propose(
            actor=request.user, account=account, **data
        ),
    ):
        handover = done.value
        messages.success(
            request,
            f"Hand-over proposed; {handover.to_team} decides whether to take it on.",
        )
        return redirect(account)
    return _section(request, account, form, "Hand over to another team")


@require_POST
def handover_answer(
    request: HttpRequest, handover_pk: int, answer: str
) -> HttpResponse:
    if answer not in {"accept", "decline", "withdraw"}:
        raise Http404("No such answer.")
    handover = get_object_or_404(
        Handover.objects.select_related("account", "to_team"), pk=handover_pk
    )
    form = HandoverAnswerForm(request.POST)
    response = form.cleaned_data["response"] if form.is_valid() else ""
    try:
        if answer == "accept":
            services.handover_accept(
                actor=request.user, handover=handover, response=response
            )
            messages.success(
                request, f"{handover.account} is now with {handover.to_team}."
            )
        elif answer == "decline":
            services.handover_decline(
                actor=request.user, handover=handover, response=response
            )
            messages.success(request, "Hand-over declined.")
        elif answer == "withdraw":
            services.handover_withdraw(actor=request.user, handover=handover)
            messages.success(request, "Hand-over withdrawn.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(handover.account)


@require_GET
def ally_referrals(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    return render(
        request,
        "relationships/ally_referrals.html",
        {"allies": selectors.allies_with_referral_counts()},
    )


@require_GET
def ally_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    ally = get_object_or_404(Ally, pk=pk)
    referrals = selectors.referrals_to(ally)
    return render(
        request,
        "relationships/ally_detail.html",
        {"ally": ally, "referrals": referrals, "count": referrals.count()},
    )
