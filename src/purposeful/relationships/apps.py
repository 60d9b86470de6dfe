from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "purposeful.relationships"
    verbose_name = "Customer relationships"
