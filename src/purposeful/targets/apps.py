from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "purposeful.targets"
    verbose_name = "Targets and dashboard"

    def ready(self) -> None:
        from purposeful.targets import dashboard

        dashboard.connect()
