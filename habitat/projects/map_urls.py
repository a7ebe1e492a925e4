"""Routes of the map, its embed and the import pages (namespace `projects`)."""

from django.urls import path

from . import map as views
from .importers import views as import_views

urlpatterns: list = [
    path("carte/", views.project_map, name="map"),
    path("carte/embed/", views.project_map_embed, name="map_embed"),
    path("carte/integrer/", views.project_map_snippet, name="map_snippet"),
    path("projets/import/", import_views.import_upload, name="import"),
    path(
        "projets/import/<str:job>/",
        import_views.import_status,
        name="import_status",
    ),
]
