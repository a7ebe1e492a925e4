from django.urls import path

from . import views
from .feeds import AdFeed

app_name = "ads"

urlpatterns = [
    path("annonces/", views.ad_list, name="list"),
    path("annonces/rss/", AdFeed(), name="feed"),
    path("annonces/deposer/", views.ad_create, name="create"),
    path("annonces/mes-annonces/", views.my_ads, name="mine"),
    path("annonces/recherches/", views.search_save, name="search_save"),
    path(
        "annonces/alertes/<str:token>/desabonner/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("annonces/renouveler/<str:token>/", views.ad_renew, name="renew"),
    path("annonces/<int:pk>/", views.ad_detail, name="detail_pk"),
    path("annonces/<int:pk>-<slug:slug>/", views.ad_detail, name="detail"),
    path("annonces/<int:pk>/modifier/", views.ad_edit, name="edit"),
    path("annonces/<int:pk>/photos/", views.ad_photos, name="photos"),
    path(
        "annonces/<int:pk>/photos/<int:photo_pk>/supprimer/",
        views.photo_delete,
        name="photo_delete",
    ),
    path("annonces/<int:pk>/retirer/", views.ad_withdraw, name="withdraw"),
    path("annonces/<int:pk>/prolonger/", views.ad_renew_mine, name="renew_mine"),
    path("annonces/<int:pk>/contact/", views.ad_contact, name="contact"),
    path("annonces/<int:pk>/signaler/", views.ad_report, name="report"),
    path("foncier/", views.land_list, name="land"),
    path("foncier/deposer/", views.land_create, name="land_create"),
    path("foncier/carte.json", views.land_map_data, name="land_map"),
]
