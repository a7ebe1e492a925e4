from django.urls import path  # noqa: F401

from .map_api_urls import urlpatterns as map_api_urlpatterns

urlpatterns: list = []

urlpatterns += map_api_urlpatterns
