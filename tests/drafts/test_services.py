"""Drafts: a member's unsent words, kept for that member alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from purposeful.drafts import selectors, services
from purposeful.drafts.models import Draft


def test_words_are_kept_and_replaced_for_the_same_form(cast):
    services.draft_save(actor=cast.owner, key="/messages/new/", fields={"body": ["a"]})
    services.draft_save(
        actor=cast.owner, key="/messages/new/", fields={"body": ["a second"]}
    )
    draft = selectors.draft_for(actor=cast.owner, key="/messages/new/")
    assert draft.fields == {"body": ["a second"]}
    assert Draft.objects.count() == 1


def test_another_member_never_reads_or_discards_a_draft(cast):
    services.draft_save(actor=cast.owner, key="/offers/new/", fields={"name": ["Ours"]})
    for other in (cast.outsider, cast.steward, cast.steward_in_team):
        assert selectors.draft_for(actor=other, key="/offers/new/") is None
        services.draft_discard(actor=other, key="/offers/new/")
    assert selectors.draft_for(actor=cast.owner, key="/offers/new/") is not None


def test_a_visitor_who_is_not_signed_in_keeps_no_draft(cast):
    with pytest.raises(PermissionDenied):
        services.draft_save(actor=cast.anonymous, key="/x/", fields={"a": ["words"]})
    assert selectors.draft_for(actor=cast.anonymous, key="/x/") is None


def test_secrets_and_the_token_are_never_kept(cast):
    services.draft_save(
        actor=cast.owner,
        key="/messages/new/",
        fields={
            "body": ["words"],
            "csrfmiddlewaretoken": ["t"],
            "password": ["p"],
            "new_password1": ["p"],
            "api_token": ["t"],
        },
    )
    draft = selectors.draft_for(actor=cast.owner, key="/messages/new/")
    assert draft.fields == {"body": ["words"]}


def test_an_emptied_form_keeps_no_draft(cast):
    services.draft_save(actor=cast.owner, key="/m/", fields={"body": ["words"]})
    assert (
        services.draft_save(actor=cast.owner, key="/m/", fields={"body": [" "]}) is None
    )
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "key", ["", "https://evil.example/", "//evil.example/", "/" * 400]
)
def test_a_draft_belongs_to_a_form_of_this_site(cast, key):
    with pytest.raises(ValidationError):
        services.draft_save(actor=cast.owner, key=key, fields={"body": ["words"]})


def test_a_draft_larger_than_a_message_is_refused(cast):
    with pytest.raises(ValidationError, match="200,000"):
        services.draft_save(
            actor=cast.owner, key="/m/", fields={"body": ["x" * 200_001]}
        )


def test_a_successful_save_clears_only_that_forms_draft(cast):
    services.draft_save(actor=cast.owner, key="/a/", fields={"body": ["one"]})
    services.draft_save(actor=cast.owner, key="/b/", fields={"body": ["two"]})
    services.draft_discard(actor=cast.owner, key="/a/")
    assert [d.key for d in Draft.objects.all()] == ["/b/"]


def test_words_kept_while_signed_out_become_the_next_members_drafts(cast):
    session = SessionStore()
    assert services.words_keep_pending(
        session=session, key="/messages/new/", fields={"body": ["kept"]}
    )
    assert services.drafts_claim_pending(actor=cast.owner, session=session) == 1
    assert selectors.draft_for(actor=cast.owner, key="/messages/new/").fields == {
        "body": ["kept"]
    }
    assert services.PENDING_SESSION_KEY not in session


def test_words_kept_while_signed_out_expire(cast):
    session = SessionStore()
    services.words_keep_pending(session=session, key="/m/", fields={"body": ["old"]})
    old = timezone.now() - services.PENDING_FOR - timedelta(minutes=1)
    session[services.PENDING_SESSION_KEY]["/m/"]["at"] = old.isoformat()
    assert services.drafts_claim_pending(actor=cast.owner, session=session) == 0
    assert not Draft.objects.exists()


def test_a_signed_out_browser_keeps_only_a_few_forms(cast):
    session = SessionStore()
    for n in range(services.MAX_PENDING + 3):
        services.words_keep_pending(
            session=session, key=f"/m/{n}/", fields={"body": ["w"]}
        )
    kept = session[services.PENDING_SESSION_KEY]
    assert len(kept) == services.MAX_PENDING
    assert f"/m/{services.MAX_PENDING + 2}/" in kept


def test_restoring_fills_an_unbound_form_including_several_choices(cast):
    from django import forms

    class Form(forms.Form):
        title = forms.CharField()
        tags = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
        version = forms.CharField(widget=forms.HiddenInput)

    services.draft_save(
        actor=cast.owner,
        key="/f/",
        fields={"title": ["Kept"], "tags": ["a", "c"], "version": ["3"]},
    )
    form = Form(initial={"title": "Saved", "version": "4"})
    assert selectors.draft_restore(actor=cast.owner, form=form, key="/f/")
    assert form["title"].value() == "Kept"
    assert form["tags"].value() == ["a", "c"]
    # typed on version 3: saving it meets the conflict check, not an overwrite
    assert form["version"].value() == "3"
    other = Form(initial={"title": "Saved"})
    assert selectors.draft_restore(actor=cast.outsider, form=other, key="/f/") is None
    assert other["title"].value() == "Saved"


def test_a_form_of_hidden_numbers_only_keeps_nothing(cast):
    fields = {"expected_version": ["3"], "team": ["2"]}
    assert services.draft_save(actor=cast.owner, key="/t/join/", fields=fields) is None
    session = SessionStore()
    assert not services.words_keep_pending(session=session, key="/t/", fields=fields)
    assert not Draft.objects.exists()
