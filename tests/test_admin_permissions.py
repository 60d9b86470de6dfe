"""The admin asks the permission layer: every registered admin × every role.

``ADMIN`` names, for each model in the admin, the record the questions are
asked about and the actions of ``purposeful.permissions`` that govern adding,
changing and deleting it (``None``: never in the admin). An admin answers yes
only when the permission layer says the actor may use the admin and may do
that action; seeing a record follows ``visible``. The completeness test fails
when a model is registered without its row.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from purposeful.permissions import Action, allowed, may_read
from tests.conftest import ROLES

ADMIN_ROLES = [*ROLES, "steward_in_team"]

A = Action
# model: (record, what a new record is added to, add, change, delete)
ADMIN: dict[str, tuple[str | None, str | None, Action | None, ...]] = {
    "auditlog.logentry": (None, None, None, None, None),
    "axes.accessattempt": (None, None, None, A.USE_ADMIN, A.USE_ADMIN),
    "axes.accessfailurelog": (None, None, None, A.USE_ADMIN, A.USE_ADMIN),
    "axes.accesslog": (None, None, None, A.USE_ADMIN, A.USE_ADMIN),
    "django_tasks_database.dbtaskresult": (None, None, None, None, None),
    "exchange.importjob": ("import_job", None, None, None, None),
    "feedback.feedbacksettings": (
        "feedback_settings",
        None,
        A.CONFIGURE_FEEDBACK,
        A.CONFIGURE_FEEDBACK,
        None,
    ),
    "feedback.signal": (
        "signal",
        "team",
        A.RECORD_SIGNAL,
        A.TRIAGE_SIGNAL,
        A.TRIAGE_SIGNAL,
    ),
    "feedback.tag": ("tag", None, None, None, None),
    "notifications.notification": ("notification", None, None, None, None),
    "offers.advice": (None, None, None, None, None),
    "offers.advicerequest": (None, None, None, None, None),
    "offers.offer": ("offer", None, None, A.CHANGE_OFFER, A.CHANGE_OFFER),
    "organisation.ally": (
        "ally",
        None,
        A.MANAGE_ALLIES,
        A.MANAGE_ALLIES,
        A.MANAGE_ALLIES,
    ),
    "organisation.organisation": (
        "organisation",
        None,
        A.CHANGE_ORGANISATION,
        A.CHANGE_ORGANISATION,
        None,
    ),
    "organisation.purposeversion": ("purpose_version", None, None, None, None),
    "organisation.role": (
        "role",
        "team",
        A.MANAGE_ROLES,
        A.MANAGE_ROLES,
        A.MANAGE_ROLES,
    ),
    "organisation.team": ("team", None, None, A.CHANGE_TEAM, None),
    "outreach.lenssettings": (None, None, None, None, None),
    "outreach.message": ("message", None, None, None, None),
    "outreach.sitereview": (None, None, None, None, A.USE_ADMIN),
    "people.apitoken": ("token", None, None, A.MANAGE_TOKENS, A.MANAGE_TOKENS),
    "people.invitation": ("invitation", None, None, A.INVITE, A.INVITE),
    "people.member": (
        "outsider",
        None,
        A.MANAGE_MEMBERS,
        A.MANAGE_MEMBERS,
        A.MANAGE_MEMBERS,
    ),
    "privacy.erasure": (None, None, None, None, None),
    "relationships.account": (
        "account",
        "team",
        A.CREATE_ACCOUNT,
        A.CHANGE_ACCOUNT,
        A.CHANGE_ACCOUNT,
    ),
    "relationships.conversation": (
        "conversation",
        "account",
        A.CHANGE_ACCOUNT,
        A.CHANGE_ACCOUNT,
        A.CHANGE_ACCOUNT,
    ),
    "relationships.handover": ("incoming_handover", None, None, None, None),
    "relationships.referral": (
        "referral",
        "account",
        A.CHANGE_ACCOUNT,
        A.CHANGE_ACCOUNT,
        A.CHANGE_ACCOUNT,
    ),
    "sensing.sensingrun": (None, None, None, None, None),
    "targets.dashboardsettings": (
        "dashboard_settings",
        None,
        A.CONFIGURE_DASHBOARD,
        A.CONFIGURE_DASHBOARD,
        None,
    ),
    "targets.target": (
        "private_target",
        "team",
        A.CREATE_TARGET,
        A.CHANGE_TARGET,
        A.CHANGE_TARGET,
    ),
    "webhooks.delivery": (None, None, None, None, A.MANAGE_WEBHOOKS),
    "webhooks.endpoint": ("endpoint", None, None, None, A.MANAGE_WEBHOOKS),
}
# one row of these exists at most; it is added only while there is none
SINGLETONS = {
    "feedback.feedbacksettings",
    "organisation.organisation",
    "targets.dashboardsettings",
}


def _record(cast, name: str | None):
    """The record a row names: one of the cast's, or one made here."""
    if name is None:
        return None
    if hasattr(type(cast), name) or name in vars(cast):
        return cast.by_role(name)
    from purposeful.exchange.models import ImportJob
    from purposeful.feedback.models import FeedbackSettings, Tag
    from purposeful.notifications.models import Notification
    from purposeful.organisation.models import Ally, Organisation, PurposeVersion
    from purposeful.people.services import invitation_create, token_create
    from purposeful.relationships.models import Conversation, Referral
    from purposeful.targets.models import DashboardSettings
    from purposeful.webhooks.models import Endpoint
    from tests import factories

    make = {
        "import_job": lambda: ImportJob.objects.create(
            team=cast.team, filename="a.csv", encoding="utf-8", delimiter=","
        ),
        "feedback_settings": lambda: FeedbackSettings.objects.create(),
        "tag": lambda: Tag.objects.create(name="brakes"),
        "notification": lambda: Notification.objects.create(
            member=cast.owner,
            topic="signal",
            source="test:1",
            subject="Hello",
            body="",
            delivery="immediate",
        ),
        "ally": lambda: Ally.objects.create(name="Pedal Post"),
        "organisation": lambda: Organisation.objects.get(),
        "purpose_version": lambda: PurposeVersion.objects.get(),
        "role": lambda: factories.role(cast.team),
        "token": lambda: token_create(
            actor=cast.owner, member=cast.owner, name="laptop"
        )[0],
        "invitation": lambda: invitation_create(
            actor=cast.steward, email="new@example.org"
        )[0],
        "conversation": lambda: Conversation.objects.create(
            account=cast.account, member=cast.owner, summary="Asked about brakes."
        ),
        "referral": lambda: Referral.objects.create(
            account=cast.account, ally_name="Pedal Post", reason="They do cargo."
        ),
        "dashboard_settings": lambda: DashboardSettings.objects.create(),
        "endpoint": lambda: Endpoint.objects.create(
            url="https://hooks.example.org/", secret="s" * 20
        ),
    }
    return make[name]()


def _request(member):
    request = RequestFactory().get("/admin/")
    request.user = member
    return request


def _may(actor, action, target) -> bool:
    if action is None or not allowed(actor, Action.USE_ADMIN):
        return False
    if action is Action.MANAGE_TOKENS and target is not None:
        target = target.member
    return allowed(actor, action, target)


def _label(model) -> str:
    return model._meta.label_lower


def test_every_registered_admin_has_a_row():
    registered = {_label(model) for model in admin.site._registry}
    assert registered == set(ADMIN), "add the new admin's row to ADMIN"


CASES = [(label, role) for label in ADMIN for role in ADMIN_ROLES]


@pytest.mark.parametrize(("label", "role"), CASES, ids=lambda v: str(v))
def test_admin_matrix(cast, label, role):
    model = next(m for m in admin.site._registry if _label(m) == label)
    model_admin = admin.site._registry[model]
    record_name, add_to, add, change, delete = ADMIN[label]
    actor = cast.by_role(role)
    request = _request(actor)

    expected_add = _may(actor, add, _record(cast, add_to))
    if label in SINGLETONS:
        expected_add = expected_add and not model._default_manager.exists()
    assert model_admin.has_add_permission(request) is expected_add, "add"

    record = _record(cast, record_name)
    if record is None:
        expected_change = change is not None and _may(actor, change, None)
        expected_delete = delete is not None and _may(actor, delete, None)
    else:
        expected_change = _may(actor, change, record)
        expected_delete = _may(actor, delete, record)
        sees = allowed(actor, Action.USE_ADMIN) and may_read(actor, record)
        assert model_admin.has_view_permission(request, record) is sees, "view"
    assert bool(model_admin.has_change_permission(request, record)) is (
        expected_change
    ), "change"
    assert bool(model_admin.has_delete_permission(request, record)) is (
        expected_delete
    ), "delete"


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_no_inline_writes_where_its_record_may_not_be_changed(cast, role):
    request = _request(cast.by_role(role))
    for model, model_admin in admin.site._registry.items():
        label = _label(model)
        record = _record(cast, ADMIN[label][0]) if label in ADMIN else None
        if record is None:
            continue
        may_change = model_admin.has_change_permission(request, record)
        for inline in model_admin.get_inline_instances(request, record):
            writes = [
                inline.has_add_permission(request, record),
                inline.has_change_permission(request, record),
            ]
            assert not any(writes) or may_change, (label, inline)


# the cases, through the pages


def _admin(member):
    client = Client()
    client.force_login(member)
    return client


def test_steward_outside_a_team_cannot_add_a_customer_to_it(cast):
    from purposeful.relationships.models import Account

    client = _admin(cast.steward)
    assert client.get("/admin/relationships/account/add/").status_code == 403
    response = _admin(cast.steward_in_team).post(
        "/admin/relationships/account/add/",
        {
            "name": "Canal School",
            "kind": "organisation",
            "team": cast.other_team.pk,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "team" in response.context["adminform"].form.errors
    assert not Account.objects.filter(name="Canal School").exists()


def test_steward_outside_a_team_cannot_add_a_role_to_it(cast):
    from purposeful.organisation.models import Role

    response = _admin(cast.steward_in_team).post(
        "/admin/organisation/role/add/",
        {"name": "Customer link", "kind": "custom", "team": cast.other_team.pk},
    )
    assert response.status_code == 200
    assert not Role.objects.exists()
    assert _admin(cast.steward).get("/admin/organisation/role/add/").status_code == 403


def test_a_role_is_held_only_by_members_of_its_team(cast):
    from purposeful.organisation.models import Role

    response = _admin(cast.steward_in_team).post(
        "/admin/organisation/role/add/",
        {
            "name": "Customer link",
            "kind": "custom",
            "team": cast.team.pk,
            "holders": [cast.outsider.pk],
        },
    )
    assert response.status_code == 200
    assert "holders" in response.context["adminform"].form.errors
    assert not Role.objects.exists()


def test_a_customer_does_not_move_to_another_team_in_the_admin(cast):
    account = cast.account
    response = _admin(cast.steward_in_team).post(
        f"/admin/relationships/account/{account.pk}/change/",
        {
            "name": "Riverside Bakery",
            "kind": account.kind,
            "team": cast.other_team.pk,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    account.refresh_from_db()
    assert account.team == cast.team


def test_a_conversation_is_logged_in_the_name_of_whoever_logs_it(cast):
    from purposeful.relationships.models import Conversation

    response = _admin(cast.steward_in_team).post(
        "/admin/relationships/conversation/add/",
        {
            "account": cast.account.pk,
            "kind": "call",
            "member": cast.owner.pk,
            "happened_at_0": "2026-01-05",
            "happened_at_1": "10:00:00",
            "summary": "Asked about brakes.",
        },
    )
    assert response.status_code == 302, response.content[:300]
    assert Conversation.objects.get().member == cast.steward_in_team


def test_a_conversation_is_not_logged_for_another_teams_customer(cast):
    from purposeful.relationships.models import Account, Conversation

    assert cast.account.pk  # the steward's team has a customer of its own
    theirs = Account.objects.create(name="Canal School", team=cast.other_team)
    response = _admin(cast.steward_in_team).post(
        "/admin/relationships/conversation/add/",
        {
            "account": theirs.pk,
            "kind": "call",
            "happened_at_0": "2026-01-05",
            "happened_at_1": "10:00:00",
            "summary": "Asked about brakes.",
        },
    )
    assert response.status_code == 200
    assert "Only members of Learning Lab" in response.content.decode()
    assert not Conversation.objects.exists()


def test_a_signal_added_in_the_admin_is_new_and_from_a_member(cast):
    from purposeful.feedback.models import Signal

    response = _admin(cast.steward).post(
        "/admin/feedback/signal/add/",
        {
            "team": cast.team.pk,
            "kind": "praise",
            "words": "Lovely repair.",
            "source": "public_form",
            "state": "done",
            "recorded_by": cast.owner.pk,
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:300]
    signal = Signal.objects.get()
    assert signal.source == Signal.Source.CONVERSATION
    assert signal.state == Signal.State.NEW
    assert signal.recorded_by == cast.steward


def test_steward_outside_a_team_cannot_add_members_to_it(cast):
    from purposeful.organisation.models import Membership

    team = cast.team
    response = _admin(cast.steward).post(
        f"/admin/organisation/team/{team.pk}/change/",
        {
            "name": team.name,
            "slug": team.slug,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-member": cast.steward.pk,
        },
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(team=team, member=cast.steward).exists()


def test_memberships_change_on_the_teams_page_not_in_the_admin(cast):
    from purposeful.organisation.models import Membership

    team = cast.team
    before = set(Membership.objects.filter(team=team).values_list("pk", flat=True))
    _admin(cast.steward_in_team).post(
        f"/admin/organisation/team/{team.pk}/change/",
        {
            "name": team.name,
            "slug": team.slug,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-member": cast.outsider.pk,
            "memberships-0-team": team.pk,
            "memberships-0-joined_at_0": "2026-01-05",
            "memberships-0-joined_at_1": "10:00:00",
            "created_at_0": "2026-01-05",
            "created_at_1": "10:00:00",
        },
    )
    after = set(Membership.objects.filter(team=team).values_list("pk", flat=True))
    assert after == before


def test_the_admins_audit_log_hides_a_team_only_target_from_other_stewards(cast):
    cast.private_target.title  # noqa: B018 - creating it writes its log entry
    page = _admin(cast.steward).get("/admin/auditlog/logentry/")
    assert page.status_code == 200
    assert "Kept inside" not in page.content.decode()
    assert "Kept inside" in (
        _admin(cast.steward_in_team).get("/admin/auditlog/logentry/").content.decode()
    )


def test_a_steward_cannot_add_an_api_token_for_a_colleague(cast):
    assert _admin(cast.steward).get("/admin/people/apitoken/add/").status_code == 403


def test_a_webhook_address_is_not_set_in_the_admin_past_its_checks(cast):
    from purposeful.webhooks.models import Endpoint

    response = _admin(cast.steward).post(
        "/admin/webhooks/endpoint/add/",
        {"url": "http://127.0.0.1/", "events": '["signal.created"]', "secret": "s"},
    )
    assert response.status_code == 403
    assert not Endpoint.objects.exists()


def test_a_steward_does_not_delete_a_row_in_another_teams_bulk_selection(cast):
    from purposeful.relationships.models import Account

    theirs = Account.objects.create(name="Canal School", team=cast.other_team)
    _admin(cast.steward_in_team).post(
        "/admin/relationships/account/",
        {
            "action": "delete_selected",
            "_selected_action": [cast.account.pk, theirs.pk],
            "post": "yes",
        },
    )
    assert Account.objects.filter(pk=theirs.pk).exists()


def test_invitations_are_made_on_the_invitations_page(cast):
    response = _admin(cast.steward).post(
        "/admin/people/invitation/add/",
        {"email": "new@example.org", "expires_at_0": "2030-01-01"},
    )
    assert response.status_code == 403


def test_making_a_steward_in_the_admin_opens_the_admin_to_them(cast):
    member = cast.owner
    response = _admin(cast.steward).post(
        f"/admin/people/member/{member.pk}/change/",
        {
            "username": member.username,
            "display_name": member.display_name,
            "email": member.email,
            "is_active": "on",
            "is_steward": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content[:500]
    member.refresh_from_db()
    assert member.is_steward and member.is_staff


@pytest.mark.parametrize("role", ["steward", "steward_in_team"])
def test_every_admin_page_a_steward_opens_renders(cast, role):
    client = _admin(cast.by_role(role))
    for model, model_admin in admin.site._registry.items():
        label = _label(model)
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, label
        assert client.get(base + "add/").status_code in {200, 403}, label
        record = _record(cast, ADMIN[label][0])
        if record is not None and model_admin.get_queryset(
            _request(cast.by_role(role))
        ).filter(pk=record.pk):
            page = client.get(f"{base}{record.pk}/change/")
            assert page.status_code == 200, label
