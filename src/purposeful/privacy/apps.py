from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "purposeful.privacy"
    verbose_name = "Personal data"
