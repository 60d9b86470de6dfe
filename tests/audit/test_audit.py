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
    api(cast.outsider).post("/allies/", {"name": "Pedal Post"})
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
        api(cast.outsider).get("/audit/?record_type=organisation.ally").json()["items"]
    )
    assert items[0]["actor"] == "owner" and items[0]["action"] == "create"
    assert api(None).get("/audit/").status_code == 401
