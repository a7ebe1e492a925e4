"""The /api/v1/ routes: each app keeps its own api.py and lists its routes here."""

from django.urls import include, path

urlpatterns = [
    path("", include("habitat.territories.api_urls")),
]

urlpatterns += [
    path("", include("habitat.projects.api_urls")),
    path("", include("habitat.agenda.api_urls")),
    path("", include("habitat.matching.api_urls")),
    path("", include("habitat.ads.api_urls")),
]
