"""/public/…: the same paths as the static site written by ``hyoka publish``."""

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.page, name="home"),
    path("<path:path>", views.page, name="page"),
]
