from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "purposeful.web"
    verbose_name = "Web"
