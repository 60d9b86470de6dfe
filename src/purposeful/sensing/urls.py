from django.urls import path

from purposeful.sensing import views

app_name = "sensing"

urlpatterns = [
    path("sensing/", views.group_list, name="group_list"),
    path("sensing/recompute/", views.recompute, name="recompute"),
    path("sensing/<str:key>/", views.group_detail, name="group_detail"),
    path("sensing/<str:key>/rename/", views.group_rename, name="group_rename"),
    path("sensing/<str:key>/offer/", views.group_to_offer, name="group_to_offer"),
    path("sensing/<str:key>/signal/", views.group_to_signal, name="group_to_signal"),
]
