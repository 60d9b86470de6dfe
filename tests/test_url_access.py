"""Every page of the site is in this table, with who may reach it.

Adding a URL without an entry here fails ``test_every_url_has_an_entry``; the
other tests then knock on every door as an anonymous visitor and check that the
answer matches the entry — and that no door answers with a server error. The
JSON API is covered by the API matrices and by schemathesis.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public"  # anyone may read it
MEMBERS = "members"  # signing in is required
PRIVATE_LINK = "private-link"  # a secret in the address is the key

ACCESS = {
    "home:home": PUBLIC,
    "home:start": MEMBERS,
    "home:favicon": PUBLIC,
    "organisation:purpose_detail": PUBLIC,
    "organisation:purpose_edit": MEMBERS,
    "organisation:purpose_history": MEMBERS,
    "organisation:team_list": MEMBERS,
    "organisation:team_create": MEMBERS,
    "organisation:team_detail": MEMBERS,
    "organisation:team_edit": MEMBERS,
    "organisation:team_join": MEMBERS,
    "organisation:team_leave": MEMBERS,
    "organisation:team_member_add": MEMBERS,
    "organisation:team_member_remove": MEMBERS,
    "organisation:join_request_accept": MEMBERS,
    "organisation:join_request_decline": MEMBERS,
    "organisation:removal_agree": MEMBERS,
    "organisation:removal_withdraw": MEMBERS,
    "organisation:role_create": MEMBERS,
    "organisation:role_edit": MEMBERS,
    "organisation:role_delete": MEMBERS,
    "organisation:role_assign": MEMBERS,
    "organisation:role_unassign": MEMBERS,
    "organisation:ally_list": PUBLIC,
    "organisation:ally_create": MEMBERS,
    "organisation:ally_edit": MEMBERS,
    "organisation:ally_delete": MEMBERS,
    "organisation:settings": MEMBERS,
    "people:member_list": MEMBERS,
    "people:member_detail": MEMBERS,
    "people:profile": MEMBERS,
    "people:token_create": MEMBERS,
    "people:token_revoke": MEMBERS,
    "people:token_revoke_all": MEMBERS,
    "people:invitation_list": MEMBERS,
    "people:invitation_accept": PRIVATE_LINK,
    "audit:audit_list": MEMBERS,
    "relationships:account_list": MEMBERS,
    "relationships:account_create": MEMBERS,
    "relationships:account_detail": MEMBERS,
    "relationships:account_edit": MEMBERS,
    "relationships:contact_create": MEMBERS,
    "relationships:contact_edit": MEMBERS,
    "relationships:contact_delete": MEMBERS,
    "relationships:conversation_create": MEMBERS,
    "relationships:referral_create": MEMBERS,
    "relationships:handover_propose": MEMBERS,
    "relationships:handover_answer": MEMBERS,
    "relationships:ally_referrals": MEMBERS,
    "relationships:ally_detail": MEMBERS,
    "feedback:write": PUBLIC,
    "feedback:follow": PRIVATE_LINK,
    "feedback:confirm_sender": PRIVATE_LINK,
    "feedback:inbox_index": MEMBERS,
    "feedback:search": MEMBERS,
    "feedback:settings": MEMBERS,
    "feedback:signal_create": MEMBERS,
    "feedback:signal_detail": MEMBERS,
    "feedback:signal_state": MEMBERS,
    "feedback:signal_assign": MEMBERS,
    "feedback:signal_tags": MEMBERS,
    "feedback:signal_reply": MEMBERS,
    "feedback:signal_merge": MEMBERS,
    "feedback:team_inbox": MEMBERS,
    "targets:list": MEMBERS,
    "targets:create": MEMBERS,
    "targets:detail": MEMBERS,
    "targets:edit": MEMBERS,
    "targets:check_in": MEMBERS,
    "targets:let_go": MEMBERS,
    "targets:close": MEMBERS,
    "targets:reopen": MEMBERS,
    "targets:delete": MEMBERS,
    "targets:comment": MEMBERS,
    # Members only, unless a steward makes the dashboard public.
    "targets:dashboard": MEMBERS,
    "targets:dashboard_settings": MEMBERS,
    "targets:dashboard_csv": MEMBERS,
    "offers:catalogue": PUBLIC,
    "offers:json": PUBLIC,
    "offers:feed": PUBLIC,
    "offers:ours": MEMBERS,
    "offers:create": MEMBERS,
    # Public pages show only published offers; drafts 404 for visitors.
    "offers:detail": PUBLIC,
    "offers:picture": PUBLIC,
    "offers:canvas": MEMBERS,
    "offers:edit": MEMBERS,
    "offers:ask_advice": MEMBERS,
    "offers:give_advice": MEMBERS,
    "offers:publish": MEMBERS,
    "offers:retire": MEMBERS,
    "offers:discard": MEMBERS,
    "offers:picture_add": MEMBERS,
    "offers:picture_remove": MEMBERS,
    "offers:history": MEMBERS,
    "outreach:message_list": MEMBERS,
    "outreach:message_create": MEMBERS,
    "outreach:live_review": MEMBERS,
    "outreach:trends": MEMBERS,
    "outreach:message_detail": MEMBERS,
    "outreach:message_edit": MEMBERS,
    "outreach:message_ask_advice": MEMBERS,
    "outreach:message_give_advice": MEMBERS,
    "outreach:message_mark_ready": MEMBERS,
    "outreach:message_publish": MEMBERS,
    "outreach:message_delete": MEMBERS,
    "outreach:lens_settings": MEMBERS,
    "outreach:lens_config_export": MEMBERS,
    "outreach:site_review_list": MEMBERS,
    "outreach:site_review_detail": MEMBERS,
    "outreach:site_review_progress": MEMBERS,
    "outreach:site_review_json": MEMBERS,
    "outreach:site_review_csv": MEMBERS,
    "outreach:site_page_detail": MEMBERS,
    # webhooks: stewards only; other members get 403
    "webhooks:list": MEMBERS,
    "webhooks:create": MEMBERS,
    "webhooks:detail": MEMBERS,
    "webhooks:edit": MEMBERS,
    "webhooks:enable": MEMBERS,
    "webhooks:ping": MEMBERS,
    "webhooks:delete": MEMBERS,
    # the state of background work: stewards only
    "operations:status": MEMBERS,
    "sensing:group_list": MEMBERS,
    "sensing:recompute": MEMBERS,
    "sensing:group_detail": MEMBERS,
    "sensing:group_rename": MEMBERS,
    "sensing:group_to_offer": MEMBERS,
    "sensing:group_to_signal": MEMBERS,
    "notifications:preferences": MEMBERS,
    "notifications:unsubscribe": PRIVATE_LINK,
    "notifications:outbox": MEMBERS,
    "notifications:outbox_email": MEMBERS,
    "exchange:index": MEMBERS,
    "exchange:export": MEMBERS,
    "exchange:import_detail": MEMBERS,
    "exchange:import_progress": MEMBERS,
    "exchange:import_confirm": MEMBERS,
    "exchange:import_discard": MEMBERS,
    "privacy:personal_data": MEMBERS,
    "privacy:erase": MEMBERS,
    "privacy:erasure_list": MEMBERS,
    "drafts:save": MEMBERS,
    "drafts:discard": MEMBERS,
    "drafts:keep_signed_in": MEMBERS,
    "login": PUBLIC,
    "logout": PUBLIC,
    "password_change": MEMBERS,
    "password_change_done": MEMBERS,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PRIVATE_LINK,
    "password_reset_complete": PUBLIC,
}

SAMPLE_ARGS = {
    "int": "1",
    "slug": "wheel-rebuild",
    "str": "not-a-real-key",
    "path": "x",
}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield (
                prefix + str(pattern.pattern),
                f"{namespace}{pattern.name}",
                pattern.callback,
            )


def _sample_path(route: str) -> str:
    return "/" + re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: SAMPLE_ARGS.get(m.group(1) or "str", "x"),
        route,
    )


def _site_urls() -> dict[str, str]:
    urls = {}
    for route, name, _ in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")):
            continue
        urls.setdefault(name, _sample_path(route))
    return urls


def _is_marked_public(view) -> bool:
    # what LoginRequiredMiddleware reads: @login_not_required sets it to False
    return getattr(view, "login_required", True) is False


SITE_URLS = _site_urls()
MARKED_PUBLIC = {
    name
    for route, name, view in _walk(get_resolver().url_patterns)
    if name in SITE_URLS and _is_marked_public(view)
}

# Member pages whose views answer a visitor themselves, so they are marked public
# for the middleware: the dashboard is public when a steward chooses so (and
# sends to sign-in otherwise); the drafts' requests are sent by script, which
# must get JSON, not a redirect it would follow.
ANSWER_VISITORS_THEMSELVES = {
    "targets:dashboard",
    "targets:dashboard_csv",
    "drafts:save",
    "drafts:discard",
    "drafts:keep_signed_in",
}


def test_every_url_has_an_entry():
    missing = sorted(set(SITE_URLS) - set(ACCESS))
    assert not missing, f"add these URLs to ACCESS with who may reach them: {missing}"
    assert not sorted(set(ACCESS) - set(SITE_URLS)), (
        "ACCESS names URLs that no longer exist"
    )


@pytest.mark.parametrize("name", sorted(n for n, a in ACCESS.items() if a == MEMBERS))
def test_member_pages_send_visitors_to_sign_in(cast, name):
    client = Client(raise_request_exception=False)
    for method in ("get", "post"):
        response = getattr(client, method)(SITE_URLS[name])
        assert response.status_code in (302, 403, 405), (
            f"{method.upper()} {SITE_URLS[name]}"
        )
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), SITE_URLS[name]


@pytest.mark.parametrize("name", sorted(n for n, a in ACCESS.items() if a != MEMBERS))
def test_public_and_private_link_pages_never_fail(cast, name):
    response = Client(raise_request_exception=False).get(SITE_URLS[name])
    assert response.status_code in (200, 302, 404, 405, 410), SITE_URLS[name]
    if response.status_code == 302:
        assert not response["Location"].startswith("/accounts/login/"), SITE_URLS[name]


def test_only_public_and_private_link_pages_are_marked_public():
    expected = {n for n, a in ACCESS.items() if a != MEMBERS}
    assert expected | ANSWER_VISITORS_THEMSELVES == MARKED_PUBLIC


@pytest.mark.parametrize("name", sorted(set(SITE_URLS) - MARKED_PUBLIC))
def test_every_page_not_marked_public_redirects_visitors_to_sign_in(cast, name):
    client = Client(raise_request_exception=False)
    for method in ("get", "post"):
        response = getattr(client, method)(SITE_URLS[name])
        assert response.status_code == 302, f"{method.upper()} {SITE_URLS[name]}"
        assert response["Location"].startswith("/accounts/login/?next="), (
            f"{method.upper()} {SITE_URLS[name]}"
        )


API_URLS = {
    name: (_sample_path(route), view)
    for route, name, view in _walk(get_resolver().url_patterns)
    if route.startswith("api/v1/")
}


def test_the_api_answers_visitors_itself_in_json(cast):
    not_marked = sorted(n for n, (_, v) in API_URLS.items() if not _is_marked_public(v))
    assert not not_marked, f"ninja's views must be left to ninja's auth: {not_marked}"
    client = Client(raise_request_exception=False)
    for path in ("/api/v1/teams", "/api/v1/targets", "/api/v1/me"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"].startswith("application/json"), path
        assert response.json(), path
