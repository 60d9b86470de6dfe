"""What an editor page needs to keep its words: used by the apps' form views."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from purposeful.drafts.selectors import draft_restore
from purposeful.drafts.sessions import session_seconds_left


def editor_context(
    request: HttpRequest, *, key: str | None = None, form: forms.BaseForm | None = None
) -> dict:
    """Template context for a form whose words are kept as the member types.

    ``key`` is the address the form sends to (this page's by default). With an
    unbound ``form`` (the page opened, not a form sent back with errors) the
    member's draft is put back into it.
    """
    key = key or request.path
    draft = None
    if form is not None and not form.is_bound:
        draft = draft_restore(actor=request.user, form=form, key=key)
    return {
        "draft": draft,
        "draft_key": key,
        "session_seconds_left": session_seconds_left(request.session),
    }
