from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "purposeful.core"
    verbose_name = "Core"
