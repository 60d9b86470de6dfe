from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "purposeful.organisation"
    verbose_name = "Organisation"
