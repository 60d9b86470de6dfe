"""The offer canvas's field list is written once, on the model, and every reader follows it."""

from __future__ import annotations

from purposeful.offers import lens, schemas
from purposeful.offers.forms import STEPS, OfferForm
from purposeful.offers.models import OfferVersion

# What a version carries besides its canvas: bookkeeping, allies, pictures' owner.
_NOT_CANVAS = {
    "id",
    "offer",
    "number",
    "status",
    "allies",
    "change_note",
    "created_by",
    "created_at",
    "updated_at",
    "advice_asked_at",
    "published_at",
    "published_by",
}


def test_every_field_of_a_version_is_in_the_canvas_or_known_to_be_apart():
    # a field added to the model without adding it to the list fails here
    names = {f.name for f in OfferVersion._meta.get_fields() if f.concrete}
    assert names - _NOT_CANVAS == set(OfferVersion.CANVAS_FIELDS)
    assert OfferVersion.CANVAS_FIELDS[: len(OfferVersion.TEXT_FIELDS)] == (
        OfferVersion.TEXT_FIELDS
    )


def test_the_form_asks_the_canvas_in_its_order_and_every_step_comes_from_it():
    assert OfferForm._meta.fields == [
        *OfferVersion.CANVAS_FIELDS,
        "allies",
        "change_note",
    ]
    asked = [name for _, names in STEPS for name in names]
    assert asked == list(OfferForm._meta.fields)


def test_the_api_and_the_lens_read_the_same_list():
    shown = schemas.OfferVersionOut.model_fields
    assert all(name in shown for name in OfferVersion.CANVAS_FIELDS)
    patch = schemas.OfferPatch.model_fields
    assert all(name in patch for name in OfferVersion.CANVAS_FIELDS)
    assert lens.PUBLIC_FIELDS == OfferVersion.PUBLIC_TEXT_FIELDS
