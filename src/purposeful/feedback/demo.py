"""Demo signals for Wheelhouse: about 150, in every state, in all four inboxes.

Bulk inserts keep the demo quick to load.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from purposeful.feedback.models import (
    FeedbackSettings,
    Reply,
    Signal,
    SignalEvent,
    Tag,
)
from purposeful.people.models import token_digest
from purposeful.relationships.models import Account

K = Signal.Kind
S = Signal.State

# team slug: [(kind, words, tags)]
WORDS = {
    "workshop": [
        (
            K.ISSUE,
            "The hub gear slips again two weeks after the service.",
            ["hub gears"],
        ),
        (K.ISSUE, "My brakes squeal in the rain since the new pads.", ["brakes"]),
        (
            K.QUESTION,
            "Can you fit mudguards that keep the original look of a steel tourer?",
            ["parts"],
        ),
        (
            K.NEED,
            "I need the bike back the same day, I have no other way to work.",
            ["waiting time"],
        ),
        (
            K.PRAISE,
            "You explained why a new chain was enough instead of a whole drivetrain. Thank you!",
            ["honesty"],
        ),
        (
            K.OPPORTUNITY,
            "Would you open on Saturday mornings? Many of us work weekdays.",
            ["opening hours"],
        ),
        (
            K.ISSUE,
            "The quote was 40 euros, the bill was 65. Nobody called me.",
            ["pricing"],
        ),
        (
            K.QUESTION,
            "Do you repair e-bike motors, or only the mechanical parts?",
            ["e-bikes"],
        ),
        (
            K.NEED,
            "A loan bike while mine is in the shop would help a lot.",
            ["waiting time"],
        ),
        (K.PRAISE, "The second-hand parts shelf saved my old Peugeot.", ["parts"]),
    ],
    "mobile-repair": [
        (
            K.NEED,
            "Our riders lose a day's pay when a bike is off the road.",
            ["fleet", "downtime"],
        ),
        (K.ISSUE, "The van came an hour late and half the staff had left.", ["visits"]),
        (
            K.OPPORTUNITY,
            "The hospital next door would also like repair days.",
            ["new customers"],
        ),
        (
            K.PRAISE,
            "Nine bikes fixed in one morning in our courtyard — brilliant.",
            ["visits"],
        ),
        (
            K.QUESTION,
            "Can you service our cargo bikes on site, or only standard bikes?",
            ["cargo bikes"],
        ),
        (
            K.NEED,
            "We need lights checked before the clocks change.",
            ["lights", "safety"],
        ),
        (
            K.ISSUE,
            "The e-bike battery connector failed again after your visit.",
            ["e-bikes"],
        ),
        (
            K.OPPORTUNITY,
            "Could riders book a slot online instead of queueing?",
            ["booking"],
        ),
    ],
    "refurbish-rent": [
        (
            K.NEED,
            "I'm 1.55 m tall and cannot find a road bike small enough.",
            ["sizing"],
        ),
        (
            K.QUESTION,
            "Can I buy the bike I have been renting and count the rent?",
            ["rent to buy"],
        ),
        (
            K.PRAISE,
            "My refurbished Gazelle rides better than my neighbour's new one.",
            ["refurbished"],
        ),
        (K.ISSUE, "The rental lock key broke in the lock.", ["locks"]),
        (
            K.OPPORTUNITY,
            "Newcomers at our centre would rent twenty bikes if the price were lower.",
            ["pricing", "community"],
        ),
        (K.NEED, "We need a child seat that fits on a rental bike.", ["family"]),
        (
            K.QUESTION,
            "Do you take donations of old bikes that do not ride any more?",
            ["donations"],
        ),
        (
            K.ISSUE,
            "The gears on my rental were badly adjusted when I picked it up.",
            ["quality"],
        ),
    ],
    "learning-lab": [
        (
            K.NEED,
            "Could you run the course in the morning? Evenings are hard with kids.",
            ["course times"],
        ),
        (
            K.PRAISE,
            "My daughter fixed her own puncture after your school session!",
            ["schools"],
        ),
        (
            K.OPPORTUNITY,
            "Our seniors' group wants a gentle e-bike course.",
            ["e-bikes", "seniors"],
        ),
        (K.QUESTION, "Is there an advanced course on wheel truing?", ["courses"]),
        (
            K.ISSUE,
            "The handout for the brakes session had the wrong pictures.",
            ["material"],
        ),
        (
            K.NEED,
            "We would like the course in Arabic or with an interpreter.",
            ["languages"],
        ),
        (
            K.OPPORTUNITY,
            "The library makerspace could host a monthly open workshop.",
            ["community"],
        ),
        (
            K.PRAISE,
            "The women's night is the friendliest workshop in town.",
            ["women's night"],
        ),
    ],
}

SENDERS = [
    ("Robin Keller", "robin.keller@mail.example"),
    ("Aylin Yıldız", "aylin.y@mail.example"),
    ("Chris Obi", "chris.obi@mail.example"),
    ("Maja Kowalska", ""),
    ("", "anon.rider@mail.example"),
    ("Pedro Alves", "pedro.alves@mail.example"),
]

# keyed by the state a signal is in (a TextChoices member is its str value)
REPLIES: dict[str, str] = {
    S.ACKNOWLEDGED: "Thank you for telling us. We talked about it in the team meeting and "
    "will come back to you this week.",
    S.IN_PROGRESS: "We are on it: we ordered what we need and will let you know when it is done.",
    S.DONE: "This is sorted now. Thank you for telling us — it made our work better.",
    S.DECLINED: "Thank you for the idea. We thought about it carefully; the reason we "
    "won't do it now is below.",
}

DECLINE_REASONS = [
    "We cannot open on Saturdays without burning ourselves out; we open late on Thursdays instead.",
    "A cheaper rental would mean worse bikes; we'd rather point you to the city's grant.",
    "We don't have the tools for this safely; an ally does it better.",
    "It is a duplicate of a request we are already working on.",
]

# how many signals per state, out of ~150
STATE_PLAN = (
    [S.NEW] * 32
    + [S.ACKNOWLEDGED] * 30
    + [S.IN_PROGRESS] * 24
    + [S.DONE] * 44
    + [S.DECLINED] * 20
)

PATHS: dict[str, list[Signal.State]] = {
    S.NEW: [],
    S.ACKNOWLEDGED: [S.ACKNOWLEDGED],
    S.IN_PROGRESS: [S.ACKNOWLEDGED, S.IN_PROGRESS],
    S.DONE: [S.ACKNOWLEDGED, S.IN_PROGRESS, S.DONE],
    S.DECLINED: [S.ACKNOWLEDGED, S.DECLINED],
}


def load(context) -> None:
    rng = random.Random(15)
    now = context.now
    teams = context.teams
    FeedbackSettings.objects.update_or_create(
        pk=1, defaults={"general_team": teams["workshop"]}
    )
    accounts = {
        slug: list(Account.objects.filter(team=team).order_by("name"))
        for slug, team in teams.items()
    }
    offers = _published_offers()
    team_members = {
        slug: list(team.members.order_by("username")) for slug, team in teams.items()
    }
    slugs = list(WORDS)
    states = STATE_PLAN[:]
    rng.shuffle(states)
    signals, paths = [], []
    for n, state in enumerate(states):
        slug = slugs[n % len(slugs)]
        kind, words, tags = rng.choice(WORDS[slug])
        source = rng.choice(
            [Signal.Source.CONVERSATION] * 3
            + [Signal.Source.PUBLIC_FORM] * 2
            + [Signal.Source.EMAIL, Signal.Source.IMPORT]
        )
        created = now - timedelta(days=rng.randint(0, 240), hours=rng.randint(0, 12))
        if state == S.NEW:
            created = now - timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 12))
        signal = Signal(
            team=teams[slug],
            kind=kind,
            source=source,
            words=words,
            state=state,
            created_at=created,
            updated_at=created,
            offer=rng.choice(offers[slug])
            if offers.get(slug) and rng.random() < 0.3
            else None,
        )
        if source == Signal.Source.PUBLIC_FORM:
            name, email = rng.choice(SENDERS)
            signal.sender_name, signal.sender_email = name, email
            signal.follow_digest = token_digest(secrets.token_urlsafe(32))
        else:
            signal.account = rng.choice(accounts[slug]) if accounts[slug] else None
            signal.recorded_by = rng.choice(team_members[slug])
        if state == S.DECLINED:
            signal.decline_reason = rng.choice(DECLINE_REASONS)
        if state != S.NEW and rng.random() < 0.6:
            signal.assignee = rng.choice(team_members[slug])
        signals.append(signal)
        paths.append((slug, tags))
    signals = Signal.objects.bulk_create(signals)

    tag_objects: dict[str, Tag] = {}
    for _, tags in paths:
        for tag in tags:
            tag_objects.setdefault(tag, Tag(name=tag))
    Tag.objects.bulk_create(tag_objects.values())
    tag_ids = dict(Tag.objects.values_list("name", "pk"))
    through = Signal.tags.through
    through.objects.bulk_create(
        through(signal_id=signal.pk, tag_id=tag_ids[tag])
        for signal, (_, tags) in zip(signals, paths, strict=True)
        for tag in tags
    )

    events, replies = [], []
    for signal, (slug, _) in zip(signals, paths, strict=True):
        events.append(
            SignalEvent(
                signal=signal,
                kind=SignalEvent.Kind.RECEIVED,
                actor=signal.recorded_by,
                state=S.NEW,
                created_at=signal.created_at,
            )
        )
        when = signal.created_at
        for step in PATHS[signal.state]:
            when = when + timedelta(hours=rng.randint(2, 72))
            events.append(
                SignalEvent(
                    signal=signal,
                    kind=SignalEvent.Kind.STATE,
                    actor=rng.choice(team_members[slug]),
                    state=step,
                    note=signal.decline_reason if step == S.DECLINED else "",
                    created_at=min(when, now),
                )
            )
        if signal.source == Signal.Source.PUBLIC_FORM and signal.state != S.NEW:
            replies.append(
                Reply(
                    signal=signal,
                    author=rng.choice(team_members[slug]),
                    text=REPLIES[signal.state],
                    created_at=min(when + timedelta(hours=1), now),
                    emailed_at=min(when + timedelta(hours=1), now)
                    if signal.sender_email
                    else None,
                )
            )
    SignalEvent.objects.bulk_create(events)
    Reply.objects.bulk_create(replies)
    _merge_a_few(signals, now)


def _merge_a_few(signals: list[Signal], now) -> None:
    """Two open duplicates folded into an earlier signal with the same words."""
    by_words: dict[tuple[int, str], Signal] = {}
    merged = 0
    for signal in sorted(signals, key=lambda s: s.created_at):
        key = (signal.team_id, signal.words)
        first = by_words.get(key)
        if first is None:
            by_words[key] = signal
            continue
        if merged >= 3 or signal.state != S.NEW or first.state == S.NEW:
            continue
        Signal.objects.filter(pk=signal.pk).update(merged_into=first)
        SignalEvent.objects.bulk_create(
            [
                SignalEvent(
                    signal=signal,
                    kind=SignalEvent.Kind.MERGED,
                    state=signal.state,
                    note=f"into signal #{first.pk}",
                    created_at=now,
                ),
                SignalEvent(
                    signal=first,
                    kind=SignalEvent.Kind.MERGED,
                    state=first.state,
                    note=f"signal #{signal.pk} joined",
                    created_at=now,
                ),
            ]
        )
        merged += 1


def _published_offers() -> dict[str, list]:
    from purposeful.offers.models import Offer

    offers: dict[str, list] = {}
    for offer in Offer.objects.filter(state=Offer.State.PUBLISHED).select_related(
        "team"
    ):
        offers.setdefault(offer.team.slug, []).append(offer)
    return offers
