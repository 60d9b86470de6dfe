from django.urls import path

from purposeful.drafts import views

app_name = "drafts"

urlpatterns = [
    path("drafts/save/", views.save, name="save"),
    path("drafts/discard/", views.discard, name="discard"),
    path("drafts/keep-signed-in/", views.keep_signed_in, name="keep_signed_in"),
]
