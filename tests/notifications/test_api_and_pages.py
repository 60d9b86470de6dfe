"""Notification choices through the API and the page."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.notifications import services


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("owner", 200), ("steward", 200)]
)
def test_each_member_reads_and_changes_only_their_own_choices(cast, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).patch(
        "/notifications/preferences", {"advice": "immediately"}
    )
    assert response.status_code == status
    if member is not None:
        assert services.preferences_of(member)["advice"] == "immediately"
        assert (
            api(member).get("/notifications/preferences").json()["advice"]
            == "immediately"
        )
    assert services.preferences_of(cast.outsider)["advice"] == "daily"


def test_unknown_frequency_via_api_is_refused(cast, api):
    response = api(cast.owner).patch("/notifications/preferences", {"advice": "hourly"})
    assert response.status_code in (400, 422)


def test_preferences_page_saves_choices(cast):
    client = Client()
    client.force_login(cast.owner)
    data = {
        "signals": "never",
        "customer_messages": "immediately",
        "handovers": "daily",
        "advice": "daily",
        "teams": "immediately",
    }
    assert client.post("/notifications/", data).status_code == 302
    assert services.preferences_of(cast.owner)["signals"] == "never"
    assert "What you hear about" in client.get("/notifications/").content.decode()


def test_preferences_page_refuses_a_missing_choice_and_keeps_the_others(cast):
    client = Client()
    client.force_login(cast.owner)
    response = client.post("/notifications/", {"signals": "never"})
    assert response.status_code == 400
    assert services.preferences_of(cast.owner)["signals"] == "daily"
