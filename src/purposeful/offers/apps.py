from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "purposeful.offers"
    verbose_name = "Offers"
