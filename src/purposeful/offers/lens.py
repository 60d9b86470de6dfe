"""The hook where the organisation's lens reviews an offer's public words before they
are published."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Field

from purposeful.offers.models import OfferVersion

# The words visitors read; each is reviewed on its own so a finding points at a field.
PUBLIC_FIELDS = OfferVersion.PUBLIC_TEXT_FIELDS


def offer_review(version: OfferVersion) -> dict[str, Any]:
    """Findings of the organisation's lens on a version's public text, each with the
    field it is in.

    Returns ``{"available": bool, "note": str, "findings": [dict, …]}``; without the
    lens installed the findings are empty and the note says so.
    """
    try:
        from purposeful.outreach.lens_service import lens_config, review_texts
    except ImportError:
        return {"available": False, "note": "lens not available", "findings": []}
    fields = [
        (name, text)
        for name in PUBLIC_FIELDS
        if (text := getattr(version, name) or "").strip()
    ]
    config = lens_config()  # outside the guard: a database error is not the lens's
    try:
        # each field on its own, so a finding points at it; in one batch, so the
        # classifier runs once; findings only, as the canvas shows no alignment
        reviews = (
            review_texts([text for _, text in fields], aligned=False, config=config)
            if fields
            else []
        )
    except Exception as error:  # the lens is young; a bug in it must not break drafting
        return {
            "available": False,
            "note": f"lens not available ({error.__class__.__name__})",
            "findings": [],
        }
    findings = [
        _finding(version, name, finding)
        for (name, _), review in zip(fields, reviews, strict=True)
        for finding in review.findings
    ]
    note = (
        "The lens found nothing that manipulates, attacks others or over-claims."
        if not findings
        else ""
    )
    return {"available": True, "note": note, "findings": findings}


def _finding(version: OfferVersion, name: str, finding: Any) -> dict[str, Any]:
    data = finding.to_dict()
    return {
        "id": data["id"],
        "severity": data["severity"],
        "message": data["message"],
        "start": data["start"],
        "end": data["end"],
        "text": data["text"],
        "suggestion": data.get("suggestion"),
        "field": name,
        "field_label": str(
            cast("Field[Any, Any]", version._meta.get_field(name)).verbose_name
        ).capitalize(),
    }
