"""Writes about people: stewards, invitations, profiles and API tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.utils import timezone

from purposeful.core.middleware import cannot_write_reason
from purposeful.core.oneline import one_line
from purposeful.organisation.models import Team
from purposeful.people.models import ApiToken, Invitation, Member, token_digest
from purposeful.people.types import Actor
from purposeful.permissions import Action, allowed, check, signed_in

TOKEN_PREFIX = "pf_"


def _validate_username(username: str) -> str:
    username = username.strip()
    field = Member._meta.get_field("username")
    try:
        field.run_validators(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from None
    if not username:
        raise ValidationError({"username": "A username is required."})
    if Member.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username!r} is taken."})
    return username


def member_create(
    *,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    is_steward: bool = False,
) -> Member:
    """Create a member account; used by invitations, the CLI and the demo."""
    username = _validate_username(username)
    member = Member(
        username=username,
        email=email.strip(),
        display_name=display_name.strip(),
        is_steward=is_steward,
        # Stewards reach the Django admin; what they may change there is
        # still decided by the permission layer (see purposeful.admin).
        is_staff=is_steward,
    )
    try:
        password_validation.validate_password(password, member)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    member.set_password(password)
    member.full_clean(exclude=["password"])
    member.save()
    return member


def steward_create(*, username: str, password: str, email: str = "") -> Member:
    return member_create(
        username=username, password=password, email=email, is_steward=True
    )


def member_set_steward(*, actor: Actor, member: Member, is_steward: bool) -> Member:
    check(actor, Action.MANAGE_MEMBERS, member)
    member.is_steward = is_steward
    member.is_staff = is_steward
    member.save(update_fields=["is_steward", "is_staff"])
    return member


def member_set_active(*, actor: Actor, member: Member, is_active: bool) -> Member:
    check(actor, Action.MANAGE_MEMBERS, member)
    if member.pk == actor.pk and not is_active:
        raise ValidationError("You cannot deactivate your own account.")
    member.is_active = is_active
    member.save(update_fields=["is_active"])
    return member


def profile_update(
    *, actor: Actor, member: Member, display_name: str, email: str, about: str
) -> Member:
    check(actor, Action.CHANGE_PROFILE, member)
    member.display_name = display_name.strip()
    member.email = email.strip()
    member.about = about.strip()
    member.full_clean(exclude=["password"])
    member.save(update_fields=["display_name", "email", "about"])
    return member


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    email: str,
    as_steward: bool = False,
    teams: list[Team] | None = None,
    accept_url: str | None = None,
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and its secret key.

    The key is shown once (and e-mailed when ``accept_url`` is given, a format
    string with ``{key}``); only its digest is stored.
    """
    check(actor, Action.INVITE)
    key = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email.strip(),
        digest=token_digest(key),
        invited_by=signed_in(actor),
        as_steward=as_steward,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    if teams:
        invitation.teams.set(teams)
    if accept_url:
        from purposeful.organisation.services import organisation_get

        organisation = organisation_get()
        link = accept_url.format(key=key)
        send_mail(
            subject=one_line(f"You are invited to {organisation.name} on Purposeful"),
            message=(
                f"{actor} invites you to join {organisation.name} on Purposeful.\n\n"
                f"Choose your username and password here:\n{link}\n\n"
                f"The link works once and expires on "
                f"{invitation.expires_at:%d %B %Y}."
            ),
            from_email=None,
            recipient_list=[invitation.email],
        )
    return invitation, key


def invitation_find(*, key: str) -> Invitation | None:
    """The invitation for ``key`` if it can still be accepted."""
    invitation = Invitation.objects.filter(digest=token_digest(key)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def _join_invited_teams(invitation: Invitation, member: Member) -> None:
    """An inviter who is in a team adds the newcomer to it, as any member may;
    other teams get a request to join that their members answer."""
    from purposeful.organisation.services import team_join, team_member_add

    inviter = invitation.invited_by
    for team in invitation.teams.all():
        if inviter is not None and allowed(inviter, Action.CHANGE_TEAM, team):
            team_member_add(actor=inviter, team=team, member=member)
        else:
            team_join(
                actor=member, team=team, message=f"Invited by {inviter or 'a steward'}."
            )


@transaction.atomic
def invitation_accept(
    *, key: str, username: str, password: str, display_name: str = ""
) -> Member:
    invitation = (
        Invitation.objects.select_for_update().filter(digest=token_digest(key)).first()
    )
    if invitation is None or not invitation.is_usable:
        raise ValidationError("This invitation has expired or was already used.")
    member = member_create(
        username=username,
        password=password,
        email=invitation.email,
        display_name=display_name,
        is_steward=invitation.as_steward,
    )
    _join_invited_teams(invitation, member)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = member
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


def token_create(*, actor: Actor, member: Member, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the raw token is returned once, never stored."""
    check(actor, Action.MANAGE_TOKENS, member)
    name = name.strip() or "API token"
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        member=member, name=name[:100], digest=token_digest(raw), prefix=raw[:10]
    )
    return token, raw


def token_revoke(*, actor: Actor, token: ApiToken) -> None:
    check(actor, Action.MANAGE_TOKENS, token.member)
    token.delete()


def tokens_revoke_all(*, actor: Actor, member: Member) -> int:
    """Revoke every API token of ``member``; returns how many stopped working."""
    check(actor, Action.MANAGE_TOKENS, member)
    tokens = list(member.api_tokens.all())
    for token in tokens:
        token.delete()  # one by one, so the audit log records each
    return len(tokens)


def password_reset_allowed(*, email: str, client: str) -> bool:
    """Whether one more password-reset e-mail may go out for ``email``.

    Counted per address asked for and per client address, whether or not an
    account has that address, so the limit tells nobody which addresses exist.
    """
    from purposeful.core import ratelimit

    limit, window = settings.PASSWORD_RESET_RATE_LIMIT
    by_email = ratelimit.count("password-reset:email", email, window=window)
    by_client = ratelimit.count(
        "password-reset:client", client or "unknown", window=window
    )
    return by_email <= limit and by_client <= limit


def token_authenticate(raw: str) -> Member | None:
    """The active member a raw token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("member")
        .filter(digest=token_digest(raw))
        .first()
    )
    if token is None or not token.member.is_active:
        return None
    now = timezone.now()
    # Recording every use would turn each API read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        try:
            with transaction.atomic():
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        except DatabaseError as error:
            # a full disk or a read-only database must not stop the reads
            if cannot_write_reason(error) is None:
                raise
    return token.member
