"""Reading a member's drafts, and putting them back into a form."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from purposeful.drafts.models import Draft
from purposeful.people.types import Actor
from purposeful.permissions import visible


def draft_for(*, actor: Actor, key: str) -> Draft | None:
    """``actor``'s draft for the form that sends to ``key``; nobody else's."""
    return visible(actor, Draft).filter(key=key).first()


def draft_restore(*, actor: Actor, form: forms.BaseForm, key: str) -> Draft | None:
    """Put ``actor``'s kept words into an unbound ``form``, as its initial values.

    Hidden fields come back too: an edit typed on an older version keeps that
    version, so saving it meets the edit-conflict check instead of silently
    overwriting what a colleague saved since.
    """
    draft = draft_for(actor=actor, key=key)
    if draft is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in draft.fields.items():
        data.setlist(name, [str(v) for v in values])
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        if html_name not in data:
            continue
        value = field.widget.value_from_datadict(data, {}, html_name)
        form.initial[name] = value
    return draft
