"""What visitors and machines may read about an offer: only its published version."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from purposeful.offers.models import OfferImage, OfferVersion

# The same escapes as Django's json_script: nothing in the data can close the
# <script> element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def image_url(image: OfferImage) -> str:
    return reverse(
        "offers:picture", args=[image.version.offer.slug, image.pk, image.file_suffix]
    )


def public_data(version: OfferVersion, *, absolute: Any) -> dict[str, Any]:
    """The published canvas as plain data (for /offers.json and the API)."""
    offer = version.offer
    return {
        "slug": offer.slug,
        "url": absolute(offer.get_absolute_url()),
        "team": offer.team.name,
        "version": version.number,
        "published_at": version.published_at,
        **{name: getattr(version, name) for name in OfferVersion.TEXT_FIELDS},
        "price": str(version.price) if version.price is not None else None,
        "currency": version.currency,
        "price_unit": version.price_unit,
        "price_covers": version.price_covers,
        "price_breakdown": [
            {"part": label, "amount": amount}
            for label, amount in version.breakdown_lines
        ],
        "availability": version.availability,
        "allies": [
            {"name": ally.name, "website": ally.website}
            for ally in version.allies.all()
        ],
        "images": [
            {
                "url": absolute(image_url(image)),
                "alt": image.alt_text,
                "width": image.width,
                "height": image.height,
            }
            for image in version.images.all()
        ],
    }


def jsonld(version: OfferVersion, *, absolute: Any, organisation: Any) -> SafeString:
    """schema.org Product with its Offer, escaped to sit safely in a <script> element."""
    offer = version.offer
    url = absolute(offer.get_absolute_url())
    product: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": version.name,
        "description": version.summary,
        "url": url,
        "brand": {"@type": "Organization", "name": organisation.name},
    }
    images = [absolute(image_url(image)) for image in version.images.all()]
    if images:
        product["image"] = images
    if version.price is not None:
        product["offers"] = {
            "@type": "Offer",
            "url": url,
            "price": f"{version.price:.2f}",
            "priceCurrency": version.currency,
            "availability": "https://schema.org/InStock",
            "seller": {"@type": "Organization", "name": organisation.name},
        }
        if version.price_covers:
            product["offers"]["description"] = version.price_covers
    text = json.dumps(product, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))
