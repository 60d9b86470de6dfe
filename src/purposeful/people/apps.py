from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "purposeful.people"
    verbose_name = "People"
