from django.urls import path

from purposeful.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.endpoint_list, name="list"),
    path("webhooks/new/", views.endpoint_create, name="create"),
    path("webhooks/<int:pk>/", views.endpoint_detail, name="detail"),
    path("webhooks/<int:pk>/edit/", views.endpoint_edit, name="edit"),
    path("webhooks/<int:pk>/enable/", views.endpoint_enable, name="enable"),
    path("webhooks/<int:pk>/ping/", views.endpoint_ping, name="ping"),
    path("webhooks/<int:pk>/delete/", views.endpoint_delete, name="delete"),
]
