"""Demo offers for Wheelhouse: eight offers in every state, with advice threads."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from purposeful.offers import services
from purposeful.offers.models import Advice, AdviceRequest, Offer, OfferVersion

# team slug, author, canvas, allies, story
# story: a list of steps — ("ask", [usernames], [team slugs], message, days ago),
# ("advice", username, text, days ago), ("publish", username, note, days ago),
# ("edit", username, {fields}, days ago), ("retire", username, days ago)
OFFERS: list[tuple[str, str, dict[str, Any], list[str], list[tuple]]] = [
    (
        "workshop",
        "lena",
        {
            "name": "Honest repair check",
            "summary": "We look your bike over and tell you what really needs doing — and what can wait.",
            "need": "Many people don't know whether their old bike is worth repairing, and "
            "too often the answer they get is a new bike. They need an honest second "
            "opinion before they spend money.",
            "purpose_fit": "Every bike we keep riding is one less bike in the scrap "
            "container, and one more person getting around cheaply and cleanly.",
            "proud_of": "We show you the worn parts and explain what we see in plain "
            "words. You leave with a written list, sorted into 'now', 'soon' and 'fine "
            "for another year'.",
            "not_good_yet": "We cannot diagnose e-bike motor electronics ourselves yet; "
            "we send those to a specialist colleague, which takes a week.",
            "not_for": "Cargo bikes: our ally Cargo Collective knows them far better.",
            "best_we_can": "A careful twenty-minute check for a fair price, with no "
            "pressure to buy anything from us.",
            "price": Decimal("15.00"),
            "price_unit": "per check",
            "price_covers": "Twenty minutes of a mechanic's time and the written list. "
            "If you have the repair done with us, the check is free.",
            "price_breakdown": "Mechanic's time: 12\nWorkshop rent and tools: 3",
            "availability": "Tuesday to Saturday, 9:00–17:00, at the workshop on Canal "
            "Street. No appointment needed.",
        },
        ["Cargo Collective"],
        [
            (
                "ask",
                "lena",
                ["fatima"],
                ["learning-lab"],
                "Is the price clear? Does 'honest' sound smug?",
                60,
            ),
            (
                "advice",
                "fatima",
                "Clear to me. Customers ask us whether a bike is worth fixing before they buy one of ours, so say that you also tell them when it isn't worth it.",
                59,
            ),
            (
                "advice",
                "sam",
                "'Honest' is fine because you explain what it means. Maybe say how long it takes.",
                58,
            ),
            ("publish", "lena", "First version.", 55),
            (
                "edit",
                "tomas",
                {
                    "summary": "We look your bike over and tell you what really needs doing, what can wait — and when a repair isn't worth it.",
                    "not_good_yet": "We cannot diagnose e-bike motor electronics ourselves yet; we send those to a specialist colleague, which takes a week. On Saturdays you may wait up to an hour.",
                    "change_note": "Fatima's advice: say we also tell people when a repair isn't worth it; honest about Saturday waits.",
                },
                20,
            ),
            ("publish", "tomas", None, 19),
        ],
    ),
    (
        "workshop",
        "amara",
        {
            "name": "Wheel rebuild",
            "summary": "A hand-built wheel on your hub, trued and tensioned to last for years.",
            "need": "Cheap machine-built wheels go out of true and break spokes; riders "
            "replace whole wheels when the hub is still good.",
            "purpose_fit": "Rebuilding around a good hub keeps parts in use and gives a "
            "wheel that lasts longer than the bike's next owner.",
            "proud_of": "Every wheel is built and tensioned by hand and checked again "
            "after a week of riding.",
            "not_good_yet": "It takes five working days; we have one truing stand.",
            "not_for": "Carbon race wheels.",
            "best_we_can": "A wheel we would ride ourselves, for the price of a "
            "mass-produced one.",
            "price": Decimal("95.00"),
            "price_unit": "per wheel",
            "price_covers": "Rim, spokes, nipples, rim tape, building and the one-week re-check.",
            "availability": "Five working days from drop-off.",
        },
        [],
        [
            (
                "ask",
                "amara",
                ["kofi", "oskar"],
                [],
                "Is the price right, and should we mention dynamo hubs?",
                3,
            ),
            (
                "advice",
                "kofi",
                "Price is fair. Yes, mention dynamo hubs: people ask for them every week.",
                2,
            ),
        ],
    ),
    (
        "mobile-repair",
        "mei",
        {
            "name": "Office bike day",
            "summary": "Our van comes to your workplace for a day and your colleagues' bikes get checked and fixed in the car park.",
            "need": "People who cycle to work rarely have time to bring their bike to a "
            "workshop, so small faults grow into big ones.",
            "purpose_fit": "Keeping commuters' bikes safe keeps them cycling instead of "
            "driving.",
            "proud_of": "Most repairs are done while people work; we leave a note on "
            "each bike with what we did.",
            "not_good_yet": "We can do about twenty bikes in a day; larger sites need two days.",
            "not_for": "Sites without a covered space when it rains.",
            "best_we_can": "A day of careful repairs at your door, paid by the day, "
            "parts at cost.",
            "price": Decimal("480.00"),
            "price_unit": "per day",
            "price_covers": "Two mechanics and the van for one day; parts are charged at what they cost us.",
            "price_breakdown": "Two mechanics for a day: 400\nVan and tools: 80",
            "availability": "Monday to Friday within 15 km of the workshop.",
        },
        ["Pedal Post"],
        [
            ("ask", "mei", ["lena"], ["workshop"], "Anything we forgot to say?", 90),
            (
                "advice",
                "lena",
                "Say that parts are at cost: people assume a hidden mark-up.",
                89,
            ),
            ("publish", "jonas", "Ready for spring.", 85),
        ],
    ),
    (
        "mobile-repair",
        "jonas",
        {
            "name": "Delivery fleet care",
            "summary": "Regular servicing for the bikes of delivery riders and courier cooperatives.",
            "need": "Delivery riders lose income every day their bike is broken.",
            "purpose_fit": "Keeps working bikes working and riders safe.",
            "proud_of": "Same-week slots and a loan bike while we work.",
            "not_good_yet": "We have only two loan bikes so far.",
            "best_we_can": "We are still working out a fair monthly price with Pedal Post.",
            "availability": "Starting next season.",
        },
        ["Pedal Post"],
        [],
    ),
    (
        "refurbish-rent",
        "priya",
        {
            "name": "Refurbished commuter bike with 2-year guarantee",
            "summary": "A rescued city bike, rebuilt with new wear parts and guaranteed for two years.",
            "need": "A reliable bike for getting to work shouldn't cost as much as a "
            "month's rent, and shouldn't be made new when so many stand unused.",
            "purpose_fit": "Each bike we sell was rescued from a basement or a scrap "
            "pile.",
            "proud_of": "New chain, cables, brake pads and tyres on every bike; a "
            "two-year guarantee on the frame and the work.",
            "not_good_yet": "We have few bikes in small frame sizes.",
            "not_for": "Anyone who needs a bike for long tours or heavy loads.",
            "best_we_can": "A bike that rides like new, for about half the price of a "
            "new one, and we fix it if something we did fails.",
            "price": Decimal("320.00"),
            "price_unit": "per bike",
            "price_covers": "The bike, the refurbishment, a fitting session and the two-year guarantee.",
            "price_breakdown": "Rescue and parts: 110\nWork: 160\nGuarantee reserve: 50",
            "availability": "About eight bikes a month; see the workshop window.",
        },
        [],
        [
            ("ask", "priya", ["fatima", "kofi"], [], "Is two years too generous?", 120),
            (
                "advice",
                "kofi",
                "Two years is fine for the frame and our work, but say clearly that tyres and pads wear.",
                118,
            ),
            ("publish", "priya", None, 115),
            (
                "edit",
                "fatima",
                {
                    "not_good_yet": "We have few bikes in small frame sizes; tell us your height and we'll call you when one comes in.",
                    "change_note": "A waiting list for small sizes.",
                },
                2,
            ),
            ("ask", "fatima", ["noor"], [], "Does the waiting list sound friendly?", 1),
        ],
    ),
    (
        "refurbish-rent",
        "oskar",
        {
            "name": "Bike by the month",
            "summary": "Rent a refurbished bike by the month, with repairs included.",
            "need": "Newcomers to the city and students need a bike now but can't "
            "commit to buying one.",
            "purpose_fit": "More people cycling, fewer new bikes made.",
            "proud_of": "Repairs and a replacement bike within a day are included.",
            "not_good_yet": "Only city bikes in three sizes for now.",
            "not_for": "Short stays under a month: a bike share suits you better.",
            "best_we_can": "A well-kept bike for less than a monthly bus pass.",
            "price": Decimal("25.00"),
            "price_unit": "per month",
            "price_covers": "The bike, a lock, lights and all repairs.",
            "availability": "From any weekday; cancel with a week's notice.",
        },
        [],
        [("publish", "oskar", "First version.", 200)],
    ),
    (
        "learning-lab",
        "sam",
        {
            "name": "Evening repair course",
            "summary": "Four evenings in the workshop learning to look after your own bike.",
            "need": "People want to fix a flat or adjust brakes themselves but don't "
            "know where to start.",
            "purpose_fit": "Teaching people to care for their bikes is part of our purpose.",
            "proud_of": "Small groups of six; you work on your own bike.",
            "not_good_yet": "The course is only in English and Dutch so far.",
            "best_we_can": "Four evenings that leave you confident with the basics.",
            "price": Decimal("60.00"),
            "price_unit": "per person",
            "price_covers": "Four evenings, handouts and the parts used.",
            "availability": "Every month, Wednesday evenings 19:00–21:00.",
        },
        ["Open Bike Kitchen"],
        [
            (
                "ask",
                "sam",
                [],
                ["workshop"],
                "Would you send your customers to this?",
                300,
            ),
            (
                "advice",
                "tomas",
                "Yes. Mention the Open Bike Kitchen for people who can't afford the course.",
                299,
            ),
            ("publish", "sam", None, 295),
        ],
    ),
    (
        "learning-lab",
        "noor",
        {
            "name": "School bike workshop",
            "summary": "A morning in a school where pupils learn to check and fix their bikes.",
            "need": "Children who cycle to school need safe bikes and the confidence to "
            "look after them.",
            "purpose_fit": "Builds the next generation of people who keep bikes riding.",
            "proud_of": "Every pupil fixes a puncture themselves.",
            "not_good_yet": "We need a school to lend us a covered space.",
            "best_we_can": "A practical morning that children remember.",
            "price": Decimal("250.00"),
            "price_unit": "per morning",
            "availability": "Paused while we rethink it with the Mobile Repair team.",
        },
        [],
        [("publish", "noor", None, 400), ("retire", "noor", 30)],
    ),
]


# Drawn pictures for some offers (slug: description, frame colour), so the demo
# shows how pictures look without shipping photographs.
PICTURES = {
    "honest-repair-check": (
        "Drawing of a green city bike on a workshop stand",
        (31, 107, 82),
    ),
    "refurbished-commuter-bike-with-2-year-guarantee": (
        "Drawing of a refurbished blue commuter bike with a rear rack",
        (40, 80, 160),
    ),
    "bike-by-the-month": (
        "Drawing of an orange rental bike with a basket",
        (200, 100, 30),
    ),
}


def _drawing(colour: tuple[int, int, int]):
    """A simple bicycle drawing, as an uploaded file the services accept."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (251, 250, 246))
    draw = ImageDraw.Draw(image)
    ink = (29, 42, 38)
    for cx in (230, 570):
        draw.ellipse((cx - 140, 290, cx + 140, 570), outline=ink, width=14)
        draw.ellipse((cx - 12, 418, cx + 12, 442), fill=ink)
    frame = [(230, 430), (390, 430), (520, 250), (330, 250), (230, 430)]
    draw.line(frame, fill=colour, width=18, joint="curve")
    draw.line([(330, 250), (390, 430)], fill=colour, width=18)
    draw.line([(520, 250), (570, 430)], fill=colour, width=16)
    draw.line([(300, 215), (360, 215)], fill=ink, width=16)
    draw.line([(500, 200), (520, 250), (560, 205)], fill=ink, width=12)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("drawing.png", out.getvalue(), "image/png")


def load(context: Any) -> None:
    members, teams, allies, now = (
        context.members,
        context.teams,
        context.allies,
        context.now,
    )
    for team_slug, author, canvas, ally_names, story in OFFERS:
        offer = services.offer_create(
            actor=members[author],
            team=teams[team_slug],
            allies=[allies[name] for name in ally_names if name in allies],
            **canvas,
        )
        if offer.slug in PICTURES:
            description, colour = PICTURES[offer.slug]
            services.offer_image_add(
                actor=members[author],
                offer=offer,
                image=_drawing(colour),
                alt_text=description,
            )
        created = now - timedelta(days=(story[0][-1] + 5) if story else 10)
        Offer.objects.filter(pk=offer.pk).update(created_at=created)
        OfferVersion.objects.filter(offer=offer).update(
            created_at=created, updated_at=created
        )
        for step in story:
            _play(offer, step, members, teams, now)


def _play(offer: Offer, step: tuple, members, teams, now) -> None:
    kind, when = step[0], now - timedelta(days=step[-1])
    if kind == "ask":
        _, who, usernames, team_slugs, message, _days = step
        requests = services.offer_ask_advice(
            actor=members[who],
            offer=offer,
            members=[members[u] for u in usernames],
            teams=[teams[s] for s in team_slugs],
            message=message,
            notify=False,
        )
        AdviceRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            created_at=when
        )
        OfferVersion.objects.filter(pk=requests[0].version_id).update(
            advice_asked_at=when
        )
    elif kind == "advice":
        _, who, text, _days = step
        advice = services.advice_give(
            actor=members[who], offer=offer, text=text, notify=False
        )
        Advice.objects.filter(pk=advice.pk).update(created_at=when)
    elif kind == "publish":
        _, who, note, _days = step
        version = services.offer_publish(
            actor=members[who], offer=offer, change_note=note
        )
        OfferVersion.objects.filter(pk=version.pk).update(
            published_at=when, updated_at=when
        )
        Offer.objects.filter(pk=offer.pk).update(last_published_at=when)
        Offer.objects.filter(pk=offer.pk, first_published_at__gt=when).update(
            first_published_at=when
        )
    elif kind == "edit":
        _, who, fields, _days = step
        version = services.offer_update(actor=members[who], offer=offer, **fields)
        OfferVersion.objects.filter(pk=version.pk).update(
            created_at=when, updated_at=when
        )
    elif kind == "retire":
        _, who, _days = step
        services.offer_retire(actor=members[who], offer=offer)
        Offer.objects.filter(pk=offer.pk).update(retired_at=when)
