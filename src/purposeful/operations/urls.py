from django.urls import path

from purposeful.operations import views

app_name = "operations"

urlpatterns = [
    path("status/", views.status, name="status"),
]
