from django.urls import path

from . import api
from .map_api_urls import urlpatterns as map_api_urlpatterns

# Map data routes (projects.geojson, compact data) come first: fixed paths.
urlpatterns: list = []
urlpatterns += map_api_urlpatterns

urlpatterns += [
    path("projects/", api.ProjectListView.as_view(), name="api-projects"),
    path(
        "projects/<slug:slug>/",
        api.ProjectDetailView.as_view(),
        name="api-project-detail",
    ),
]
