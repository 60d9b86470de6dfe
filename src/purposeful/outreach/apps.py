from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "purposeful.outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from purposeful import events
        from purposeful.outreach.tasks import site_review_abandoned

        events.subscribe(events.TaskAbandoned, site_review_abandoned)
