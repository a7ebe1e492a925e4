from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("mise-en-lien/", views.home, name="home"),
    path("mise-en-lien/mon-profil/", views.edit_profile, name="profile"),
    path("mise-en-lien/mes-correspondances/", views.my_matches, name="my_matches"),
    path(
        "mise-en-lien/groupes/<slug:slug>/recherche/",
        views.edit_group_search,
        name="group_search",
    ),
    path(
        "mise-en-lien/groupes/<slug:slug>/",
        views.group_matches,
        name="group_matches",
    ),
    path(
        "mise-en-lien/groupes/<slug:slug>/foncier/",
        views.group_land,
        name="group_land",
    ),
    path(
        "mise-en-lien/groupes/<slug:slug>/ecrire/<int:profile_pk>/",
        views.write_to_person,
        name="write_to_person",
    ),
    path(
        "mise-en-lien/ecrire/<slug:slug>/", views.write_to_group, name="write_to_group"
    ),
    path(
        "mise-en-lien/ecrire/annonce/<int:pk>/",
        views.write_about_ad,
        name="write_about_ad",
    ),
    path(
        "mise-en-lien/foncier/<int:pk>/groupes/",
        views.land_groups,
        name="land_groups",
    ),
    path("mise-en-lien/messages/", views.inbox, name="inbox"),
    path(
        "mise-en-lien/messages/<int:pk>/",
        views.conversation_detail,
        name="conversation",
    ),
    path(
        "mise-en-lien/messages/<int:pk>/partager-mon-adresse/",
        views.share_email,
        name="share_email",
    ),
    path(
        "mise-en-lien/messages/<int:pk>/bloquer/",
        views.block_conversation,
        name="block",
    ),
    path(
        "mise-en-lien/messages/<int:pk>/signaler/<int:message_pk>/",
        views.report_message,
        name="report",
    ),
    path(
        "mise-en-lien/messages-signales/<int:pk>/",
        views.reported_message,
        name="reported_message",
    ),
    path("mise-en-lien/mes-donnees/", views.my_data, name="my_data"),
    path("mise-en-lien/mes-donnees/export.json", views.export_data, name="export_data"),
    path(
        "mise-en-lien/desabonnement/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
]
