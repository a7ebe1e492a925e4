"""API routes of the map data (GeoJSON, compact data, viewport clusters).

`projects/clusters/` must come before the directory's `projects/<slug>/`
route (see habitat/projects/api_urls.py), or a sheet could take its place.
"""

from django.urls import path

from . import map as views

urlpatterns: list = [
    path("projects.geojson", views.projects_geojson, name="projects-geojson"),
    path("projects/map/points/", views.map_points, name="projects-map-points"),
    path("projects.map.json", views.map_points, name="projects-map-json"),
    path("projects/map/<int:pk>/", views.map_point_detail, name="projects-map-point"),
    path("projects/map/clusters/", views.map_clusters, name="projects-map-clusters"),
    path("projects/clusters/", views.map_clusters, name="projects-clusters"),
]
