from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("a-propos/", views.about, name="about"),
]
