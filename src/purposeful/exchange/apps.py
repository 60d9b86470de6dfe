from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "purposeful.exchange"
    verbose_name = "Import and export"

    def ready(self) -> None:
        # The uploaded file (which can be 50 MB) and its per-row problems would
        # copy every customer of an import into the audit log; the log keeps the
        # counts and states instead.
        from auditlog.registry import auditlog

        from purposeful.exchange.models import ImportJob

        auditlog.register(ImportJob, exclude_fields=["content", "problems", "mapping"])

        from purposeful import events
        from purposeful.exchange.tasks import import_abandoned

        events.subscribe(events.TaskAbandoned, import_abandoned)
