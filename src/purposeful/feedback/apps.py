from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "purposeful.feedback"
    verbose_name = "Feedback"
