from django.urls import path

from . import api

urlpatterns = [
    path("ads/", api.AdListView.as_view(), name="api-ads"),
    path("land-offers/", api.LandOfferListView.as_view(), name="api-land-offers"),
]
