from django.urls import path

from purposeful.targets import views

app_name = "targets"

urlpatterns = [
    path("targets/", views.target_list, name="list"),
    path("targets/new/", views.target_create, name="create"),
    path("targets/<int:pk>/", views.target_detail, name="detail"),
    path("targets/<int:pk>/edit/", views.target_edit, name="edit"),
    path("targets/<int:pk>/check-ins/", views.check_in_create, name="check_in"),
    path("targets/<int:pk>/let-go/", views.target_let_go, name="let_go"),
    path("targets/<int:pk>/close/", views.target_close, name="close"),
    path("targets/<int:pk>/reopen/", views.target_reopen, name="reopen"),
    path("targets/<int:pk>/delete/", views.target_delete, name="delete"),
    path("targets/<int:pk>/comments/", views.comment_create, name="comment"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/settings/", views.dashboard_settings, name="dashboard_settings"),
    path("dashboard/<slug:name>.csv", views.dashboard_csv, name="dashboard_csv"),
]
