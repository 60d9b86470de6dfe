from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "purposeful.audit"
    verbose_name = "Audit log"
