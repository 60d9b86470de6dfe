from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "purposeful.exchange"
    verbose_name = "Import and export"
