"""The /api/v1/ routes: each app keeps its own api.py and lists its routes here."""

from django.urls import include, path

from habitat.territories import api as territories_api

urlpatterns = [
    path("communes/", territories_api.CommuneSearchView.as_view(), name="api-communes"),
]

urlpatterns += [
    path("", include("habitat.projects.api_urls")),
    path("", include("habitat.agenda.api_urls")),
    path("", include("habitat.matching.api_urls")),
    path("", include("habitat.ads.api_urls")),
]
