"""API routes of the map data (GeoJSON, compact data, viewport clusters)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
