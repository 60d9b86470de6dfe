"""Factories for offers: a complete canvas with sensible defaults."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from purposeful.offers import services

CANVAS = {
    "name": "Honest repair check",
    "summary": "We look your bike over and tell you what really needs doing.",
    "need": "People don't know whether their old bike is worth repairing.",
    "purpose_fit": "Every bike we keep riding stays out of the scrap container.",
    "proud_of": "We show you the worn parts and explain them in plain words.",
    "not_good_yet": "We cannot check e-bike electronics yet.",
    "not_for": "Cargo bikes.",
    "best_we_can": "A careful check for a fair price, with no pressure.",
    "price": Decimal("15.00"),
    "price_unit": "per check",
    "price_covers": "Twenty minutes of a mechanic's time.",
    "availability": "Tuesday to Saturday.",
}


def canvas(**changes) -> dict:
    return {**CANVAS, **changes}


def offer(team, author, **changes):
    """A draft offer of ``team``, written by ``author`` (who must be in the team)."""
    return services.offer_create(actor=author, team=team, **canvas(**changes))


def published_offer(team, author, **changes):
    made = offer(team, author, **changes)
    services.offer_publish(actor=author, offer=made)
    made.refresh_from_db()
    return made


def picture(
    name: str = "bike.png", size=(40, 30), fmt: str = "PNG"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 107, 82)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
