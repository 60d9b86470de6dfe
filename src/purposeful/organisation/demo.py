"""Demo for teams: a colleague waiting for an answer to their request to join."""

from __future__ import annotations

from datetime import timedelta

from purposeful.organisation.models import JoinRequest, MembershipChange

ASKING = [
    (
        "tomas",
        "mobile-repair",
        "I'd like to ride along on Fridays and take the brake jobs.",
    ),
]


def load(context) -> None:
    for username, slug, message in ASKING:
        member, team = context.members[username], context.teams[slug]
        when = context.now - timedelta(hours=20)
        JoinRequest.objects.create(
            team=team, member=member, message=message, created_at=when
        )
        # bulk_create saves no signal: loading the demo e-mails no one
        MembershipChange.objects.bulk_create(
            [
                MembershipChange(
                    team=team,
                    member=member,
                    kind=MembershipChange.Kind.JOIN_ASKED,
                    by=member,
                    note=message,
                    created_at=when,
                )
            ]
        )
