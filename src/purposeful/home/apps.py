from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The start page, which gathers every app (so it sits above them all)."""

    name = "purposeful.home"
    verbose_name = "Home"
