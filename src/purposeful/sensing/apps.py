from django.apps import AppConfig


class SensingConfig(AppConfig):
    name = "purposeful.sensing"
    verbose_name = "Sensing"
