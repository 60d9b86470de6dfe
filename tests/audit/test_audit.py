from __future__ import annotations

from auditlog.models import LogEntry
from django.test import Client

from purposeful.organisation.models import Team


def _as(member):
    client = Client()
    client.force_login(member)
    return client


def test_a_page_write_is_logged_with_its_author_and_changes(cast):
    _as(cast.owner).post(
        f"/teams/{cast.team.slug}/edit/",
        {"name": "Workshop", "purpose": "Fix it right"},
    )
    entry = (
        LogEntry.objects.get_for_object(Team.objects.get(pk=cast.team.pk))
        .order_by("-pk")
        .first()
    )
    assert entry.actor == cast.owner
    assert entry.changes_dict["purpose"] == ["", "Fix it right"]


def test_an_api_write_names_the_token_holder(cast, api):
    api(cast.outsider).post("/allies", {"name": "Pedal Post"})
    entry = LogEntry.objects.filter(object_repr="Pedal Post").get()
    assert entry.actor == cast.outsider and entry.action == LogEntry.Action.CREATE


def test_passwords_and_token_digests_are_never_logged(cast, api):
    cast.owner.set_password("another long password")
    cast.owner.save()
    api(cast.owner)  # creates a token
    for entry in LogEntry.objects.all():
        assert "password" not in (entry.changes_dict or {})
        assert "digest" not in (entry.changes_dict or {})


def test_every_member_reads_the_log_and_visitors_do_not(cast, api):
    _as(cast.owner).post(
        "/allies/new/",
        {"name": "Open Bike Kitchen", "website": "", "does_well": "", "contact": ""},
    )
    page = _as(cast.outsider).get("/audit/?type=organisation.ally")
    assert page.status_code == 200 and b"Open Bike Kitchen" in page.content
    assert Client().get("/audit/").status_code == 302
    items = (
        api(cast.outsider).get("/audit?record_type=organisation.ally").json()["items"]
    )
    assert items[0]["actor"] == "owner" and items[0]["action"] == "create"
    assert api(None).get("/audit").status_code == 401


def _api_records(client) -> list[str]:
    body = client.get("/audit?limit=500").json()
    return [item["record"] + repr(item["changes"]) for item in body["items"]]


def test_a_team_only_target_and_its_check_ins_stay_out_of_other_members_log(cast, api):
    from tests.targets.factories import check_in

    private = cast.private_target
    check_in(private, learned="Secret lesson about the wheels")
    for outsider in (cast.outsider, cast.steward):
        page = _as(outsider).get("/audit/").content.decode()
        assert "Kept inside" not in page and "Secret lesson" not in page
        assert not any("Kept inside" in r for r in _api_records(api(outsider)))
    page = _as(cast.owner).get("/audit/").content.decode()
    assert "Kept inside" in page
    records = _api_records(api(cast.owner))
    assert any("Secret lesson" in r for r in records)


def test_a_shared_target_stays_in_every_members_log(cast, api):
    assert cast.target.pk
    assert any("Repair rather" in r for r in _api_records(api(cast.outsider)))


def test_a_target_made_team_only_leaves_other_members_log_with_its_history(cast):
    from purposeful.targets import services

    target = cast.target
    services.target_update(
        actor=cast.owner, target=target, title="Now kept inside", is_shared=False
    )
    page = _as(cast.outsider).get("/audit/").content.decode()
    assert "Repair rather" not in page and "Now kept inside" not in page


def test_a_deleted_team_only_target_stays_hidden_and_its_team_keeps_the_history(
    cast, api
):
    from purposeful.targets import services
    from tests.targets.factories import check_in

    private = cast.private_target
    check_in(private, learned="Secret lesson about the wheels")
    services.target_delete(actor=cast.owner, target=private)
    assert not any("Kept inside" in r for r in _api_records(api(cast.outsider)))
    assert not any("Secret lesson" in r for r in _api_records(api(cast.outsider)))
    records = _api_records(api(cast.owner))
    assert any("Kept inside" in r for r in records)
    assert any("Secret lesson" in r for r in records)


def test_webhook_addresses_are_in_the_log_of_stewards_only(cast, api):
    from purposeful.webhooks.services import endpoint_create

    endpoint_create(
        actor=cast.steward,
        url="https://hooks.example.org/secret-path",
        events=["signal.created"],
    )
    for member in (cast.owner, cast.outsider):
        page = _as(member).get("/audit/").content.decode()
        assert "secret-path" not in page
        assert not any("secret-path" in r for r in _api_records(api(member)))
        types = _as(member).get("/audit/").context["record_types"]
        assert "webhooks.endpoint" not in dict(types)
    assert "secret-path" in _as(cast.steward).get("/audit/").content.decode()
    assert any("secret-path" in r for r in _api_records(api(cast.steward)))


def test_filtering_by_record_type_does_not_reveal_hidden_entries(cast, api):
    assert cast.private_target.pk
    items = api(cast.outsider).get("/audit?record_type=targets.target").json()
    assert items["total"] == 0
    page = _as(cast.outsider).get("/audit/?type=targets.target")
    assert "Kept inside" not in page.content.decode()


def test_invitations_and_other_members_tokens_stay_out_of_a_members_log(cast, api):
    from purposeful.people.services import invitation_create

    invitation_create(actor=cast.steward, email="newcomer@example.org")
    api(cast.outsider)  # the outsider's own token, named "tests"
    records = _api_records(api(cast.owner))
    assert not any("newcomer@example.org" in r for r in records)
    assert sum("tests (" in r for r in records) == 1  # the owner's own token
    assert any("newcomer@example.org" in r for r in _api_records(api(cast.steward)))


def test_reading_the_log_costs_the_same_queries_however_many_records_were_deleted(
    cast,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from purposeful.audit.selectors import audit_entries
    from tests.targets.factories import check_in, target

    def delete_some(n):
        for i in range(n):
            kept = target(cast.team, title=f"Kept {i}", is_shared=False)
            check_in(kept)
            kept.delete()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            list(audit_entries(viewer=cast.outsider)[:50])
        return len(captured.captured_queries)

    delete_some(2)
    queries()  # kinds of record are looked up once, then cached
    few = queries()
    delete_some(8)
    assert queries() == few


def test_since_is_asked_as_day_month_and_year_and_filters_the_log(cast):
    from datetime import timedelta

    from django.utils import timezone

    Team.objects.create(name="Old team", slug="old-team")
    LogEntry.objects.filter(object_repr="Old team").update(
        timestamp=timezone.now() - timedelta(days=40)
    )
    page = _as(cast.owner).get("/audit/").content.decode()
    assert 'type="date"' not in page
    start = page.index("<legend>Since</legend>")
    parts = page[start : page.index("</fieldset>", start)]
    assert parts.index(">Day<") < parts.index(">Month<") < parts.index(">Year<")
    since = timezone.localdate() - timedelta(days=10)
    boxes = {"since_day": since.day, "since_month": since.month}
    page = _as(cast.owner).get("/audit/", {**boxes, "since_year": since.year})
    assert "Old team" not in page.content.decode()
    assert "Workshop" in page.content.decode()


def test_a_wrong_since_date_is_said_and_kept_instead_of_failing(cast):
    wrong = {"since_day": "30", "since_month": "2", "since_year": "2026"}
    response = _as(cast.owner).get("/audit/", wrong)
    assert response.status_code == 200
    assert b"Enter a valid date." in response.content
    assert b'value="30"' in response.content
    # a single ISO date, as a bookmark or a script sends it, is still read
    assert _as(cast.owner).get("/audit/?since=2026-02-30").status_code == 200
