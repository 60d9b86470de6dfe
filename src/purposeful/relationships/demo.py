"""Demo customers for Wheelhouse: forty accounts across the four teams.

Written with bulk inserts so the whole demo still loads in a few seconds.
"""

from __future__ import annotations

import random
from datetime import timedelta

from purposeful.relationships.models import (
    Account,
    Contact,
    Conversation,
    Handover,
    Referral,
)

PERSON, ORG = Account.Kind.PERSON, Account.Kind.ORGANISATION

# team slug: [(name, kind, notes, [(contact name, email, phone, consent)])]
ACCOUNTS = {
    "workshop": [
        (
            "Riverside Bakery",
            ORG,
            "Three delivery bikes with hub gears; service every spring.",
            [
                ("Ana Lopez", "ana@riverside-bakery.example", "+49 30 5550 1201", True),
                ("Ben Kraus", "ben@riverside-bakery.example", "", False),
            ],
        ),
        (
            "Hannah Schulz",
            PERSON,
            "Rides a 1984 steel tourer; wants to keep it original.",
            [
                (
                    "Hannah Schulz",
                    "hannah.schulz@mail.example",
                    "+49 151 5550 3344",
                    True,
                )
            ],
        ),
        (
            "Canal Street Dental Practice",
            ORG,
            "Staff bikes, four of them.",
            [
                (
                    "Dr. Irene Fuchs",
                    "praxis@canal-dental.example",
                    "+49 30 5550 8890",
                    True,
                )
            ],
        ),
        (
            "Greenway Housing Co-op",
            ORG,
            "Shared bike room with 60 bikes; yearly check day.",
            [
                ("Paul Adeyemi", "bikes@greenway-coop.example", "", True),
                (
                    "Lisa Brandt",
                    "lisa@greenway-coop.example",
                    "+49 30 5550 4411",
                    False,
                ),
            ],
        ),
        (
            "Tomasz Wójcik",
            PERSON,
            "Commutes 18 km a day; wears out chains fast.",
            [("Tomasz Wójcik", "tomasz.w@mail.example", "", True)],
        ),
        (
            "Café Lindgren",
            ORG,
            "Cargo trike for deliveries.",
            [("Elin Lindgren", "hej@cafe-lindgren.example", "+49 30 5550 7001", True)],
        ),
        (
            "Nordlicht Bookshop",
            ORG,
            "Owner's e-bike with a mid motor.",
            [("Jan Petersen", "jan@nordlicht-books.example", "", False)],
        ),
        (
            "Jamal Reed",
            PERSON,
            "Student, tight budget, keen to learn.",
            [("Jamal Reed", "jamal.reed@uni.example", "", True)],
        ),
        (
            "Ruth Adebayo",
            PERSON,
            "Tandem with her daughter.",
            [("Ruth Adebayo", "ruth.a@mail.example", "+49 160 5550 2231", True)],
        ),
        (
            "Kiosk am Kanal",
            ORG,
            "Two old city bikes used for errands.",
            [("Murat Demir", "", "+49 30 5550 6612", False)],
        ),
    ],
    "mobile-repair": [
        (
            "City Library",
            ORG,
            "Staff bike pool of twelve; we visit every other month.",
            [
                (
                    "Claudia Renner",
                    "facilities@city-library.example",
                    "+49 30 5550 1000",
                    True,
                )
            ],
        ),
        (
            "Fresh Fork Couriers",
            ORG,
            "Fifteen delivery riders on e-bikes.",
            [
                ("Diego Santos", "fleet@freshfork.example", "+49 30 5550 3030", True),
                ("Amira Saleh", "amira@freshfork.example", "", True),
            ],
        ),
        (
            "Harbour Logistics",
            ORG,
            "Cargo bikes for the last mile; heavy use.",
            [
                (
                    "Frank Meier",
                    "f.meier@harbour-logistics.example",
                    "+49 40 5550 1212",
                    True,
                )
            ],
        ),
        (
            "Northside Hospital",
            ORG,
            "Staff bike parking; repair day once a month.",
            [("Nurse Katrin Vogt", "mobility@northside-hospital.example", "", True)],
        ),
        (
            "Polytechnic Campus",
            ORG,
            "Visits during term weeks at the main gate.",
            [("Ole Hansen", "green-office@poly.example", "+49 30 5550 4545", True)],
        ),
        (
            "Town Hall Bike Pool",
            ORG,
            "Ten service bikes for staff.",
            [("Brigitte Lang", "b.lang@townhall.example", "+49 30 5550 2000", True)],
        ),
        (
            "Sunrise Care Home",
            ORG,
            "Two adapted trikes for residents.",
            [("Yusuf Kaya", "yusuf@sunrise-care.example", "", True)],
        ),
        (
            "Maple Office Park",
            ORG,
            "Quarterly repair mornings in the courtyard.",
            [("Nadia Petrova", "office@maple-park.example", "+49 30 5550 8080", False)],
        ),
        (
            "Velo Pizza",
            ORG,
            "Three delivery bikes, one cargo.",
            [("Luca Romano", "luca@velopizza.example", "+49 30 5550 9191", True)],
        ),
        (
            "Oakfield Secondary School",
            ORG,
            "Bike check before the summer trip.",
            [("Mr. David Clarke", "d.clarke@oakfield-school.example", "", True)],
        ),
    ],
    "refurbish-rent": [
        (
            "Aisha Rahman",
            PERSON,
            "Bought a refurbished Gazelle; 2-year guarantee.",
            [("Aisha Rahman", "aisha.r@mail.example", "", True)],
        ),
        (
            "Lukas Meyer",
            PERSON,
            "Rents a city bike by the month.",
            [("Lukas Meyer", "lukas.meyer@mail.example", "+49 176 5550 1414", True)],
        ),
        (
            "Sofia Costa",
            PERSON,
            "Looking for a small-frame road bike.",
            [("Sofia Costa", "sofia.costa@mail.example", "", True)],
        ),
        (
            "Students' Union",
            ORG,
            "Semester rentals for international students.",
            [
                (
                    "Priyanka Das",
                    "welfare@students-union.example",
                    "+49 30 5550 7777",
                    True,
                )
            ],
        ),
        (
            "Welcome Centre",
            ORG,
            "Bikes for newcomers, paid by a city grant.",
            [
                (
                    "Hassan Al-Amin",
                    "hassan@welcome-centre.example",
                    "+49 30 5550 1919",
                    True,
                ),
                ("Eva Lorenz", "eva@welcome-centre.example", "", True),
            ],
        ),
        (
            "Greta Holm",
            PERSON,
            "Donated four bikes from her late father's garage.",
            [("Greta Holm", "greta.holm@mail.example", "", False)],
        ),
        (
            "Daniel Okoye",
            PERSON,
            "Rents a cargo bike on weekends.",
            [("Daniel Okoye", "daniel.okoye@mail.example", "+49 157 5550 6060", True)],
        ),
        (
            "Marta Nowak",
            PERSON,
            "Bought a child seat and a refurbished Batavus.",
            [("Marta Nowak", "marta.nowak@mail.example", "", True)],
        ),
        (
            "Family Bergström",
            PERSON,
            "Wants a long-tail for two children.",
            [("Karin Bergström", "karin@bergstrom.example", "", True)],
        ),
        (
            "Youth Club East",
            ORG,
            "Ten refurbished bikes for the club's rides.",
            [
                (
                    "Kemal Yilmaz",
                    "kemal@youthclub-east.example",
                    "+49 30 5550 5050",
                    True,
                )
            ],
        ),
    ],
    "learning-lab": [
        (
            "St. Anne's Primary School",
            ORG,
            "Cycling skills for year four.",
            [("Mrs. Joan Miller", "office@st-annes.example", "+49 30 5550 3100", True)],
        ),
        (
            "Women on Wheels",
            ORG,
            "Monthly women's workshop night.",
            [("Leila Haddad", "hello@womenonwheels.example", "", True)],
        ),
        (
            "Senior Citizens' Centre",
            ORG,
            "Gentle e-bike course.",
            [
                (
                    "Werner Koch",
                    "werner@seniors-centre.example",
                    "+49 30 5550 4141",
                    True,
                )
            ],
        ),
        (
            "Scout Troop 12",
            ORG,
            "Puncture repair badge afternoons.",
            [("Ingrid Berg", "troop12@scouts.example", "", True)],
        ),
        (
            "Eastside Community Centre",
            ORG,
            "Open repair café once a month.",
            [("Samuel Mensah", "samuel@eastside-cc.example", "+49 30 5550 2323", True)],
        ),
        (
            "Mia Fischer",
            PERSON,
            "Took the evening course; wants the advanced one.",
            [("Mia Fischer", "mia.fischer@mail.example", "", True)],
        ),
        (
            "University Sustainability Office",
            ORG,
            "Bike maintenance for staff.",
            [
                (
                    "Dr. Tobias Wendt",
                    "sustainability@uni.example",
                    "+49 30 5550 9000",
                    True,
                )
            ],
        ),
        (
            "Library Makerspace",
            ORG,
            "Tools corner and a wheel-truing stand.",
            [("Nina Roth", "makerspace@city-library.example", "", True)],
        ),
        (
            "Hillside Parents' Association",
            ORG,
            "Safe routes to school workshop.",
            [("Olga Ivanova", "parents@hillside.example", "", False)],
        ),
        (
            "Refugee Law Clinic",
            ORG,
            "Learn-to-ride sessions for adults.",
            [("Amadou Diallo", "amadou@law-clinic.example", "+49 30 5550 8181", True)],
        ),
    ],
}

CONVERSATIONS = {
    "workshop": [
        (
            "visit",
            "Dropped the bike off; hub gear slips in third. Quoted a service, not a new hub.",
        ),
        ("call", "Called to say the part arrived; they collect on Friday."),
        (
            "email",
            "Sent photos of the worn chainrings; agreed to replace the chain first and see.",
        ),
        ("visit", "Collected the bike; showed them how to check tyre pressure."),
        ("call", "Asked whether we can fit mudguards that keep the original look."),
        (
            "meeting",
            "Walked through the shared bike room; twelve bikes need brake pads.",
        ),
    ],
    "mobile-repair": [
        ("visit", "Repair morning on site: nine bikes, mostly brakes and lights."),
        ("call", "Planned the next visit; they want us before the winter."),
        ("email", "Sent the list of bikes we could not fix on the spot."),
        ("meeting", "Met the fleet lead: downtime costs them more than parts."),
        ("visit", "Replaced two e-bike batteries' connectors; advised on charging."),
    ],
    "refurbish-rent": [
        ("visit", "Test rode three bikes; the 49 cm frame fits best."),
        ("call", "Rental renewed for another month; asked about buying it."),
        ("email", "Sent the guarantee terms and the service booklet."),
        ("meeting", "Talked through what the newcomers need: locks and lights first."),
        ("visit", "Picked up donated bikes; two are good for parts only."),
    ],
    "learning-lab": [
        ("meeting", "Planned four sessions; the teachers want a handout for parents."),
        ("call", "Asked for a course in the morning rather than evenings."),
        ("email", "Sent the course dates and what to bring."),
        ("visit", "Ran the puncture session; twenty children, every tube fixed."),
        (
            "meeting",
            "Reviewed the last course together; more time for brakes next time.",
        ),
    ],
}

HANDOVERS = [
    # account, from, to, reason, state, response, proposer, decider, days ago
    (
        "Oakfield Secondary School",
        "mobile-repair",
        "learning-lab",
        "They asked for a maintenance course for their pupils, not just our visits.",
        Handover.State.ACCEPTED,
        "Gladly: it fits our schools programme.",
        "mei",
        "noor",
        60,
    ),
    (
        "Harbour Logistics",
        "mobile-repair",
        "workshop",
        "Their cargo bikes need frame work on the bench, which the van cannot do.",
        Handover.State.PROPOSED,
        "",
        "jonas",
        None,
        3,
    ),
    (
        "Greta Holm",
        "refurbish-rent",
        "workshop",
        "She wants her father's racing bike restored rather than sold.",
        Handover.State.DECLINED,
        "We'd love to, but we cannot source the tubulars; "
        "let's ask Kofi to advise her instead.",
        "priya",
        "lena",
        20,
    ),
]

REFERRALS = [
    (
        "Jamal Reed",
        "Open Bike Kitchen",
        "He wants to learn to fix it himself for free; their Thursday sessions suit him.",
        "lena",
        40,
    ),
    (
        "Family Bergström",
        "Cargo Collective",
        "A long-tail for two children is their speciality; we only refurbish standard frames.",
        "fatima",
        25,
    ),
    (
        "Velo Pizza",
        "Cargo Collective",
        "Their cargo bike needs a new box built; Cargo Collective builds them.",
        "mei",
        15,
    ),
    (
        "Fresh Fork Couriers",
        "Pedal Post",
        "Riders asked for a courier-bike fitting; Pedal Post knows those bikes inside out.",
        "jonas",
        8,
    ),
]


def load(context) -> None:
    rng = random.Random(5)
    now = context.now
    teams, members = context.teams, context.members
    accounts = []
    for slug, rows in ACCOUNTS.items():
        for name, kind, notes, _contacts in rows:
            created = now - timedelta(days=rng.randint(90, 700))
            accounts.append(
                Account(
                    name=name,
                    kind=kind,
                    team=teams[slug],
                    notes=notes,
                    created_at=created,
                    updated_at=now - timedelta(days=rng.randint(0, 60)),
                )
            )
    accounts = Account.objects.bulk_create(accounts)
    by_name = {account.name: account for account in accounts}

    contacts = []
    for rows in ACCOUNTS.values():
        for name, _kind, _notes, people in rows:
            account = by_name[name]
            for person, email, phone, consent in people:
                contacts.append(
                    Contact(
                        account=account,
                        name=person,
                        email=email,
                        phone=phone,
                        consents_to_contact=consent,
                        consent_recorded_at=account.created_at if consent else None,
                        created_at=account.created_at,
                    )
                )
    contacts = Contact.objects.bulk_create(contacts)
    first_contact: dict[int, Contact] = {}
    for contact in contacts:
        first_contact.setdefault(contact.account_id, contact)

    team_members = {
        slug: list(team.members.order_by("username")) for slug, team in teams.items()
    }
    conversations = []
    for account in accounts:
        slug = account.team.slug
        for _ in range(rng.randint(2, 5)):
            talk_kind, summary = rng.choice(CONVERSATIONS[slug])
            when = now - timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 8))
            conversations.append(
                Conversation(
                    account=account,
                    kind=talk_kind,
                    summary=summary,
                    member=rng.choice(team_members[slug]),
                    contact=first_contact.get(account.pk),
                    happened_at=when,
                    created_at=when,
                )
            )
    Conversation.objects.bulk_create(conversations)

    for name, src, dst, reason, state, response, proposer, decider, days in HANDOVERS:
        account = by_name[name]
        proposed_at = now - timedelta(days=days)
        Handover.objects.create(
            account=account,
            from_team=teams[src],
            to_team=teams[dst],
            reason=reason,
            state=state,
            response=response,
            proposed_by=members[proposer],
            proposed_at=proposed_at,
            decided_by=members[decider] if decider else None,
            decided_at=proposed_at + timedelta(days=2) if decider else None,
        )
        if state == Handover.State.ACCEPTED:
            account.team = teams[dst]
            account.save(update_fields=["team"])

    Referral.objects.bulk_create(
        Referral(
            account=by_name[name],
            ally=context.allies.get(ally),
            ally_name=ally,
            reason=reason,
            referred_by=members[who],
            created_at=now - timedelta(days=days),
        )
        for name, ally, reason, who, days in REFERRALS
    )
