"""The offer canvas's field list and length limits are written once, on the model,
and every reader follows them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from purposeful.core.limits import max_length
from purposeful.offers import lens, schemas, services
from purposeful.offers.forms import STEPS, AdviceForm, ImageForm, OfferForm
from purposeful.offers.models import Advice, AdviceRequest, OfferImage, OfferVersion
from tests.offers.factories import offer

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


def test_the_api_and_the_forms_take_their_length_limits_from_the_model():
    def schema_limit(schema, name):
        meta = schema.model_fields[name].metadata
        return next(m.max_length for m in meta if hasattr(m, "max_length"))

    for name in OfferVersion.CANVAS_FIELDS:
        if name == "price":
            continue
        model_limit = max_length(OfferVersion, name)
        assert schema_limit(schemas.OfferPatch, name) == model_limit, name
        if name in schemas.OfferIn.model_fields:
            assert schema_limit(schemas.OfferIn, name) == model_limit, name
    assert schema_limit(schemas.AdviceIn, "text") == max_length(Advice, "text")
    assert schema_limit(schemas.AdviceRequestIn, "message") == max_length(
        AdviceRequest, "message"
    )
    assert AdviceForm().fields["text"].max_length == max_length(Advice, "text")
    assert ImageForm().fields["alt_text"].max_length == max_length(
        OfferImage, "alt_text"
    )


def test_the_services_refuse_what_the_model_field_cannot_hold(cast, monkeypatch):
    # the service reads the limit from the model at call time, not a copy of it
    monkeypatch.setattr(Advice._meta.get_field("text"), "max_length", 10)
    made = offer(cast.team, cast.owner)
    with pytest.raises(ValidationError, match="Keep advice to 10 characters"):
        services.advice_give(actor=cast.outsider, offer=made, text="x" * 11)
