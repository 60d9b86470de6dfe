from django.urls import path

from purposeful.privacy import views

app_name = "privacy"

urlpatterns = [
    path(
        "customers/contacts/<int:pk>/personal-data.json",
        views.personal_data,
        name="personal_data",
    ),
    path("customers/contacts/<int:pk>/erase/", views.erase, name="erase"),
    path("privacy/erasures/", views.erasure_list, name="erasure_list"),
]
