from django.urls import path

from purposeful.outreach import views

app_name = "outreach"

urlpatterns = [
    path("messages/", views.message_list, name="message_list"),
    path("messages/new/", views.message_create, name="message_create"),
    path("messages/review/", views.live_review, name="live_review"),
    path("messages/trends/", views.trends, name="trends"),
    path("messages/<int:pk>/", views.message_detail, name="message_detail"),
    path("messages/<int:pk>/edit/", views.message_edit, name="message_edit"),
    path(
        "messages/<int:pk>/ask-advice/",
        views.message_ask_advice,
        name="message_ask_advice",
    ),
    path(
        "messages/<int:pk>/advice/",
        views.message_give_advice,
        name="message_give_advice",
    ),
    path(
        "messages/<int:pk>/ready/", views.message_mark_ready, name="message_mark_ready"
    ),
    path("messages/<int:pk>/publish/", views.message_publish, name="message_publish"),
    path("messages/<int:pk>/delete/", views.message_delete, name="message_delete"),
    path("lens/settings/", views.lens_settings, name="lens_settings"),
    path(
        "lens/settings/purposeful.toml",
        views.lens_config_export,
        name="lens_config_export",
    ),
    path("site-reviews/", views.site_review_list, name="site_review_list"),
    path("site-reviews/<int:pk>/", views.site_review_detail, name="site_review_detail"),
    path(
        "site-reviews/<int:pk>/pages/<int:page_pk>/",
        views.site_page_detail,
        name="site_page_detail",
    ),
    path(
        "site-reviews/<int:pk>/progress/",
        views.site_review_progress,
        name="site_review_progress",
    ),
    path(
        "site-reviews/<int:pk>/report.json",
        views.site_review_json,
        name="site_review_json",
    ),
    path(
        "site-reviews/<int:pk>/report.csv",
        views.site_review_csv,
        name="site_review_csv",
    ),
]
