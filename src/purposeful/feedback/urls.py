from django.urls import path

from purposeful.feedback import views

app_name = "feedback"

urlpatterns = [
    path("write-to-us/", views.write_to_us, name="write"),
    path("feedback/confirm/<str:key>/", views.confirm_sender, name="confirm_sender"),
    path("feedback/<str:key>/", views.follow, name="follow"),
    path("inbox/", views.inbox_index, name="inbox_index"),
    path("inbox/search/", views.search, name="search"),
    path("inbox/settings/", views.feedback_settings, name="settings"),
    path("inbox/signals/new/", views.signal_create, name="signal_create"),
    path("inbox/signals/<int:pk>/", views.signal_detail, name="signal_detail"),
    path("inbox/signals/<int:pk>/state/", views.signal_state, name="signal_state"),
    path("inbox/signals/<int:pk>/assign/", views.signal_assign, name="signal_assign"),
    path("inbox/signals/<int:pk>/tags/", views.signal_tags, name="signal_tags"),
    path("inbox/signals/<int:pk>/reply/", views.signal_reply, name="signal_reply"),
    path("inbox/signals/<int:pk>/merge/", views.signal_merge, name="signal_merge"),
    path("inbox/<slug:slug>/", views.team_inbox, name="team_inbox"),
]
