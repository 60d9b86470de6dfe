from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "purposeful.outreach"
    verbose_name = "Outreach"
