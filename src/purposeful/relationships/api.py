"""JSON API for customers: accounts, contacts, conversations, hand-overs, referrals."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.organisation.models import Ally, Team
from purposeful.permissions import Action, check
from purposeful.relationships import selectors, services
from purposeful.relationships.models import (
    Account,
    Contact,
    Handover,
)
from purposeful.relationships.schemas import (
    AccountDetailOut,
    AccountIn,
    AccountOut,
    AccountPatch,
    AllyReferralsOut,
    ContactIn,
    ContactOut,
    ContactPatch,
    ConversationIn,
    ConversationOut,
    HandoverAnswerIn,
    HandoverIn,
    HandoverOut,
    ReferralIn,
    ReferralOut,
    TimelineEntryOut,
)

router = Router(tags=["customers"])


class AccountFilters(Schema):
    team: int | None = None
    q: str = ""
    kind: str = ""


def _account(account_id: int) -> Account:
    return get_object_or_404(Account.objects.select_related("team"), pk=account_id)


@router.get("/accounts", response=list[AccountOut], summary="Customers")
@paginate(Page)
def account_list(request, filters: Query[AccountFilters]):
    check(request.auth, Action.VIEW_INTERNAL)
    team = get_object_or_404(Team, pk=filters.team) if filters.team else None
    accounts = selectors.account_list(team=team, q=filters.q, kind=filters.kind)
    return accounts


@router.post("/accounts", response={201: AccountDetailOut}, summary="Add a customer")
def account_create(request, payload: AccountIn):
    team = get_object_or_404(Team, pk=payload.team)
    account = services.account_create(
        actor=request.auth,
        team=team,
        name=payload.name,
        kind=payload.kind,
        notes=payload.notes,
    )
    return Status(201, _account(account.pk))


@router.get("/accounts/{account_id}", response=AccountDetailOut, summary="A customer")
def account_read(request, account_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    return _account(account_id)


@router.patch(
    "/accounts/{account_id}", response=AccountDetailOut, summary="Change a customer"
)
def account_change(request, account_id: int, payload: AccountPatch):
    account = _account(account_id)
    fields = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None
    }
    services.account_update(actor=request.auth, account=account, **fields)
    return _account(account_id)


@router.get(
    "/accounts/{account_id}/timeline",
    response=list[TimelineEntryOut],
    summary="Conversations, signals, referrals and hand-overs, newest first",
)
@paginate(Page)
def account_timeline(request, account_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    entries = selectors.account_timeline(_account(account_id))
    return entries


@router.get(
    "/accounts/{account_id}/contacts", response=list[ContactOut], summary="Contacts"
)
@paginate(Page)
def contact_list(request, account_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    return _account(account_id).contacts.all()


@router.post(
    "/accounts/{account_id}/contacts",
    response={201: ContactOut},
    summary="Add a contact",
)
def contact_create(request, account_id: int, payload: ContactIn):
    contact = services.contact_create(
        actor=request.auth, account=_account(account_id), **payload.dict()
    )
    return Status(201, contact)


@router.patch("/contacts/{contact_id}", response=ContactOut, summary="Change a contact")
def contact_change(request, contact_id: int, payload: ContactPatch):
    contact = get_object_or_404(
        Contact.objects.select_related("account__team"), pk=contact_id
    )
    fields = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None
    }
    contact = services.contact_update(actor=request.auth, contact=contact, **fields)
    return contact


@router.delete(
    "/contacts/{contact_id}", response={204: None}, summary="Remove a contact"
)
def contact_delete(request, contact_id: int):
    contact = get_object_or_404(
        Contact.objects.select_related("account__team"), pk=contact_id
    )
    services.contact_delete(actor=request.auth, contact=contact)
    return Status(204, None)


@router.get(
    "/accounts/{account_id}/conversations",
    response=list[ConversationOut],
    summary="Conversations",
)
@paginate(Page)
def conversation_list(request, account_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    conversations = _account(account_id).conversations.select_related("member")
    return conversations


@router.post(
    "/accounts/{account_id}/conversations",
    response={201: ConversationOut},
    summary="Log a conversation",
)
def conversation_create(request, account_id: int, payload: ConversationIn):
    account = _account(account_id)
    contact = (
        get_object_or_404(Contact, pk=payload.contact, account=account)
        if payload.contact
        else None
    )
    conversation = services.conversation_log(
        actor=request.auth,
        account=account,
        kind=payload.kind,
        summary=payload.summary,
        happened_at=payload.happened_at,
        contact=contact,
    )
    return Status(201, conversation)


@router.get("/handovers", response=list[HandoverOut], summary="Hand-overs")
@paginate(Page)
def handover_list(request, state: str = "proposed"):
    check(request.auth, Action.VIEW_INTERNAL)
    handovers = Handover.objects.select_related("proposed_by", "decided_by")
    if state:
        handovers = handovers.filter(state=state)
    return handovers.order_by("-proposed_at", "-pk")


@router.post(
    "/accounts/{account_id}/handovers",
    response={201: HandoverOut},
    summary="Propose handing the customer to another team",
)
def handover_propose(request, account_id: int, payload: HandoverIn):
    handover = services.handover_propose(
        actor=request.auth,
        account=_account(account_id),
        to_team=get_object_or_404(Team, pk=payload.to_team),
        reason=payload.reason,
    )
    return Status(201, handover)


def _handover(handover_id: int) -> Handover:
    return get_object_or_404(
        Handover.objects.select_related("account", "from_team", "to_team"),
        pk=handover_id,
    )


@router.post(
    "/handovers/{handover_id}/accept",
    response=HandoverOut,
    summary="Accept (the receiving team)",
)
def handover_accept(request, handover_id: int, payload: HandoverAnswerIn):
    handover = services.handover_accept(
        actor=request.auth, handover=_handover(handover_id), response=payload.response
    )
    return handover


@router.post(
    "/handovers/{handover_id}/decline",
    response=HandoverOut,
    summary="Decline (the receiving team)",
)
def handover_decline(request, handover_id: int, payload: HandoverAnswerIn):
    handover = services.handover_decline(
        actor=request.auth, handover=_handover(handover_id), response=payload.response
    )
    return handover


@router.post(
    "/handovers/{handover_id}/withdraw",
    response=HandoverOut,
    summary="Withdraw (the owning team)",
)
def handover_withdraw(request, handover_id: int):
    handover = services.handover_withdraw(
        actor=request.auth, handover=_handover(handover_id)
    )
    return handover


@router.get(
    "/accounts/{account_id}/referrals", response=list[ReferralOut], summary="Referrals"
)
@paginate(Page)
def referral_list(request, account_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    referrals = _account(account_id).referrals.select_related("referred_by")
    return referrals


@router.post(
    "/accounts/{account_id}/referrals",
    response={201: ReferralOut},
    summary="Refer the customer to an ally",
)
def referral_create(request, account_id: int, payload: ReferralIn):
    referral = services.referral_create(
        actor=request.auth,
        account=_account(account_id),
        ally=get_object_or_404(Ally, pk=payload.ally),
        reason=payload.reason,
    )
    return Status(201, referral)


@router.get(
    "/allies/{ally_id}/referrals",
    response=AllyReferralsOut,
    summary="Customers referred to an ally (inside the organisation)",
)
def ally_referrals(request, ally_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    ally = get_object_or_404(Ally, pk=ally_id)
    referrals = list(selectors.referrals_to(ally))
    return {
        "ally": ally.pk,
        "name": ally.name,
        "count": len(referrals),
        "referrals": referrals,
    }
