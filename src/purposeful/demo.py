"""A realistic demo organisation: Wheelhouse, a bicycle-repair cooperative.

Loading is idempotent and refuses to touch a database that holds a real
organisation. Later parts of the product add their demo records in ``load``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from purposeful.organisation.models import (
    Ally,
    Membership,
    Organisation,
    PurposeVersion,
    Role,
    Team,
)
from purposeful.people.models import Member

SAMPLE_USERNAME = "amara"

ORGANISATION = {
    "name": "Wheelhouse Cycle Cooperative",
    "tagline": "A worker-owned bicycle workshop: repairs, refurbished bikes and repair skills.",
    "website": "https://wheelhouse.example",
    "contact_email": "hello@wheelhouse.example",
}

PURPOSE_VERSIONS = [
    (
        "Repair bicycles well and at a fair price.",
        "Our first purpose, written when the workshop opened.",
        "kofi",
    ),
    (
        "Keep every bicycle in our city riding for as long as it can, so that getting "
        "around is cheap, clean and joyful for everyone — and teach people to care "
        "for their own bikes.",
        "We do more than repairs now: refurbished bikes and courses belong to the same "
        "purpose, and we want fewer bikes to end up as scrap.",
        "amara",
    ),
]

# username, display name, about, steward
MEMBERS = [
    (
        "amara",
        "Amara Okafor",
        "Wheel builder; also keeps the installation running.",
        True,
    ),
    ("kofi", "Kofi Mensah", "Co-founder. Frames, forks and the hard cases.", False),
    ("lena", "Lena Vogel", "Hub gears and e-bike motors.", False),
    ("tomas", "Tomás Ruiz", "Brakes, bearings and the parts shelf.", False),
    ("mei", "Mei Chen", "Rides the repair van to offices and schools.", False),
    ("jonas", "Jonas Berg", "Mobile repair and fleet care for delivery riders.", False),
    (
        "priya",
        "Priya Nair",
        "Rescues bikes from basements and gives them a second life.",
        False,
    ),
    ("oskar", "Oskar Lind", "Refurbishing and the rental fleet.", True),
    (
        "fatima",
        "Fatima Haddad",
        "Sizing, fitting and finding the right bike for people.",
        False,
    ),
    ("sam", "Sam Taylor", "Runs the evening repair courses.", False),
    (
        "noor",
        "Noor Aziz",
        "Teaches in schools and runs the women's workshop nights.",
        False,
    ),
    ("elias", "Elias Weber", "Writes our course material and the newsletter.", False),
]

# name, purpose, members, roles: (name, kind, purpose, accountabilities, holders)
TEAMS = [
    (
        "Workshop",
        "Repairs in our shop on Canal Street: honest diagnosis, repair over "
        "replacement, and the parts we'd put on our own bikes.",
        ["kofi", "lena", "tomas", "amara"],
        [
            (
                "Customer link",
                Role.Kind.CUSTOMER_LINK,
                "Be the customer's person in the workshop.",
                "Talk with customers at the counter and on the phone\n"
                "Bring their issues and ideas to the team meeting\n"
                "Tell customers what became of what they told us",
                ["lena"],
            ),
            (
                "Parts buyer",
                Role.Kind.CUSTOM,
                "Keep the parts we need in stock without waste.",
                "Choose durable, repairable parts\nKeep the second-hand parts shelf sorted",
                ["tomas"],
            ),
        ],
    ),
    (
        "Mobile Repair",
        "We come to people: offices, schools and delivery riders, so a flat tyre "
        "never means leaving the bike behind.",
        ["mei", "jonas"],
        [
            (
                "Customer link",
                Role.Kind.CUSTOMER_LINK,
                "Be the contact for the workplaces and fleets we visit.",
                "Plan visits with our customers\nFeed back what riders need",
                ["mei"],
            ),
            (
                "Van keeper",
                Role.Kind.CUSTOM,
                "Keep the van safe, stocked and on time.",
                "Service the van\nRestock tools and parts after each round",
                ["jonas"],
            ),
        ],
    ),
    (
        "Refurbish & Rent",
        "Bikes rescued from basements, refurbished to ride for years, sold with a "
        "guarantee or rented by the month.",
        ["priya", "oskar", "fatima"],
        [
            (
                "Customer link",
                Role.Kind.CUSTOMER_LINK,
                "Help each person find a bike that fits them and their life.",
                "Answer questions from buyers and renters\n"
                "Pass on what people look for and cannot find",
                ["fatima"],
            ),
            (
                "Bike rescuer",
                Role.Kind.CUSTOM,
                "Find bikes that would otherwise be scrapped.",
                "Collect donated bikes\nWork with housing co-ops on abandoned bikes",
                ["priya"],
            ),
        ],
    ),
    (
        "Learning Lab",
        "Courses and open workshop nights so people can look after their own bikes.",
        ["sam", "noor", "elias"],
        [
            (
                "Customer link",
                Role.Kind.CUSTOMER_LINK,
                "Stay in touch with learners, schools and community groups.",
                "Answer course questions\nCollect what learners wish we taught",
                ["noor"],
            ),
            (
                "Course keeper",
                Role.Kind.CUSTOM,
                "Keep our course material clear and current.",
                "Update handouts\nPlan the course calendar",
                ["elias", "sam"],
            ),
        ],
    ),
]

ALLIES = [
    (
        "Open Bike Kitchen",
        "https://openbikekitchen.example",
        "A volunteer-run DIY workshop: tools and help for people who want to fix "
        "their bike themselves, free of charge.",
        "Ines at the Thursday evening session",
    ),
    (
        "Cargo Collective",
        "https://cargocollective.example",
        "Build and service cargo bikes for families and small businesses; better "
        "than us at anything with a box on the front.",
        "workshop@cargocollective.example",
    ),
    (
        "Pedal Post",
        "https://pedalpost.example",
        "A bicycle courier cooperative; they know delivery bikes inside out.",
        "dispatch@pedalpost.example",
    ),
]


class RealOrganisationError(Exception):
    """The database already holds an organisation that is not the demo."""


def usernames() -> list[str]:
    return [username for username, *_ in MEMBERS]


@transaction.atomic
def load(*, password: str) -> bool:
    """Load the demo; returns False when it was already there."""
    existing = Organisation.objects.order_by("pk").first()
    if existing is not None and existing.is_demo:
        return False
    if existing is not None or Member.objects.exists():
        name = existing.name if existing else "it has members"
        raise RealOrganisationError(
            f"this data directory holds a real organisation ({name}); the demo is "
            "never mixed into it — set PURPOSEFUL_DATA_DIR to an empty folder"
        )

    now = timezone.now()
    organisation = Organisation.objects.create(is_demo=True, **ORGANISATION)
    members = {}
    for username, name, about, is_steward in MEMBERS:
        member = Member(
            username=username,
            display_name=name,
            about=about,
            email=f"{username}@wheelhouse.example",
            is_steward=is_steward,
            is_staff=is_steward,
        )
        member.set_password(password)
        member.save()
        members[username] = member

    for number, (text, reason, author) in enumerate(PURPOSE_VERSIONS, start=1):
        PurposeVersion.objects.create(
            organisation=organisation,
            number=number,
            text=text,
            reason=reason,
            author=members[author],
            created_at=now
            - timedelta(days=400 * (len(PURPOSE_VERSIONS) - number) + 30),
        )

    for name, purpose, team_members, roles in TEAMS:
        team = Team.objects.create(
            name=name,
            slug=_slug(name),
            purpose=purpose,
            created_at=now - timedelta(days=500),
        )
        for username in team_members:
            Membership.objects.create(team=team, member=members[username])
        for role_name, kind, role_purpose, accountabilities, holders in roles:
            role = Role.objects.create(
                team=team,
                name=role_name,
                kind=kind,
                purpose=role_purpose,
                accountabilities=accountabilities,
            )
            role.holders.set([members[h] for h in holders])

    allies = {}
    for name, website, does_well, contact in ALLIES:
        allies[name] = Ally.objects.create(
            name=name, website=website, does_well=does_well, contact=contact
        )
    _load_parts(
        DemoContext(
            organisation=organisation,
            members=members,
            teams={team.slug: team for team in Team.objects.all()},
            allies=allies,
            now=now,
        )
    )
    return True


@dataclass
class DemoContext:
    """What the foundation's demo created, handed to each part's demo loader."""

    organisation: Organisation
    members: dict[str, Member]  # by username
    teams: dict[str, Team]  # by slug
    allies: dict[str, Ally]  # by name
    now: datetime


def _load_parts(context: DemoContext) -> None:
    """Each app may ship ``demo.py`` with ``load(context)`` to add its demo records."""
    for app in apps.get_app_configs():
        if not app.name.startswith("purposeful."):
            continue
        try:
            module = import_module(f"{app.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.demo":
                raise
            continue
        module.load(context)


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)
