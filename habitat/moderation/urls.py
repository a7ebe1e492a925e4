from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("journal/", views.journal, name="journal"),
    path("<str:model>/<int:pk>/decision/", views.decide, name="decide"),
]
