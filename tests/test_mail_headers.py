"""A line break in a name never stops an e-mail, and names are one line where typed.

Names reach e-mail subjects (a colleague's name, an offer's, a team's, the
organisation's); Django refuses a header with CR or LF, so the colleague was
never told. Names that already hold one (from before, or the admin) are folded
into the header; new ones are refused in forms and the API.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from purposeful.core.oneline import one_line
from purposeful.notifications.models import NotificationPreference
from purposeful.offers import services
from purposeful.organisation.models import Organisation, Team
from tests.offers.factories import offer

BROKEN = "Sam\r\nBcc: everyone@example.org"


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.mark.parametrize(
    "text",
    ["a\nb", "a\r\nb", "a\rb", "a\x0bb", "a\x0cb", "a\x85b", "a\u2028b", "a\u2029b"],
)
def test_one_line_folds_every_line_break(text):
    assert one_line(text) == "a b"


def test_advice_reaches_the_colleague_when_the_names_hold_line_breaks(
    cast, django_capture_on_commit_callbacks
):
    made = offer(cast.team, cast.owner, name="Repair\ncourse")
    NotificationPreference.objects.create(
        member=cast.outsider, topic="advice", frequency="immediately"
    )
    cast.owner.display_name = BROKEN
    cast.owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.outsider])
    (message,) = mail.outbox
    assert message.to == ["outsider@example.org"] and not message.bcc
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Sam Bcc: everyone@example.org" in message.subject
    assert message.message()["Bcc"] is None


def test_given_advice_reaches_the_asker_when_the_adviser_name_holds_a_line_break(
    cast, django_capture_on_commit_callbacks
):
    made = offer(cast.team, cast.owner)
    services.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.outsider])
    cast.outsider.display_name = BROKEN
    cast.outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.advice_give(actor=cast.outsider, offer=made, text="Say how long.")
    (message,) = mail.outbox
    assert message.to == ["owner@example.org"]
    assert message.subject.startswith("Sam Bcc: everyone@example.org gave advice")


def test_an_invitation_goes_out_when_the_organisation_name_holds_a_line_break(cast):
    from purposeful.people.services import invitation_create

    Organisation.objects.update(name="Wheelhouse\r\nBcc: everyone@example.org")
    invitation_create(
        actor=cast.steward,
        email="new@example.org",
        accept_url="http://testserver/invitations/{key}/",
    )
    (message,) = mail.outbox
    assert message.subject == (
        "You are invited to Wheelhouse Bcc: everyone@example.org on Purposeful"
    )


def test_a_notification_mail_goes_out_when_a_team_name_holds_a_line_break(cast):
    from purposeful.feedback.models import Signal
    from purposeful.notifications.services import notify_signal, send_immediate

    Team.objects.filter(pk=cast.team.pk).update(name="Workshop\nBcc: x@example.org")
    NotificationPreference.objects.create(
        member=cast.owner, topic="signals", frequency="immediately"
    )
    signal = Signal.objects.create(team=cast.team, kind="issue", words="Squeaks.")
    signal.refresh_from_db()
    notes = notify_signal(signal)
    assert send_immediate([n.pk for n in notes]) == 1
    assert "\n" not in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/teams", {"name": "Workshop\nTwo"}),
        ("/allies", {"name": "Samaritan\r\nBikes"}),
        ("/accounts", {"name": "Riverside\nBakery"}),
    ],
)
def test_the_api_refuses_a_name_with_a_line_break(api, cast, path, body):
    if path == "/accounts":
        body = {**body, "team": cast.team.pk}
    response = api(cast.owner).post(path, body)
    assert response.status_code == 400, response.content
    assert "one line" in response.content.decode()


def test_the_api_refuses_an_offer_name_with_a_line_break(api, cast):
    response = api(cast.owner).post(
        "/offers", {"team": cast.team.pk, "name": "Repair\r\ncourse"}
    )
    assert response.status_code == 400, response.content


def test_the_profile_form_refuses_a_name_with_a_line_break(cast):
    client = Client()
    client.force_login(cast.owner)
    response = client.post(
        "/profile/",
        {"display_name": BROKEN, "email": "owner@example.org", "about": ""},
    )
    assert response.status_code == 200
    assert b"Keep it to one line" in response.content
    cast.owner.refresh_from_db()
    assert "\n" not in cast.owner.display_name


def test_the_team_form_refuses_a_name_with_a_line_break(cast):
    from purposeful.organisation.forms import TeamForm

    form = TeamForm({"name": "Workshop\r\nTwo", "purpose": ""})
    assert not form.is_valid()
    assert form.errors["name"] == ["Keep it to one line: remove the line break."]
