from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "purposeful.operations"
    verbose_name = "Operations"
