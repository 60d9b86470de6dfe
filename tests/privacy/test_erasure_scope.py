"""Erasure changes the contact and the records that are theirs, as whole words only.

Every look-alike below was rewritten by the erasure that scanned every table.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from purposeful.feedback.models import Reply, Signal
from purposeful.feedback.services import signal_record, signal_reply
from purposeful.notifications.models import Notification
from purposeful.offers.models import OfferVersion
from purposeful.organisation.models import Ally, PurposeVersion, Team
from purposeful.people.models import Member
from purposeful.people.services import token_authenticate, token_create
from purposeful.privacy import selectors, services
from purposeful.relationships import services as relationships
from purposeful.relationships.models import Contact, Conversation
from purposeful.targets.models import CheckIn, Target
from tests import factories
from tests.offers.factories import published_offer
from tests.targets.factories import check_in, target


def _contact(cast, name: str, *, email: str = "", phone: str = "") -> Contact:
    account = relationships.account_create(
        actor=cast.owner, team=cast.team, name="Harbour Café"
    )
    return relationships.contact_create(
        actor=cast.owner, account=account, name=name, email=email, phone=phone
    )


def _said_by(cast, contact: Contact, text: str) -> tuple[Conversation, Signal, Reply]:
    conversation = relationships.conversation_log(
        actor=cast.owner,
        account=contact.account,
        contact=contact,
        kind="call",
        summary=text,
    )
    signal = signal_record(
        actor=cast.owner,
        team=cast.team,
        kind="need",
        account=contact.account,
        words=text,
    )
    signal.sender_name, signal.sender_email = contact.name, contact.email
    signal.save()
    reply = signal_reply(actor=cast.owner, signal=signal, text=f"Dear {text}")
    return conversation, signal, reply


def test_erasing_sam_leaves_member_sam_an_ally_and_the_word_sample_alone(cast):
    sam = factories.member("sam", teams=[cast.team])
    Ally.objects.create(name="Samaritan Bikes", does_well="A sample of good work")
    contact = _contact(cast, "Sam", email="sam.k@example.net")
    services.contact_erase(actor=cast.owner, contact=contact)
    sam.refresh_from_db()
    assert (sam.username, sam.display_name, sam.email) == (
        "sam",
        "Sam",
        "sam@example.org",
    )
    ally = Ally.objects.get()
    assert (ally.name, ally.does_well) == ("Samaritan Bikes", "A sample of good work")


def test_erasing_argon2_keeps_every_password_hash_so_members_still_sign_in(
    cast, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    member = factories.member("robin", teams=[cast.team])
    assert member.password.startswith("argon2")
    contact = _contact(cast, "argon2")
    services.contact_erase(actor=cast.owner, contact=contact)
    assert Member.objects.get(pk=member.pk).password == member.password
    response = Client().post(
        "/accounts/login/", {"username": "robin", "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/start/"


def test_erasing_a_contact_named_after_a_team_leaves_the_team_and_its_offers(cast):
    wheels = factories.team("Wheels", members=[cast.owner])
    offer = published_offer(wheels, cast.owner, name="Wheels tune-up")
    version = offer.versions.get()
    contact = _contact(cast, "Wheels")
    services.contact_erase(actor=cast.owner, contact=contact)
    wheels.refresh_from_db()
    assert (wheels.name, wheels.slug) == ("Wheels", "wheels")
    assert OfferVersion.objects.get(pk=version.pk).name == "Wheels tune-up"
    assert Team.objects.filter(name="Learning Lab").exists()


def test_erasing_a_phone_of_three_hex_characters_keeps_api_tokens_working(cast):
    _, raw = token_create(actor=cast.owner, member=cast.owner, name="laptop")
    digest = cast.owner.api_tokens.get().digest
    contact = _contact(cast, "Kim Poe", phone=digest[20:23])
    services.contact_erase(actor=cast.owner, contact=contact)
    assert cast.owner.api_tokens.get().digest == digest
    assert token_authenticate(raw) == cast.owner


def test_erasure_leaves_published_offers_purpose_history_targets_and_check_ins(
    cast,
):
    text = "Sam said this sample works"
    offer = published_offer(cast.team, cast.owner, summary=text)
    purpose = PurposeVersion.objects.create(
        organisation=factories.organisation(), number=2, text=text
    )
    goal = target(cast.team, title=text, why=text)
    reflection = check_in(goal, learned=text)
    contact = _contact(cast, "Sam")
    services.contact_erase(actor=cast.owner, contact=contact)
    assert offer.versions.get().summary == text
    assert PurposeVersion.objects.get(pk=purpose.pk).text == text
    assert Target.objects.get(pk=goal.pk).title == text
    assert Target.objects.get(pk=goal.pk).why == text
    assert CheckIn.objects.get(pk=reflection.pk).learned == text


def test_the_contacts_own_records_are_scrubbed_as_whole_words(cast):
    contact = _contact(cast, "Sam", email="sam.k@example.net", phone="+31 6 1234 5678")
    text = (
        "Sam asked whether Samuel may bring a sample; SAM's number is "
        "+31 6 1234 5678, mail sam.k@example.net."
    )
    conversation, signal, reply = _said_by(cast, contact, text)
    services.contact_erase(actor=cast.owner, contact=contact)
    erased = (
        "[erased] asked whether Samuel may bring a sample; [erased]'s number is "
        "[erased], mail [erased]."
    )
    assert Conversation.objects.get(pk=conversation.pk).summary == erased
    signal.refresh_from_db()
    assert (signal.words, signal.sender_name, signal.sender_email) == (erased, "", "")
    assert Reply.objects.get(pk=reply.pk).text == f"Dear {erased}"


def test_another_contacts_conversation_on_the_same_customer_is_not_theirs(cast):
    contact = _contact(cast, "Sam")
    colleague = relationships.contact_create(
        actor=cast.owner, account=contact.account, name="Jo"
    )
    theirs = relationships.conversation_log(
        actor=cast.owner,
        account=contact.account,
        contact=colleague,
        kind="visit",
        summary="Jo came by without Sam.",
    )
    services.contact_erase(actor=cast.owner, contact=contact)
    assert Conversation.objects.get(pk=theirs.pk).summary == "Jo came by without Sam."
    assert Contact.objects.get(pk=colleague.pk).name == "Jo"


def test_notifications_about_their_messages_are_scrubbed_and_others_are_not(cast):
    contact = _contact(cast, "Sam", email="sam.k@example.net")
    _, signal, _ = _said_by(cast, contact, "Sam needs a cargo bike")
    about_them = Notification.objects.create(
        member=cast.owner,
        topic="customer_messages",
        source=f"signal:{signal.pk}",
        subject="A customer wrote: Sam needs a cargo bike",
        body="Need for Workshop:\n\nSam needs a cargo bike",
        delivery="digest",
    )
    other = Notification.objects.create(
        member=cast.owner,
        topic="signals",
        source="signal:999999",
        subject="Sam from the Learning Lab",
        body="Sam from the Learning Lab",
        delivery="digest",
    )
    services.contact_erase(actor=cast.owner, contact=contact)
    about_them.refresh_from_db()
    assert "Sam" not in about_them.subject + about_them.body
    assert Notification.objects.get(pk=other.pk).body == "Sam from the Learning Lab"


def test_erasure_writes_are_in_the_audit_log_without_the_erased_details(cast):
    contact = _contact(cast, "Sam Keller", email="sam.k@example.net")
    conversation, _, _ = _said_by(cast, contact, "Sam Keller called")
    services.contact_erase(actor=cast.owner, contact=contact)
    updates = LogEntry.objects.filter(action=LogEntry.Action.UPDATE)
    for model, pk in ((Contact, contact.pk), (Conversation, conversation.pk)):
        entry = updates.get(
            content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
        )
        assert entry.actor == cast.owner
    every_entry = " ".join(
        f"{e.object_repr} {e.changes_text} {e.changes}" for e in LogEntry.objects.all()
    )
    assert "Sam Keller" not in every_entry and "sam.k@example.net" not in every_entry
    assert "Harbour Café" in every_entry


def test_preview_lists_every_change_before_anything_changes(cast):
    contact = _contact(cast, "Sam", email="sam.k@example.net")
    conversation, signal, reply = _said_by(cast, contact, "Sam met Samuel")
    sam = factories.member("sam", teams=[cast.team])
    changes = selectors.erasure_preview(actor=cast.owner, contact=contact)
    changed = {(c.record_type, c.record_id, c.field): c for c in changes}
    assert changed[("relationships.Contact", contact.pk, "name")].after == (
        "Erased contact"
    )
    summary = changed[("relationships.Conversation", conversation.pk, "summary")]
    assert (summary.before, summary.after) == ("Sam met Samuel", "[erased] met Samuel")
    assert ("feedback.Signal", signal.pk, "words") in changed
    assert ("feedback.Signal", signal.pk, "sender_email") in changed
    assert ("feedback.Reply", reply.pk, "text") in changed
    assert not [c for c in changes if c.record_type == "people.Member"]
    assert Contact.objects.get(pk=contact.pk).name == "Sam"
    assert Member.objects.get(pk=sam.pk).display_name == "Sam"


@pytest.mark.parametrize("role", ["outsider", "steward", "anonymous"])
def test_only_the_owning_team_sees_the_preview(cast, role):
    from django.core.exceptions import PermissionDenied

    contact = _contact(cast, "Sam")
    with pytest.raises(PermissionDenied):
        selectors.erasure_preview(actor=cast.by_role(role), contact=contact)


def test_a_failure_half_way_leaves_everything_as_it_was(cast, monkeypatch):
    contact = _contact(cast, "Sam", email="sam.k@example.net")
    conversation, _, _ = _said_by(cast, contact, "Sam called")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Reply, "save", broken)
    with pytest.raises(RuntimeError):
        services.contact_erase(actor=cast.owner, contact=contact)
    assert Contact.objects.get(pk=contact.pk).name == "Sam"
    assert Conversation.objects.get(pk=conversation.pk).summary == "Sam called"
