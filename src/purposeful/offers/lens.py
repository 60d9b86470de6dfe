"""The hook where the lens reviews an offer's public words before they are published."""

from __future__ import annotations

from typing import Any

from purposeful.offers.models import OfferVersion

# The words visitors read; each is reviewed on its own so a finding points at a field.
PUBLIC_FIELDS = [
    "name",
    "summary",
    "need",
    "purpose_fit",
    "proud_of",
    "not_good_yet",
    "not_for",
    "best_we_can",
    "price_covers",
    "availability",
]


def offer_review(
    version: OfferVersion, *, purpose: str | None = None
) -> dict[str, Any]:
    """Findings of the lens on a version's public text, each with the field it is in.

    Returns ``{"available": bool, "note": str, "findings": [dict, …]}``; without the
    lens installed the findings are empty and the note says so.
    """
    try:
        from purposeful.lens import review
    except ImportError:
        return {"available": False, "note": "lens not available", "findings": []}
    try:
        findings = _review_fields(review, version, purpose)
    except Exception as error:  # the lens is young; a bug in it must not break drafting
        return {
            "available": False,
            "note": f"lens not available ({error.__class__.__name__})",
            "findings": [],
        }
    note = (
        "The lens found nothing that manipulates, attacks others or over-claims."
        if not findings
        else ""
    )
    return {"available": True, "note": note, "findings": findings}


def _review_fields(review: Any, version: OfferVersion, purpose: str | None) -> list:
    findings = []
    for name in PUBLIC_FIELDS:
        text = getattr(version, name) or ""
        if not text.strip():
            continue
        label = str(version._meta.get_field(name).verbose_name).capitalize()
        for finding in review(text, purpose=purpose).findings:
            data = finding.to_dict()
            findings.append(
                {
                    "id": data["id"],
                    "severity": data["severity"],
                    "message": data["message"],
                    "start": data["start"],
                    "end": data["end"],
                    "text": data["text"],
                    "suggestion": data.get("suggestion"),
                    "field": name,
                    "field_label": label,
                }
            )
    return findings
