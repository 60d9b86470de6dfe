from django.urls import path

from purposeful.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
]
