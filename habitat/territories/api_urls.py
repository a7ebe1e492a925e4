from django.urls import path

from . import api

urlpatterns = [
    path("communes/", api.CommuneSearchView.as_view(), name="api-communes"),
    path("departements/", api.DepartmentListView.as_view(), name="api-departments"),
    path(
        "departements.geojson",
        api.DepartmentOutlinesView.as_view(),
        name="api-departments-geojson",
    ),
    path("regions/", api.RegionListView.as_view(), name="api-regions"),
]
