"""The public form, the private link, and team inboxes through the pages."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client

from purposeful.feedback import services, spam
from purposeful.feedback.models import Signal
from purposeful.relationships.models import Contact


def _client(cast, role):
    client = Client()
    if role != "anonymous":
        client.force_login(cast.by_role(role))
    return client


def _form_data(**overrides):
    data = {
        "kind": "issue",
        "words": "The gears slip since last week's service.",
        "name": "Robin",
        "email": "robin@example.net",
        "website": "",
        "started": spam.started_token(time.time() - 10),
        "offer": "",
    }
    data.update(overrides)
    return data


def test_write_to_us_form_is_public_and_carries_a_signed_start(cast):
    response = Client().get("/write-to-us/")
    assert response.status_code == 200
    assert b'name="started"' in response.content
    assert b'name="website"' in response.content


def test_message_lands_in_the_inbox_and_the_sender_gets_a_private_link(cast):
    services.settings_update(actor=cast.steward, general_team=cast.team)
    mail.outbox.clear()
    response = Client().post("/write-to-us/", _form_data())
    assert response.status_code == 302
    follow_url = response["Location"]
    assert re.fullmatch(r"/feedback/[\w-]{40,}/", follow_url)
    signal = Signal.objects.get()
    assert signal.team == cast.team and signal.source == "public_form"
    page = Client().get(follow_url)
    assert page.status_code == 200
    assert b"The gears slip" in page.content and b"New" in page.content
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert len(mail.outbox) == 1 and follow_url in mail.outbox[0].body


def test_honeypot_submission_is_refused_and_nothing_is_stored(cast):
    response = Client().post("/write-to-us/", _form_data(website="http://x.example"))
    assert response.status_code == 400
    assert not Signal.objects.exists()


def test_too_fast_submission_is_refused_keeping_the_message(cast):
    response = Client().post(
        "/write-to-us/", _form_data(started=spam.started_token(time.time()))
    )
    assert response.status_code == 400
    assert b"very quick" in response.content
    assert b"The gears slip" in response.content
    assert not Signal.objects.exists()


def test_rate_limit_refuses_a_burst_from_one_address(cast, settings):
    settings.FEEDBACK_RATE_LIMIT = (3, 3600)
    client = Client()
    statuses = [
        client.post("/write-to-us/", _form_data(email=f"p{n}@example.net")).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 400]
    assert Signal.objects.count() == 3


def test_the_answer_is_the_same_for_known_and_unknown_senders(cast):
    Contact.objects.create(account=cast.account, name="Ana", email="ana@bakery.example")
    known = Client().post("/write-to-us/", _form_data(email="ana@bakery.example"))
    unknown = Client().post("/write-to-us/", _form_data(email="zed@nowhere.example"))
    assert known.status_code == unknown.status_code == 302
    page = Client().get(known["Location"])
    assert b"Riverside Bakery" not in page.content


def _shown_submission_token(response) -> str:
    match = re.search(rb'name="submission" value="([^"]+)"', response.content)
    assert match, "the form carries a one-time token"
    return match.group(1).decode()


def test_the_form_carries_a_new_one_time_token_each_time_it_is_shown(cast):
    first = _shown_submission_token(Client().get("/write-to-us/"))
    second = _shown_submission_token(Client().get("/write-to-us/"))
    assert first != second


def test_the_form_sent_twice_is_one_signal_and_the_same_thank_you(cast):
    services.settings_update(actor=cast.steward, general_team=cast.team)
    token = _shown_submission_token(Client().get("/write-to-us/"))
    mail.outbox.clear()
    client = Client()
    first = client.post("/write-to-us/", _form_data(submission=token))
    again = client.post("/write-to-us/", _form_data(submission=token))
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Signal.objects.count() == 1
    assert len(mail.outbox) == 1
    page = client.get(again["Location"])
    assert b"Thank you" in page.content and b"The gears slip" in page.content


def test_the_form_sent_twice_counts_once_against_the_rate_limit(cast, settings):
    settings.FEEDBACK_RATE_LIMIT = (1, 3600)
    client = Client()
    token = _shown_submission_token(client.get("/write-to-us/"))
    statuses = [
        client.post("/write-to-us/", _form_data(submission=token)).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 302]
    assert Signal.objects.count() == 1


def test_forms_with_different_tokens_are_different_messages(cast):
    client = Client()
    for _ in range(2):
        token = _shown_submission_token(client.get("/write-to-us/"))
        client.post("/write-to-us/", _form_data(submission=token))
    assert Signal.objects.count() == 2


def test_a_refused_form_keeps_its_token_so_the_next_try_is_taken_once(cast):
    client = Client()
    token = _shown_submission_token(client.get("/write-to-us/"))
    refused = client.post("/write-to-us/", _form_data(submission=token, words=""))
    assert refused.status_code == 400
    assert _shown_submission_token(refused) == token
    for _ in range(2):
        client.post("/write-to-us/", _form_data(submission=token))
    assert Signal.objects.count() == 1


def test_a_tampered_token_re_renders_the_form_with_an_error(cast):
    response = Client().post("/write-to-us/", _form_data(submission="<x>"))
    assert response.status_code == 400
    assert b"This form has expired" in response.content
    assert b"The gears slip" in response.content
    assert _shown_submission_token(response) != "<x>"
    assert not Signal.objects.exists()


def test_the_same_token_sent_while_the_first_is_saved_is_one_signal(cast, monkeypatch):
    """Two sends racing past the first look: the database keeps one."""
    token = "t" * 43
    first, key = services.feedback_submit(
        words="First send.", submission=token, **_guards()
    )
    look = services._refuse_resubmission
    looks = []

    def late_look(submission):
        looks.append(submission)
        if len(looks) > 1:  # the first look came before the first send was saved
            look(submission)

    monkeypatch.setattr(services, "_refuse_resubmission", late_look)
    with pytest.raises(services.AlreadySubmitted) as taken:
        services.feedback_submit(words="First send.", submission=token, **_guards())
    assert len(looks) == 2
    assert taken.value.signal == first and taken.value.key == key
    assert Signal.objects.count() == 1


def _guards():
    return {"started": spam.started_token(time.time() - 10), "ip": "192.0.2.1"}


def test_unknown_private_link_is_not_found(cast):
    assert Client().get("/feedback/not-a-real-key/").status_code == 404


def test_empty_message_re_renders_with_an_error(cast):
    response = Client().post("/write-to-us/", _form_data(words=""))
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert b'value="Robin"' in response.content


# name: (path builder, data, {role: status}, did-it-happen)
PAGE_WRITES = {
    "signal.acknowledge": (
        lambda c: f"/inbox/signals/{c.signal.pk}/state/",
        {"to": "acknowledged"},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: Signal.objects.get(pk=c.signal.pk).state == "acknowledged",
    ),
    "signal.reply": (
        lambda c: f"/inbox/signals/{c.signal.pk}/reply/",
        {"text": "Thanks, we are on it."},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: c.signal.replies.exists(),
    ),
    "signal.tags": (
        lambda c: f"/inbox/signals/{c.signal.pk}/tags/",
        {"tags": "brakes"},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: c.signal.tags.exists(),
    ),
    "signal.assign": (
        lambda c: f"/inbox/signals/{c.signal.pk}/assign/",
        None,
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
        lambda c: Signal.objects.get(pk=c.signal.pk).assignee_id is not None,
    ),
    "feedback.configure": (
        lambda c: "/inbox/settings/",
        None,
        {"anonymous": 302, "owner": 403, "outsider": 403, "steward": 302},
        lambda c: services.settings_get().general_team_id == c.other_team.pk,
    ),
}
WHO_CHANGES = {
    "feedback.configure": {"steward"},
}


def _data(cast, name, data):
    if name == "signal.assign":
        return {"assignee": cast.owner.pk}
    if name == "feedback.configure":
        return {"general_team": cast.other_team.pk}
    return data


@pytest.mark.parametrize("role", ["anonymous", "owner", "outsider", "steward"])
@pytest.mark.parametrize("name", list(PAGE_WRITES))
def test_page_write_matrix(cast, name, role):
    path, data, expected, happened = PAGE_WRITES[name]
    response = _client(cast, role).post(path(cast), _data(cast, name, data))
    assert response.status_code == expected[role], response.content[:400]
    assert happened(cast) is (role in WHO_CHANGES.get(name, {"owner"}))


@pytest.mark.parametrize("role", ["owner", "outsider", "steward"])
def test_every_member_reads_every_inbox(cast, role):
    assert cast.signal.state == "new"
    client = _client(cast, role)
    inbox = client.get(f"/inbox/{cast.team.slug}/")
    assert inbox.status_code == 200
    assert b"The brakes squeak again." in inbox.content
    detail = client.get(f"/inbox/signals/{cast.signal.pk}/")
    assert detail.status_code == 200
    assert (b"Acknowledge" in detail.content) is (role == "owner")


def test_inbox_has_a_chart_with_its_numbers(cast):
    assert cast.signal.state == "new"
    response = _client(cast, "owner").get(f"/inbox/{cast.team.slug}/")
    assert b"<svg" in response.content
    assert b"<td>New</td><td>1</td>" in response.content


def test_anonymous_visitor_cannot_read_an_inbox(cast):
    response = Client().get(f"/inbox/{cast.team.slug}/")
    assert response.status_code == 302


def test_declining_without_reason_shows_the_error(cast):
    response = _client(cast, "owner").post(
        f"/inbox/signals/{cast.signal.pk}/state/", {"to": "declined", "reason": ""}
    )
    assert response.status_code == 400
    assert b"Say why you decline it" in response.content
    assert Signal.objects.get(pk=cast.signal.pk).state == "new"


def test_merge_into_a_missing_signal_explains(cast):
    response = _client(cast, "owner").post(
        f"/inbox/signals/{cast.signal.pk}/merge/", {"into": 99999}
    )
    assert response.status_code == 400
    assert b"no signal with this number" in response.content


def test_search_across_inboxes(cast):
    Signal.objects.create(team=cast.other_team, words="Puncture kit for kids")
    assert cast.signal.words
    response = _client(cast, "owner").get("/inbox/search/?q=puncture")
    assert b"Puncture kit" in response.content
    assert b"brakes squeak" not in response.content


def test_member_passes_on_a_signal_about_a_customer(cast):
    response = _client(cast, "outsider").post(
        f"/inbox/signals/new/?account={cast.account.pk}",
        {
            "team": cast.team.pk,
            "kind": "need",
            "source": "conversation",
            "words": "They need a second cargo bike.",
            "account": cast.account.pk,
            "tags": "cargo",
        },
    )
    assert response.status_code == 302
    signal = Signal.objects.get(words__startswith="They need")
    assert signal.account == cast.account and signal.recorded_by == cast.outsider


def test_start_page_counts_new_signals_in_my_teams(cast):
    assert cast.signal.state == "new"
    response = _client(cast, "owner").get("/start/")
    assert b"1 new in Workshop" in response.content


def test_inbox_filters_by_who_took_a_signal(cast):
    taken = Signal.objects.create(
        team=cast.team, words="Taken one", assignee=cast.owner
    )
    Signal.objects.create(team=cast.team, words="Nobody has this")
    client = _client(cast, "owner")
    mine = client.get(f"/inbox/{cast.team.slug}/?state=open&assignee=owner")
    assert taken.words.encode() in mine.content
    assert b"Nobody has this" not in mine.content
    free = client.get(f"/inbox/{cast.team.slug}/?state=open&assignee=none")
    assert b"Nobody has this" in free.content and b"Taken one" not in free.content


def _written_in(cast, email: str, words: str) -> tuple[Signal, str]:
    services.settings_update(actor=cast.steward, general_team=cast.team)
    response = Client().post("/write-to-us/", _form_data(email=email, words=words))
    return Signal.objects.get(words=words), response["Location"]


def test_after_a_merge_each_private_page_shows_only_what_was_written_to_its_sender(
    cast,
):
    anna, anna_page = _written_in(cast, "anna@example.net", "My saddle creaks.")
    bob, bob_page = _written_in(cast, "bob@example.net", "The saddle creaks.")
    services.signal_reply(actor=cast.owner, signal=anna, text="Anna: it's covered.")
    services.signal_reply(actor=cast.owner, signal=bob, text="Bob: invoice 4411.")
    services.signal_merge(actor=cast.owner, duplicate=anna, into=bob)
    services.signal_reply(actor=cast.owner, signal=bob, text="Bob: part ordered.")
    services.signal_decline(
        actor=cast.owner, signal=bob, reason="Bob, your warranty ended in May."
    )
    anna_sees = Client().get(anna_page).content.decode()
    bob_sees = Client().get(bob_page).content.decode()
    assert "Anna: it&#x27;s covered." in anna_sees
    for written_to_bob in ("Bob: invoice 4411.", "Bob: part ordered.", "warranty"):
        assert written_to_bob not in anna_sees
    assert "Declined" in anna_sees
    assert "Bob: invoice 4411." in bob_sees and "warranty ended" in bob_sees
    assert "Anna" not in bob_sees


def test_after_a_merge_the_follow_api_shows_only_what_was_written_to_its_sender(
    cast,
):
    anna, anna_page = _written_in(cast, "anna@example.net", "My saddle creaks.")
    bob, _ = _written_in(cast, "bob@example.net", "The saddle creaks.")
    services.signal_merge(actor=cast.owner, duplicate=anna, into=bob)
    services.signal_reply(actor=cast.owner, signal=bob, text="Bob: part ordered.")
    services.signal_decline(
        actor=cast.owner, signal=bob, reason="Bob, your warranty ended in May."
    )
    key = anna_page.strip("/").rsplit("/", 1)[-1]
    answer = Client().get(f"/api/v1/feedback/{key}").json()
    assert answer["replies"] == [] and answer["state"] == "declined"
    assert "warranty" not in str(answer)


def test_merging_does_not_link_the_other_senders_message_to_a_customer(cast):
    anna = Signal.objects.create(team=cast.team, words="a", account=cast.account)
    bob = Signal.objects.create(team=cast.team, words="b")
    services.signal_merge(actor=cast.owner, duplicate=anna, into=bob)
    bob.refresh_from_db()
    assert bob.account is None


CONFIRM_LINK = re.compile(r"https?://[^\s]+/feedback/confirm/[\w-]{40,}/")


def _typed_by_a_visitor(cast, email: str = "ana@bakery.example"):
    """A visitor writes in with a known contact's address; returns signal and page."""
    Contact.objects.create(account=cast.account, name="Ana", email="ana@bakery.example")
    services.settings_update(actor=cast.steward, general_team=cast.team)
    mail.outbox.clear()
    response = Client().post("/write-to-us/", _form_data(email=email))
    return Signal.objects.get(), response["Location"]


def test_a_known_contacts_address_links_the_message_unverified(cast):
    signal, _ = _typed_by_a_visitor(cast)
    assert signal.account == cast.account
    assert signal.is_account_verified is False


def test_the_confirmation_link_goes_only_to_the_address_never_to_the_visitor(cast):
    _, follow_url = _typed_by_a_visitor(cast)
    [sent] = mail.outbox
    assert sent.to == ["ana@bakery.example"]
    assert CONFIRM_LINK.search(sent.body)
    visitor_sees = Client().get(follow_url).content.decode()
    assert "/feedback/confirm/" not in visitor_sees


def test_replies_wait_for_the_sender_to_confirm_before_they_are_emailed(cast):
    signal, follow_url = _typed_by_a_visitor(cast)
    received = mail.outbox.pop()
    services.signal_reply(actor=cast.owner, signal=signal, text="Your order #88")
    assert mail.outbox == []
    confirm_url = CONFIRM_LINK.search(received.body).group(0)
    assert "Your order #88" in Client().get(follow_url).content.decode()
    page = Client().get(confirm_url)
    assert page.status_code == 200 and b"Your order #88" not in page.content
    assert Signal.objects.get().is_account_verified is False
    assert Client().post(confirm_url, {"answer": "yes"}).status_code == 200
    assert Signal.objects.get().is_account_verified is True
    assert [m.to for m in mail.outbox] == [["ana@bakery.example"]]
    assert "Your order #88" in mail.outbox[0].body
    assert Client().post(confirm_url, {"answer": "yes"}).status_code == 404


def test_the_private_link_does_not_confirm_the_sender(cast):
    _, follow_url = _typed_by_a_visitor(cast)
    key = follow_url.strip("/").rsplit("/", 1)[-1]
    response = Client().post(f"/feedback/confirm/{key}/", {"answer": "yes"})
    assert response.status_code == 404
    assert Signal.objects.get().is_account_verified is False


def test_the_address_owner_can_say_it_was_not_them(cast):
    _typed_by_a_visitor(cast)
    confirm_url = CONFIRM_LINK.search(mail.outbox[0].body).group(0)
    assert Client().post(confirm_url, {"answer": "no"}).status_code == 200
    signal = Signal.objects.get()
    assert signal.account is None and signal.sender_email == ""
    mail.outbox.clear()
    services.signal_reply(actor=cast.owner, signal=signal, text="Thanks")
    assert mail.outbox == []


def test_the_inbox_shows_the_team_that_the_link_to_the_customer_is_unverified(cast):
    signal, _ = _typed_by_a_visitor(cast)
    client = _client(cast, "owner")
    inbox = client.get(f"/inbox/{cast.team.slug}/").content.decode()
    detail = client.get(signal.get_absolute_url()).content.decode()
    assert "unverified" in inbox and "unverified" in detail
    recorded = services.signal_record(
        actor=cast.owner, team=cast.team, kind="need", words="x", account=cast.account
    )
    assert "unverified" not in client.get(recorded.get_absolute_url()).content.decode()


def test_a_declined_message_does_not_promise_an_answer(cast):
    signal, page = _written_in(cast, "cy@example.net", "Please sell tyres.")
    assert "The team will answer here" in Client().get(page).content.decode()
    services.signal_decline(actor=cast.owner, signal=signal, reason="We only repair.")
    seen = Client().get(page).content.decode()
    assert "The team will answer here" not in seen
    assert "the team decided not to take this further" in seen
    assert "We only repair." in seen


def test_passing_on_a_signal_starts_on_the_team_of_a_member_of_one_team(cast):
    from tests import factories

    page = _client(cast, "owner").get("/inbox/signals/new/").content.decode()
    assert f'<option value="{cast.team.pk}" selected>' in page
    assert "---------" not in page
    two = factories.member("two", teams=[cast.team, cast.other_team])
    client = Client()
    client.force_login(two)
    page = client.get("/inbox/signals/new/").content.decode()
    assert '<option value="" selected>Choose a team</option>' in page


def test_the_general_messages_picker_says_what_leaving_it_empty_means(cast):
    """Unset, it names the team messages go to now; saved, it starts on that team."""
    page = _client(cast, "steward").get("/inbox/settings/").content.decode()
    assert "---------" not in page
    assert '<option value="" selected>The first team by name (Learning Lab)' in page
    services.settings_update(actor=cast.steward, general_team=cast.team)
    page = _client(cast, "steward").get("/inbox/settings/").content.decode()
    assert f'<option value="{cast.team.pk}" selected>' in page
