"""core.forms.form_submit: one way for a view to hand a form to its service."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from purposeful.core.forms import form_submit
from purposeful.core.locking import EditConflict


class NoteForm(forms.Form):
    text = forms.CharField(max_length=10)


def _refuse(error: ValidationError):
    def service(data):
        raise error

    return service


def test_a_valid_form_gives_what_the_service_returned_even_when_it_is_falsy():
    done = form_submit(NoteForm({"text": "hello"}), lambda data: data["text"] * 0)
    assert done is not None and done.value == ""


def test_an_invalid_form_never_reaches_the_service():
    called = []
    form = NoteForm({"text": "far too long for it"})
    assert form_submit(form, called.append) is None
    assert called == [] and "text" in form.errors


def test_a_refusal_on_a_field_is_shown_on_that_field_and_others_on_the_form():
    on_field = NoteForm({"text": "hello"})
    assert form_submit(on_field, _refuse(ValidationError({"text": "Taken."}))) is None
    assert on_field.errors["text"] == ["Taken."]
    elsewhere = NoteForm({"text": "hello"})
    refusal = ValidationError({"team": "Not yours."})
    assert form_submit(elsewhere, _refuse(refusal)) is None
    assert elsewhere.non_field_errors() == ["Not yours."]


def test_a_refusal_the_view_handles_itself_passes_through():
    conflict = EditConflict("Changed meanwhile.", current_version="2")
    form = NoteForm({"text": "hello"})
    with pytest.raises(EditConflict):
        form_submit(form, _refuse(conflict), passing=(EditConflict,))
    assert form.errors == {}
    # without ``passing`` an edit conflict is a refusal like any other
    assert form_submit(NoteForm({"text": "hello"}), _refuse(conflict)) is None
