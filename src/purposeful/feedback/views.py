"""Pages for team inboxes, signals, and the public "write to us" form. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purposeful.core import charts
from purposeful.core.forms import form_submit
from purposeful.core.limits import max_length
from purposeful.core.ratelimit import client_address
from purposeful.core.siteurl import absolute
from purposeful.drafts.editing import editor_context
from purposeful.feedback import selectors, services, spam
from purposeful.feedback.forms import (
    AssignForm,
    InboxFilterForm,
    MergeForm,
    ReplyForm,
    SettingsForm,
    SignalForm,
    TagsForm,
    TransitionForm,
    WriteToUsForm,
    split_tags,
)
from purposeful.feedback.models import Signal
from purposeful.feedback.rows import SignalRows
from purposeful.feedback.services import TRANSITIONS
from purposeful.feedback.tasks import email_follow_link
from purposeful.offers.models import Offer
from purposeful.organisation.models import Team
from purposeful.organisation.selectors import teams_of
from purposeful.people.auth import member_of
from purposeful.permissions import Action, allowed, check
from purposeful.relationships.models import Account
from purposeful.relationships.paging import window, without_page
from purposeful.sensing import similar

PAGE_SIZE = 50


# The public side --------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def write_to_us(request: HttpRequest) -> HttpResponse:
    offer_slug = request.GET.get("offer", "") or request.POST.get("offer", "")
    form = WriteToUsForm(
        request.POST or None, initial={"offer": offer_slug[: max_length(Offer, "slug")]}
    )
    status = 200
    if request.method == "POST":
        try:
            done = form_submit(
                form,
                lambda data: services.feedback_submit(
                    words=data["words"],
                    kind=data["kind"],
                    name=data["name"],
                    email=data["email"],
                    offer_slug=data["offer"],
                    started=data["started"],
                    honeypot=data["website"],
                    ip=client_address(request),
                    submission=data["submission"],
                ),
            )
        except services.AlreadySubmitted as taken:
            # the same form sent again: the same thank-you, nothing sent twice
            return _thank_you(request, taken.key)
        except spam.SpamRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if done:
                signal, key = done.value
                # the installation's address, not the Host header: it is e-mailed
                follow_url = absolute(reverse("feedback:follow", args=[key]))
                if signal.sender_email:
                    email_follow_link.enqueue(signal.pk, follow_url)
                return _thank_you(request, key)
        form.fresh_start()
        status = 400
    return render(
        request,
        "feedback/write_to_us.html",
        {"form": form, "offer": services.published_offer(offer_slug)},
        status=status,
    )


def _thank_you(request: HttpRequest, key: str) -> HttpResponse:
    messages.success(
        request,
        "Thank you — your message is with the team. This page is your "
        "private link: bookmark it to read their reply.",
    )
    return redirect("feedback:follow", key=key)


@login_not_required
@never_cache
@require_GET
def follow(request: HttpRequest, key: str) -> HttpResponse:
    signal = services.signal_by_key(key)
    if signal is None:
        raise Http404("No message at this address.")
    response = render(request, "feedback/follow.html", selectors.public_view(signal))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def confirm_sender(request: HttpRequest, key: str) -> HttpResponse:
    """The owner of a known address says whether they wrote; GET only asks.

    Answering needs a POST, so a mail scanner that opens links confirms nothing.
    """
    signal = services.signal_by_confirmation_key(key)
    if signal is None:
        raise Http404("No message waits for confirmation at this address.")
    answer = ""
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        if answer in {"yes", "no"}:
            services.signal_sender_confirm(signal=signal, is_sender=answer == "yes")
        else:
            answer = ""
    response = render(
        request,
        "feedback/confirm_sender.html",
        {"signal": signal, "answer": answer},
        status=400 if request.method == "POST" and not answer else 200,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# Inside the organisation ------------------------------------------------------


@require_GET
def inbox_index(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    mine = {team.pk for team in teams_of(member_of(request))}
    teams = list(selectors.inbox_overview())
    teams.sort(key=lambda team: (team.pk not in mine, team.name))
    return render(request, "feedback/inbox_index.html", {"teams": teams, "mine": mine})


@require_GET
def team_inbox(request: HttpRequest, slug: str) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    team = get_object_or_404(Team, slug=slug)
    form = InboxFilterForm(request.GET or {"state": "open"})
    filters = form.cleaned_data if form.is_valid() else {"state": "open"}
    signals = selectors.signals(team=team, **filters)
    page = window(SignalRows(signals), request.GET.get("page"), PAGE_SIZE)
    counts = selectors.state_counts(team=team)
    return render(
        request,
        "feedback/team_inbox.html",
        {
            "team": team,
            "form": form,
            "page": page,
            "q_without_page": without_page(request),
            "counts": counts,
            "bars": charts.state_bars(counts, Signal.State.choices),
            "can_triage": allowed(request.user, Action.TRIAGE_SIGNAL, team),
            "members": team.members.order_by("display_name", "username"),
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    form = InboxFilterForm(request.GET or None, initial={"state": ""})
    page = None
    if form.is_valid() and any(form.cleaned_data.values()):
        signals = selectors.signals(**form.cleaned_data, include_merged=True)
        page = window(SignalRows(signals), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "feedback/search.html",
        {"form": form, "page": page, "q_without_page": without_page(request)},
    )


@require_GET
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    try:
        signal = selectors.signal_detail(pk)
    except Signal.DoesNotExist:
        raise Http404("No such signal.") from None
    return render(
        request, "feedback/signal_detail.html", _detail_context(request, signal)
    )


def _detail_context(request: HttpRequest, signal: Signal, **forms) -> dict:
    can_triage = allowed(request.user, Action.TRIAGE_SIGNAL, signal)
    reply_form = forms.get("reply_form") or ReplyForm()
    alike = similar.similar_signals(signal) if signal.merged_into_id is None else []
    return {
        "signal": signal,
        "similar": alike,
        "duplicate": similar.likely_duplicate(alike),
        "can_triage": can_triage,
        "can_reply": allowed(request.user, Action.REPLY_TO_SIGNAL, signal),
        "signal_version": services.signal_edit_version(signal),
        "next_states": [
            Signal.State(s)
            for s in Signal.State.values
            if s in TRANSITIONS[signal.state]
        ],
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(team=signal.team, initial={"assignee": signal.assignee_id}),
        "tags_form": forms.get("tags_form")
        or TagsForm(initial={"tags": ", ".join(t.name for t in signal.tags.all())}),
        "reply_form": reply_form,
        "merge_form": forms.get("merge_form") or MergeForm(),
        # the reply form keeps its words while the member types
        **editor_context(
            request,
            key=reverse("feedback:signal_reply", args=[signal.pk]),
            form=reply_form,
        ),
    }


def _signal_for_triage(request: HttpRequest, pk: int) -> Signal:
    signal = get_object_or_404(Signal.objects.select_related("team"), pk=pk)
    check(request.user, Action.TRIAGE_SIGNAL, signal)
    return signal


def _again(request: HttpRequest, signal: Signal, **forms) -> HttpResponse:
    fresh = selectors.signal_detail(signal.pk)
    return render(
        request,
        "feedback/signal_detail.html",
        _detail_context(request, fresh, **forms),
        status=400,
    )


@require_POST
def signal_state(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal_for_triage(request, pk)
    form = TransitionForm(request.POST)
    if form_submit(
        form,
        lambda data: services.signal_transition(
            actor=request.user, signal=signal, **data
        ),
    ):
        messages.success(
            request,
            f"Signal #{signal.pk} is now {Signal.State(form.cleaned_data['to']).label.lower()}.",
        )
        return redirect(signal)
    return _again(request, signal, transition_form=form)


@require_POST
def signal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal_for_triage(request, pk)
    form = AssignForm(request.POST, team=signal.team)
    if form_submit(
        form,
        lambda data: services.signal_assign(
            actor=request.user,
            signal=signal,
            assignee=data["assignee"],
            expected_version=data["expected_version"] or None,
        ),
    ):
        messages.success(request, "Assignment saved.")
        return redirect(signal)
    return _again(request, signal, assign_form=form)


@require_POST
def signal_tags(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal_for_triage(request, pk)
    form = TagsForm(request.POST)
    if form_submit(
        form,
        lambda data: services.signal_tag(
            actor=request.user,
            signal=signal,
            tags=split_tags(data["tags"]),
            expected_version=data["expected_version"] or None,
        ),
    ):
        messages.success(request, "Tags saved.")
        return redirect(signal)
    return _again(request, signal, tags_form=form)


@require_POST
def signal_reply(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(Signal.objects.select_related("team"), pk=pk)
    check(request.user, Action.REPLY_TO_SIGNAL, signal)
    form = ReplyForm(request.POST)
    if form_submit(
        form,
        lambda data: services.signal_reply(
            actor=request.user, signal=signal, text=data["text"]
        ),
    ):
        if signal.may_email_sender:
            by_email = " and on its way by e-mail."
        elif signal.is_awaiting_confirmation:
            by_email = "; it is e-mailed once the sender confirms their address."
        else:
            by_email = "."
        messages.success(
            request, "Reply sent: it is at the customer's private link" + by_email
        )
        return redirect(signal)
    return _again(request, signal, reply_form=form)


@require_POST
def signal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal_for_triage(request, pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        into = (
            Signal.objects.filter(pk=form.cleaned_data["into"])
            .select_related("team")
            .first()
        )
        if into is None:
            form.add_error("into", "There is no signal with this number.")
        elif form_submit(
            form,
            lambda data: services.signal_merge(
                actor=request.user, duplicate=signal, into=into
            ),
        ):
            messages.success(request, f"Signal #{signal.pk} is merged into this one.")
            return redirect(into)
    return _again(request, signal, merge_form=form)


@require_http_methods(["GET", "POST"])
def signal_create(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.RECORD_SIGNAL)
    account = None
    account_id = request.POST.get("account") or request.GET.get("account")
    if account_id and str(account_id).isdigit():
        account = Account.objects.select_related("team").filter(pk=account_id).first()
    initial = {"account": account.pk if account else None}
    if account:
        initial["team"] = account.team_id
    form = SignalForm(
        request.POST or None, initial=initial, own_teams=teams_of(member_of(request))
    )
    if request.method == "POST" and (
        done := form_submit(
            form,
            lambda data: services.signal_record(
                actor=request.user,
                team=data["team"],
                kind=data["kind"],
                source=data["source"],
                words=data["words"],
                account=account,
                tags=split_tags(data["tags"]),
            ),
        )
    ):
        signal = done.value
        messages.success(request, f"Signal passed on to {signal.team}.")
        return redirect(signal)
    return render(
        request,
        "feedback/signal_form.html",
        {"form": form, "account": account},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def feedback_settings(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.CONFIGURE_FEEDBACK)
    current = services.settings_get()
    form = SettingsForm(
        request.POST or None,
        initial={"general_team": current.general_team_id},
        fallback=services.first_team(),
    )
    if request.method == "POST" and form.is_valid():
        services.settings_update(
            actor=request.user, general_team=form.cleaned_data["general_team"]
        )
        messages.success(request, "Saved.")
        return redirect("feedback:settings")
    return render(
        request,
        "feedback/settings.html",
        {"form": form, "effective": services.general_team()},
    )
