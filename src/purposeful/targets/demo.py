"""Demo targets for Wheelhouse: each team's own, with check-ins over a few months."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from purposeful.targets.models import CheckIn, Comment, DashboardSettings, Target

YES, UNSURE, NO = (
    CheckIn.StillMakesSense.YES,
    CheckIn.StillMakesSense.UNSURE,
    CheckIn.StillMakesSense.NO,
)

# team slug, title, why, unit, number, shared, author, months ago it started,
# months it runs, state and closing note, check-ins: (days ago, value, learned,
# sensed, still makes sense, author)
_CheckInRow = tuple[int, float | None, str, str, CheckIn.StillMakesSense, str]
_TargetRow = tuple[
    str, str, str, str, Decimal | None, bool, str, int, int, Any, list[_CheckInRow]
]
TARGETS: list[_TargetRow] = [
    (
        "workshop",
        "Repair rather than replace in 8 of 10 jobs",
        "Every part we save keeps a bike riding for longer and out of the scrap "
        "container; it is the heart of our purpose.",
        "repairs out of 10 jobs",
        Decimal("8"),
        True,
        "kofi",
        5,
        12,
        None,
        [
            (
                140,
                6,
                "Chains and cassettes are replaced out of habit; a proper clean "
                "saves most of them.",
                "People are surprised — and glad — when we say a part can stay.",
                YES,
                "kofi",
            ),
            (
                95,
                6.5,
                "Hub bearings can almost always be serviced. We made a shelf "
                "of second-hand bearings.",
                "Customers ask whether we could teach this.",
                YES,
                "tomas",
            ),
            (
                50,
                7,
                "Wheels with cracked rims still go to replacement: rebuilding "
                "takes too long on busy days.",
                "We might offer rebuilds as a slower, cheaper option.",
                YES,
                "lena",
            ),
            (
                12,
                7.5,
                "Booking rebuilds for Tuesday mornings worked: 11 wheels saved "
                "this month.",
                "E-bike motors are the next frontier: few shops repair them.",
                YES,
                "amara",
            ),
        ],
    ),
    (
        "workshop",
        "Same-week repairs for every bike we take in",
        "A bike waiting in our shop is a person who is not riding.",
        "",
        None,
        False,
        "lena",
        3,
        6,
        None,
        [
            (
                60,
                None,
                "Parts ordering is what makes us slow, not the work itself.",
                "",
                YES,
                "lena",
            ),
            (
                20,
                None,
                "Keeping the 20 most-used parts in stock solved most delays.",
                "Spring will test it.",
                YES,
                "tomas",
            ),
        ],
    ),
    (
        "mobile-repair",
        "Visit 30 workplaces with the repair van",
        "Fixing bikes where people work makes cycling to work the easy choice.",
        "workplaces",
        Decimal("30"),
        True,
        "mei",
        4,
        12,
        None,
        [
            (
                110,
                4,
                "Offices want a fixed day each month, not one-off visits.",
                "Schools ask for the same.",
                YES,
                "mei",
            ),
            (
                70,
                9,
                "Bike days at the hospital drew 40 riders; shift workers love it.",
                "Night shifts need a different time.",
                YES,
                "jonas",
            ),
            (
                25,
                13,
                "We are slower than we hoped, and that is fine: regular visits "
                "matter more than new ones.",
                "Perhaps the number should be regular visits, not workplaces.",
                UNSURE,
                "mei",
            ),
        ],
    ),
    (
        "mobile-repair",
        "Sign up 5 delivery fleets for monthly care",
        "Delivery riders depend on their bikes for their income.",
        "fleets",
        Decimal("5"),
        True,
        "jonas",
        7,
        6,
        (
            Target.State.LET_GO,
            "Riders told us the fleets rarely pay for care; what riders need is "
            "cheap, fast help on the street. We now run an open repair hour for "
            "riders on Fridays instead, and point cargo fleets to Cargo Collective.",
        ),
        [
            (
                190,
                1,
                "One fleet signed up; the others buy new bikes every year.",
                "Riders own their bikes more often than we thought.",
                UNSURE,
                "jonas",
            ),
            (
                130,
                1,
                "Talking to riders, not fleet managers, showed the real need.",
                "An open repair hour could serve them better.",
                NO,
                "mei",
            ),
        ],
    ),
    (
        "refurbish-rent",
        "Give 120 rescued bikes a second life this year",
        "Every rescued bike is one less bike bought new, and a cheap, reliable "
        "ride for someone.",
        "bikes",
        Decimal("120"),
        True,
        "priya",
        6,
        12,
        None,
        [
            (
                170,
                14,
                "Housing co-ops have basements full of abandoned bikes.",
                "Students want bikes in September, not in spring.",
                YES,
                "priya",
            ),
            (
                120,
                35,
                "Refurbishing takes 3 hours on average; parts are the limit.",
                "",
                YES,
                "oskar",
            ),
            (
                75,
                58,
                "A two-year guarantee makes people trust a refurbished bike.",
                "Families ask for children's bikes that grow with them.",
                YES,
                "fatima",
            ),
            (
                30,
                81,
                "The September rush came: 23 bikes in one month.",
                "A swap scheme for children's bikes could work.",
                YES,
                "priya",
            ),
        ],
    ),
    (
        "learning-lab",
        "Run 12 evening courses this year",
        "People who can fix their own bike keep riding it; teaching is part of "
        "our purpose.",
        "courses",
        Decimal("12"),
        True,
        "sam",
        8,
        12,
        None,
        [
            (
                220,
                2,
                "Small groups of six work best; everyone gets hands on a bike.",
                "",
                YES,
                "sam",
            ),
            (
                160,
                5,
                "The women's workshop nights fill up within a day.",
                "More people want basics than advanced courses.",
                YES,
                "noor",
            ),
            (
                100,
                7,
                "Summer courses were half empty.",
                "Schools would like courses in term time.",
                YES,
                "elias",
            ),
            (
                35,
                9,
                "Course handouts are now on the website; learners use them.",
                "A course on e-bikes is asked for often.",
                YES,
                "sam",
            ),
        ],
    ),
    (
        "learning-lab",
        "Every learner leaves able to fix a flat tyre",
        "A flat tyre is the most common reason people stop riding for a while.",
        "",
        None,
        True,
        "noor",
        2,
        6,
        None,
        [
            (
                40,
                None,
                "Practising on our own wheel first, then on the learner's bike "
                "works best.",
                "",
                YES,
                "noor",
            ),
        ],
    ),
]

COMMENTS = [
    (
        "Repair rather than replace in 8 of 10 jobs",
        "sam",
        "Could we film a wheel rebuild for the Learning Lab? Learners keep asking.",
    ),
    (
        "Run 12 evening courses this year",
        "mei",
        "The hospital riders asked about a course at the hospital itself.",
    ),
    (
        "Sign up 5 delivery fleets for monthly care",
        "oskar",
        "Thank you for writing this down — we thought about fleets too.",
    ),
]


def _months_ago(today: date, months: int) -> date:
    """The first day of the month ``months`` before ``today`` (negative: after)."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def load(context) -> None:
    now = context.now
    today = timezone.localdate(now)
    targets = {}
    for (
        slug,
        title,
        why,
        unit,
        number,
        shared,
        author,
        started,
        runs,
        closing,
        check_ins,
    ) in TARGETS:
        start = _months_ago(today, started)
        end = _months_ago(start, -runs) - timedelta(days=1)
        target = Target.objects.create(
            team=context.teams[slug],
            title=title,
            why=why,
            measure_unit=unit,
            measure_target=number,
            period_start=start,
            period_end=end,
            is_shared=shared,
            created_by=context.members[author],
            created_at=now - timedelta(days=30 * started),
            updated_at=now - timedelta(days=30 * started),
        )
        for days, value, learned, sensed, sense, by in check_ins:
            CheckIn.objects.create(
                target=target,
                value=Decimal(str(value)) if value is not None else None,
                learned=learned,
                sensed=sensed,
                still_makes_sense=sense,
                author=context.members[by],
                created_at=now - timedelta(days=days),
            )
        if closing:
            target.state, target.closing_note = closing
            target.closed_at = now - timedelta(days=100)
            target.save()
        targets[title] = target
    for title, author, text in COMMENTS:
        Comment.objects.create(
            target=targets[title],
            author=context.members[author],
            text=text,
            created_at=now - timedelta(days=5),
        )
    DashboardSettings.objects.get_or_create(defaults={"is_public": False})
