from django.urls import path

from purposeful.exchange import views

app_name = "exchange"

urlpatterns = [
    path("exchange/", views.index, name="index"),
    path("exchange/export/<str:kind>.<str:fmt>", views.export, name="export"),
    path("exchange/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path(
        "exchange/imports/<int:pk>/progress/",
        views.import_progress,
        name="import_progress",
    ),
    path(
        "exchange/imports/<int:pk>/confirm/",
        views.import_confirm,
        name="import_confirm",
    ),
    path(
        "exchange/imports/<int:pk>/discard/",
        views.import_discard,
        name="import_discard",
    ),
]
