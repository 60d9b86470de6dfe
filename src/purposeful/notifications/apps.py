from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "purposeful.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from purposeful.notifications import subscribers

        subscribers.connect()
