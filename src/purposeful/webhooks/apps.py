from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "purposeful.webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from purposeful.webhooks import events

        events.connect()
