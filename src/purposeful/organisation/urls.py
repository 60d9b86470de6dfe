from django.urls import path

from purposeful.organisation import views

app_name = "organisation"

urlpatterns = [
    path("purpose/", views.purpose_detail, name="purpose_detail"),
    path("purpose/edit/", views.purpose_edit, name="purpose_edit"),
    path("purpose/history/", views.purpose_history, name="purpose_history"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("teams/<slug:slug>/edit/", views.team_edit, name="team_edit"),
    path("teams/<slug:slug>/join/", views.team_join, name="team_join"),
    path("teams/<slug:slug>/leave/", views.team_leave, name="team_leave"),
    path(
        "teams/<slug:slug>/members/add/", views.team_member_add, name="team_member_add"
    ),
    path(
        "teams/<slug:slug>/members/<str:username>/remove/",
        views.team_member_remove,
        name="team_member_remove",
    ),
    path(
        "teams/<slug:slug>/requests/<int:pk>/accept/",
        views.join_request_accept,
        name="join_request_accept",
    ),
    path(
        "teams/<slug:slug>/requests/<int:pk>/decline/",
        views.join_request_decline,
        name="join_request_decline",
    ),
    path(
        "teams/<slug:slug>/removals/<int:pk>/agree/",
        views.removal_agree,
        name="removal_agree",
    ),
    path(
        "teams/<slug:slug>/removals/<int:pk>/withdraw/",
        views.removal_withdraw,
        name="removal_withdraw",
    ),
    path("teams/<slug:slug>/roles/new/", views.role_edit, name="role_create"),
    path("teams/<slug:slug>/roles/<int:pk>/", views.role_edit, name="role_edit"),
    path(
        "teams/<slug:slug>/roles/<int:pk>/delete/",
        views.role_delete,
        name="role_delete",
    ),
    path(
        "teams/<slug:slug>/roles/<int:pk>/assign/",
        views.role_assign,
        name="role_assign",
    ),
    path(
        "teams/<slug:slug>/roles/<int:pk>/holders/<str:username>/remove/",
        views.role_unassign,
        name="role_unassign",
    ),
    path("allies/", views.ally_list, name="ally_list"),
    path("allies/new/", views.ally_edit, name="ally_create"),
    path("allies/<int:pk>/edit/", views.ally_edit, name="ally_edit"),
    path("allies/<int:pk>/delete/", views.ally_delete, name="ally_delete"),
    path("settings/", views.organisation_settings, name="settings"),
]
