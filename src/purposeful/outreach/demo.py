"""Demo messages for Wheelhouse: a few per team, in every state, with the lens at work."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from purposeful.offers.models import Offer
from purposeful.outreach import services
from purposeful.outreach.models import Message, MessageVersion, SiteReview

LENS_SETTINGS: dict[str, Any] = {
    "competitors": ["MegaBikes", "CycleKing Superstore"],
    "allies": ["Repair Café network"],
    "grades": {"manipulation.urgency": "error"},
    "errors_block_publishing": True,
    "claims": [
        (
            "carbon neutral deliveries",
            "https://wheelhouse.example/footprint-2026",
        )
    ],
}

# team slug, author, title, channel, audience, offer slugs, versions (days ago, body),
# then the steps: ("advice", note, days ago), ("give", username, text, days ago),
# ("ready", days ago), ("publish", where, days ago)
MESSAGES: list[tuple[Any, ...]] = [
    (
        "workshop",
        "lena",
        "Spring check-up week",
        Message.Channel.NEWSLETTER,
        "Everyone who rode through the winter",
        ["honest-repair-check"],
        [
            (
                120,
                "# Spring check-up week\n\nDon't wait until it's too late: winter salt "
                "eats chains and brakes. Book now, slots are selling fast!",
            ),
            (
                95,
                "# Spring check-up week\n\nWinter salt is hard on chains and brakes. From "
                "3 to 8 April we look over bikes that rode through the winter and tell "
                "you honestly what needs doing now and what can wait.\n\nBring your bike "
                "to the workshop on Canal Street; we keep every bicycle riding as long "
                "as it can, at a fair price.",
            ),
        ],
        [
            ("advice", "Is the first version too pushy?", 118),
            ("give", "kofi", "Yes: drop 'selling fast', we have plenty of slots.", 117),
            ("ready", 94),
            ("publish", "Newsletter to 840 subscribers", 93),
        ],
    ),
    (
        "workshop",
        "tomas",
        "Winter is coming: book your brake service",
        Message.Channel.SOCIAL,
        "Followers on Mastodon and Instagram",
        [],
        [
            (
                6,
                "Only 3 slots left this week! Don't risk your safety on worn brakes "
                "before it's too late. Our mechanics are better than MegaBikes. "
                "Hurry, the offer ends at midnight on Friday.",
            ),
        ],
        [
            ("advice", "First draft, written in a hurry. Help?", 5),
            (
                "give",
                "lena",
                "The lens is right about the countdown. Could we say what we check "
                "and how long it takes instead?",
                4,
            ),
        ],
    ),
    (
        "mobile-repair",
        "mei",
        "Office bike day",
        Message.Channel.WEB,
        "Office managers and the people who cycle to work",
        ["office-bike-day"],
        [
            (
                40,
                "## Office bike day\n\nOnce a month our van parks outside your office. "
                "Your colleagues leave their bikes with us in the morning and ride home "
                "on a bike that brakes, shifts and rolls as it should.\n\nWe bring the "
                "tools and parts; you bring a parking spot and a power socket.",
            ),
        ],
        [
            ("advice", "Clear enough for office managers?", 38),
            ("give", "jonas", "Add that we sweep up after ourselves — people ask.", 37),
            ("ready", 30),
        ],
    ),
    (
        "mobile-repair",
        "jonas",
        "Fleet care for delivery riders",
        Message.Channel.EMAIL,
        "Delivery cooperatives we already work with",
        ["delivery-fleet-care"],
        [
            (
                12,
                "Hello,\n\nA flat tyre should not cost a rider their evening. From "
                "November we can service your fleet every Monday at your depot. "
                "Our ally Pedal Post has tried it for two months; ask them how it went.",
            ),
        ],
        [],
    ),
    (
        "refurbish-rent",
        "fatima",
        "A second life for basement bikes",
        Message.Channel.NEWSLETTER,
        "Neighbours with a bike gathering dust",
        ["refurbished-commuter-bike-with-2-year-guarantee"],
        [
            (
                70,
                "Turn heads on a bike you deserve! Our eco-friendly refurbished bikes "
                "are a must-have.",
            ),
            (
                60,
                "Last year we rescued 212 bikes from basements and courtyards. Each one "
                "was taken apart, cleaned and rebuilt with durable parts, and now rides "
                "with a two-year guarantee.\n\nOur carbon neutral deliveries come by "
                "cargo bike.",
            ),
        ],
        [
            ("advice", "", 69),
            (
                "give",
                "priya",
                "Say how many bikes we saved, not how people will look.",
                68,
            ),
            ("ready", 59),
            ("publish", "https://wheelhouse.example/news/basement-bikes", 58),
        ],
    ),
    (
        "refurbish-rent",
        "oskar",
        "Bike by the month",
        Message.Channel.AD,
        "Students starting in September",
        ["bike-by-the-month"],
        [
            (
                3,
                "Rent an eco-friendly bike by the month. Everyone on campus will want "
                "one — don't be left out.",
            ),
        ],
        [],
    ),
    (
        "learning-lab",
        "noor",
        "Evening repair course: autumn dates",
        Message.Channel.NEWSLETTER,
        "Past learners and people on the waiting list",
        ["evening-repair-course"],
        [
            (
                20,
                "Four Tuesday evenings, six learners, one bike each. You will learn to "
                "fix a puncture, adjust brakes and gears and keep your chain clean, so "
                "your bike keeps you riding for years.",
            ),
        ],
        [("advice", "Do the dates read clearly?", 18)],
    ),
    (
        "learning-lab",
        "sam",
        "Fix it yourself",
        Message.Channel.WEB,
        "Anyone curious about their own bike",
        [],
        [
            (
                150,
                "Become the successful rider you deserve to be. Learn from the #1 "
                "bike school in town!",
            ),
            (
                130,
                "Most repairs need only a few tools and a calm hour. Our open workshop "
                "nights are there to show you how; the Open Bike Kitchen has the same "
                "idea on Thursdays.",
            ),
        ],
        [("advice", "", 145), ("ready", 129), ("publish", "Our website, /learn", 128)],
    ),
]

SITE_PAGES: dict[str, str | bytes] = {
    "index.html": "<html><body><h1>Wheelhouse</h1><p>We keep every bicycle in our city "
    "riding as long as it can.</p></body></html>",
    "repairs.html": "<html><body><h1>Repairs</h1><p>Hurry, offer ends Sunday! Only 2 "
    "slots left.</p></body></html>",
    "shop.md": "# Refurbished bikes\n\nEco-friendly bikes, better than MegaBikes.",
    "courses.md": "# Courses\n\nFour evenings, six learners, one bike each.",
    "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
}


def load(context: Any) -> None:
    members, teams, now = context.members, context.teams, context.now
    services.lens_settings_update(actor=members["amara"], **LENS_SETTINGS)
    for team, author, title, channel, audience, offers, versions, steps in MESSAGES:
        actor = members[author]
        first_days, first_body = versions[0]
        message = services.message_create(
            actor=actor,
            team=teams[team],
            title=title,
            body=first_body,
            channel=channel,
            audience=audience,
            offers=Offer.objects.filter(slug__in=offers),
        )
        _backdate(message, 1, now - timedelta(days=first_days))
        pending = sorted(
            [("edit", days, body) for days, body in versions[1:]]
            + [(s[0], s[-1], s) for s in steps],
            key=lambda item: -item[1],
        )
        for kind, days, detail in pending:
            when = now - timedelta(days=days)
            message.refresh_from_db()
            if kind == "edit":
                services.message_update(actor=actor, message=message, body=detail)
                _backdate(message, message.versions.count(), when)
            elif kind == "advice":
                services.message_ask_advice(
                    actor=actor, message=message, note=detail[1]
                )
            elif kind == "give":
                advice = services.message_give_advice(
                    actor=members[detail[1]], message=message, text=detail[2]
                )
                type(advice).objects.filter(pk=advice.pk).update(created_at=when)
            elif kind == "ready":
                services.message_mark_ready(actor=actor, message=message)
            elif kind == "publish":
                services.message_publish(
                    actor=actor, message=message, where=detail[1], when=when
                )
            Message.objects.filter(pk=message.pk).update(updated_at=when)
    _site_review(context)


def _backdate(message: Message, number: int, when) -> None:
    MessageVersion.objects.filter(message=message, number=number).update(
        created_at=when
    )
    Message.objects.filter(pk=message.pk, created_at__gt=when).update(created_at=when)


def _site_review(context: Any) -> None:
    files = [
        (name, io.BytesIO(text if isinstance(text, bytes) else text.encode()))
        for name, text in SITE_PAGES.items()
    ]
    # Reviewed at once rather than through the task queue, so the demo shows a
    # finished report without a worker.
    site_review = services.site_review_create(
        actor=context.members["oskar"],
        name="wheelhouse.example, October export",
        files=files,
    )
    services.site_review_run(site_review)
    SiteReview.objects.filter(pk=site_review.pk).update(
        created_at=context.now - timedelta(days=10),
        finished_at=context.now - timedelta(days=10),
    )
    site_review.pages.filter(reviewed_at__isnull=False).update(
        reviewed_at=context.now - timedelta(days=10)
    )
