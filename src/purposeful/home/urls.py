from django.urls import path

from purposeful.home import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/", views.api_reference, name="api_reference"),
]
