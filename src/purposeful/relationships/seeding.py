"""Seed many customers, contacts and signals fast, for benchmarks and load tests.

Bulk inserts in batches, no permission checks and no history events: this is
for measuring, never for a real installation's data. Reused by the benchmarks
in ``benchmarks/`` (``benchmarks/seed.py`` is its command line).
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from purposeful.feedback.models import Signal
from purposeful.organisation.models import Membership, Organisation, Team
from purposeful.people.models import Member, token_digest
from purposeful.relationships.models import Account, Contact

TEAM_NAMES = ["Workshop", "Mobile Repair", "Refurbish & Rent", "Learning Lab"]
FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Ella",
    "Femi",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemal",
    "Lena",
    "Mei",
    "Noor",
    "Omar",
    "Pia",
    "Ravi",
    "Sara",
    "Tomás",
    "Uma",
    "Vera",
    "Wim",
    "Yara",
    "Zeno",
]
LAST = [
    "Adeyemi",
    "Berg",
    "Costa",
    "Demir",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kaya",
    "Lopez",
    "Meyer",
    "Nair",
    "Okafor",
    "Petrova",
    "Quinn",
    "Rossi",
    "Schulz",
    "Tan",
    "Ueda",
    "Vogel",
    "Wójcik",
    "Yilmaz",
]
ORG_WORDS = [
    "Riverside",
    "Harbour",
    "Canal",
    "Maple",
    "Northside",
    "Eastside",
    "Oak",
    "Linden",
    "Birch",
    "Willow",
    "Market",
    "Station",
    "Garden",
    "Hill",
    "Bridge",
    "Meadow",
]
ORG_KINDS = [
    "Bakery",
    "Café",
    "School",
    "Library",
    "Co-op",
    "Couriers",
    "Clinic",
    "Books",
    "Kitchen",
    "Studio",
    "Logistics",
    "Hostel",
    "Pharmacy",
    "Dental",
    "Practice",
    "Youth",
    "Club",
]
TOPICS = [
    "hub gear",
    "disc brakes",
    "rim brakes",
    "chain",
    "cassette",
    "wobbly wheel",
    "puncture",
    "tubeless tyre",
    "e-bike battery",
    "motor noise",
    "saddle height",
    "cargo box",
    "child seat",
    "dynamo light",
    "mudguards",
    "kickstand",
    "bell",
    "spoke",
    "bottom bracket",
    "headset",
    "derailleur",
    "brake cable",
    "frame crack",
    "rental lock",
    "course dates",
    "opening hours",
    "van visit",
    "loan bike",
]
OPENERS = [
    "Since the last service the",
    "Could you look at my",
    "Thank you for fixing the",
    "We need help with the",
    "Is it possible to replace the",
    "Our riders keep asking about the",
    "I would love a course about the",
    "Why does the",
]
CLOSERS = [
    "makes a strange noise.",
    "keeps slipping on hills.",
    "works perfectly now.",
    "broke again after a week.",
    "is hard to find in the right size.",
    "would be great for our staff.",
    "was expensive, can we talk about it?",
    "needs checking before winter.",
]
STATES = (
    [Signal.State.NEW] * 3
    + [Signal.State.ACKNOWLEDGED] * 2
    + [Signal.State.IN_PROGRESS] * 2
    + [Signal.State.DONE] * 5
    + [Signal.State.DECLINED] * 1
)
BENCH_USERNAME = "bench"


@dataclass
class SeedResult:
    accounts: int
    contacts: int
    signals: int
    seconds: float
    teams: list[str]


def _teams() -> list[Team]:
    teams = list(Team.objects.order_by("pk"))
    if teams:
        return teams
    return [Team.objects.create(name=name, slug=slugify(name)) for name in TEAM_NAMES]


def bench_member(password: str) -> Member:
    """A member in every team, to sign in with while measuring."""
    member = Member.objects.filter(username=BENCH_USERNAME).first()
    if member is None:
        member = Member(username=BENCH_USERNAME, display_name="Benchmark")
        member.set_password(password)
        member.save()
    for team in Team.objects.all():
        Membership.objects.get_or_create(team=team, member=member)
    return member


def _words(rng: random.Random) -> str:
    return f"{rng.choice(OPENERS)} {rng.choice(TOPICS)} {rng.choice(CLOSERS)}"


def seed(
    *,
    accounts: int,
    contacts: int,
    signals: int,
    batch: int = 5000,
    rng_seed: int = 1,
    progress: Any = None,
) -> SeedResult:
    """Add ``accounts`` accounts, ``contacts`` contacts and ``signals`` signals."""
    started = time.perf_counter()
    rng = random.Random(rng_seed)
    now = timezone.now()
    if not Organisation.objects.exists():
        Organisation.objects.create(name="Benchmark Cooperative")
    teams = _teams()
    say = progress or (lambda message: None)

    first_new = (
        Account.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    for start in range(0, accounts, batch):
        rows = []
        for n in range(start, min(start + batch, accounts)):
            if rng.random() < 0.4:
                name, kind = (
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    Account.Kind.PERSON,
                )
            else:
                name = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)} {n}"
                kind = Account.Kind.ORGANISATION
            created = now - timedelta(days=rng.randint(0, 1500))
            rows.append(
                Account(
                    name=name,
                    kind=kind,
                    team=teams[n % len(teams)],
                    created_at=created,
                    updated_at=created,
                )
            )
        with transaction.atomic():
            Account.objects.bulk_create(rows, batch_size=1000)
        say(f"accounts: {min(start + batch, accounts)}/{accounts}")
    account_ids = list(
        Account.objects.filter(pk__gte=first_new).values_list("pk", "team_id")
    ) or list(Account.objects.values_list("pk", "team_id"))

    for start in range(0, contacts, batch):
        contact_rows: list[Contact] = []
        for n in range(start, min(start + batch, contacts)):
            account_id, _ = account_ids[n % len(account_ids)]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            contact_rows.append(
                Contact(
                    account_id=account_id,
                    name=f"{first} {last}",
                    email=f"{slugify(first)}.{slugify(last)}.{n}@example.net",
                    consents_to_contact=rng.random() < 0.7,
                )
            )
        with transaction.atomic():
            Contact.objects.bulk_create(contact_rows, batch_size=1000)
        say(f"contacts: {min(start + batch, contacts)}/{contacts}")

    kinds = Signal.Kind.values
    sources = Signal.Source.values
    for start in range(0, signals, batch):
        signal_rows: list[Signal] = []
        for _ in range(start, min(start + batch, signals)):
            account_id, team_id = account_ids[rng.randrange(len(account_ids))]
            source = rng.choice(sources)
            created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 730))
            state = rng.choice(STATES)
            public = source == Signal.Source.PUBLIC_FORM
            signal_rows.append(
                Signal(
                    team_id=team_id,
                    kind=rng.choice(kinds),
                    source=source,
                    words=_words(rng),
                    account_id=None if public else account_id,
                    sender_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                    if public
                    else "",
                    state=state,
                    decline_reason="Not something we can do well."
                    if state == Signal.State.DECLINED
                    else "",
                    follow_digest=token_digest(secrets.token_hex(16))
                    if public
                    else None,
                    created_at=created,
                    updated_at=created,
                )
            )
        with transaction.atomic():
            Signal.objects.bulk_create(signal_rows, batch_size=1000)
        say(f"signals: {min(start + batch, signals)}/{signals}")

    return SeedResult(
        accounts=accounts,
        contacts=contacts,
        signals=signals,
        seconds=time.perf_counter() - started,
        teams=[team.slug for team in teams],
    )
