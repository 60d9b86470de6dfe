from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "purposeful.drafts"
    verbose_name = "Drafts"
