from django.apps import AppConfig


class SensingConfig(AppConfig):
    name = "purposeful.sensing"
    verbose_name = "Sensing"

    def ready(self) -> None:
        from purposeful.sensing import subscribers

        subscribers.connect()
