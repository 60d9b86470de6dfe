"""The public form cannot be used to send e-mail to arbitrary people.

Whoever writes in may give any address; the one e-mail that goes there is the
organisation's own confirmation — a fixed subject, no extra recipients, and
none of the sender's words or name in it — and an address gets at most the
rate limit's worth of them.
"""

from __future__ import annotations

import pytest
from django.core import mail

from purposeful.feedback import services, spam

SPAM = "CHEAP PILLS at http://spam.example/buy — click now!"


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.FEEDBACK_MIN_SECONDS = 0


@pytest.fixture
def general(cast):
    services.settings_update(actor=cast.steward, general_team=cast.team)


def _send(api, *, email, words=SPAM, name="Buy now"):
    return api(None).post(
        "/feedback",
        {
            "words": words,
            "email": email,
            "name": name,
            "started": spam.started_token(),
            "website": "",
        },
    )


def test_confirmation_carries_none_of_the_senders_words(
    api, general, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(api, email="victim@example.org").status_code == 201
    (message,) = mail.outbox
    assert message.to == ["victim@example.org"]
    assert not message.cc and not message.bcc
    assert "CHEAP PILLS" not in message.body and "spam.example" not in message.body
    assert "Buy now" not in message.body
    assert "CHEAP" not in message.subject and "Buy now" not in message.subject
    assert "/feedback/" in message.body, "only the private link, ours"


@pytest.mark.parametrize(
    "email",
    [
        "victim@example.org\nBcc: many@example.org",
        "victim@example.org, other@example.org",
        "victim@example.org>\r\nSubject: hi",
        "not-an-address",
    ],
)
def test_odd_addresses_are_refused_and_nothing_is_sent(
    api, general, email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(api, email=email)
    assert response.status_code == 400
    assert mail.outbox == []


def test_one_address_gets_at_most_the_rate_limit_of_confirmations(
    api, general, settings, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_RATE_LIMIT = (3, 3600)
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            answers.append(
                api(None)
                .post(
                    "/feedback",
                    {
                        "words": f"Message {n}",
                        "email": "victim@example.org",
                        "started": spam.started_token(),
                    },
                )
                .status_code
            )
    assert answers.count(201) <= 3 and 429 in answers
    assert len(mail.outbox) == answers.count(201)
