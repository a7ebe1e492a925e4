from django.urls import path

from . import api

urlpatterns = [
    path("events/", api.EventOccurrencesView.as_view(), name="api-events"),
]
