from django.urls import path

from purposeful.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.preferences, name="preferences"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<str:key>/", views.outbox_email, name="outbox_email"),
]
