from django.urls import path  # noqa: F401

from .map_urls import urlpatterns as map_urlpatterns

app_name = "projects"

urlpatterns: list = []

# Map, embed and import routes (habitat/projects/map_urls.py).
urlpatterns += map_urlpatterns
