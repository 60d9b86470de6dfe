"""Public reads stay a few queries however many offers there are."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.offers import services
from tests.offers.factories import picture, published_offer


@pytest.fixture
def catalogue_of_six(cast):
    for n in range(6):
        made = published_offer(cast.team, cast.owner, name=f"Offer {n}")
        services.offer_image_add(
            actor=cast.owner, offer=made, image=picture(), alt_text="A bike"
        )
        services.offer_publish(actor=cast.owner, offer=made, change_note="Picture")


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/offers/", 6),
        ("/offers.json", 6),
        ("/offers/feed/", 4),
        ("/offers/offer-1/", 6),
        ("/api/v1/offers", 6),
    ],
)
def test_public_reads_take_a_fixed_number_of_queries(
    catalogue_of_six, django_assert_max_num_queries, path, limit
):
    with django_assert_max_num_queries(limit):
        response = Client().get(path)
    assert response.status_code == 200
