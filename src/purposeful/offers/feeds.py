"""An Atom feed of new and changed offers: one entry per published version."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from purposeful.offers import selectors
from purposeful.offers.models import OfferVersion
from purposeful.organisation.services import organisation_get


class OfferFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return f"Offers of {organisation_get().name}"

    def subtitle(self) -> str:
        return "New offers and changes to them, as the teams publish them."

    def link(self) -> str:
        return reverse("offers:catalogue")

    def feed_url(self) -> str:
        return reverse("offers:feed")

    def items(self):
        return selectors.recent_publications()

    def item_title(self, item: OfferVersion) -> str:
        return item.name if item.number == 1 else f"{item.name} (changed)"

    def item_description(self, item: OfferVersion) -> str:
        parts = [item.summary, item.best_we_can]
        if item.change_note and item.number > 1:
            parts.append(f"What changed: {item.change_note}")
        return "\n\n".join(parts)

    def item_link(self, item: OfferVersion) -> str:
        return item.offer.get_absolute_url()

    def item_guid(self, item: OfferVersion) -> str:
        return f"offer-{item.offer_id}-v{item.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: OfferVersion):
        return item.published_at

    def item_updateddate(self, item: OfferVersion):
        return item.published_at

    def item_author_name(self, item: OfferVersion) -> str:
        return item.offer.team.name
