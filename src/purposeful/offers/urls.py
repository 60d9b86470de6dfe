from django.contrib.auth.decorators import login_not_required
from django.urls import path

from purposeful.offers import views
from purposeful.offers.feeds import OfferFeed

app_name = "offers"

urlpatterns = [
    path("offers/", views.catalogue, name="catalogue"),
    path("offers.json", views.offers_json, name="json"),
    path("offers/feed/", login_not_required(OfferFeed()), name="feed"),
    path("offers/ours/", views.ours, name="ours"),
    path("offers/new/", views.create, name="create"),
    path("offers/<slug:slug>/", views.detail, name="detail"),
    path(
        "offers/<slug:slug>/pictures/<int:pk>.<slug:suffix>",
        views.picture,
        name="picture",
    ),
    path("offers/<slug:slug>/canvas/", views.canvas, name="canvas"),
    path("offers/<slug:slug>/canvas/edit/", views.edit, name="edit"),
    path("offers/<slug:slug>/advice/ask/", views.ask_advice, name="ask_advice"),
    path("offers/<slug:slug>/advice/", views.give_advice, name="give_advice"),
    path("offers/<slug:slug>/publish/", views.publish, name="publish"),
    path("offers/<slug:slug>/retire/", views.retire, name="retire"),
    path("offers/<slug:slug>/discard/", views.discard, name="discard"),
    path("offers/<slug:slug>/pictures/", views.picture_add, name="picture_add"),
    path(
        "offers/<slug:slug>/pictures/<int:position>/remove/",
        views.picture_remove,
        name="picture_remove",
    ),
    path("offers/<slug:slug>/history/", views.history, name="history"),
]
