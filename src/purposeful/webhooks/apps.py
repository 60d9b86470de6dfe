from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "purposeful.webhooks"
    verbose_name = "Webhooks"
