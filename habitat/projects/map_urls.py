"""Routes of the map, its embed and the import pages (namespace `projects`)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
