from django.urls import path

from . import confirm, photos, views
from .map_urls import urlpatterns as map_urlpatterns

app_name = "projects"

# Map, embed and import routes (habitat/projects/map_urls.py) come first so
# that their fixed paths under /projets/ win over the sheet's <slug>.
urlpatterns: list = []
urlpatterns += map_urlpatterns

urlpatterns += [
    path("projets/", views.project_list, name="list"),
    path("projets/export.csv", views.export_csv, name="export_csv"),
    path("projets/proposer/", views.project_propose, name="propose"),
    path("projets/<slug:slug>/", views.project_detail, name="detail"),
    path("projets/<slug:slug>/modifier/", views.project_edit, name="edit"),
    path("projets/<slug:slug>/historique/", views.project_history, name="history"),
    path(
        "projets/<slug:slug>/historique/<int:history_id>/restaurer/",
        views.project_revert,
        name="revert",
    ),
    path("projets/<slug:slug>/contact/", views.project_contact, name="contact"),
    path("projets/<slug:slug>/signaler/", views.project_report, name="report"),
    path("projets/<slug:slug>/fusionner/", views.project_merge, name="merge"),
    path(
        "projets/<slug:slug>/confirmer/<str:token>/",
        confirm.confirm_project,
        name="confirm",
    ),
    path("projets/<slug:slug>/photos/", photos.photo_list, name="photos"),
    path(
        "projets/<slug:slug>/photos/<int:photo_id>/",
        photos.photo_edit,
        name="photo_edit",
    ),
    path(
        "projets/<slug:slug>/photos/<int:photo_id>/supprimer/",
        photos.photo_delete,
        name="photo_delete",
    ),
    path(
        "projets/<slug:slug>/photos/<int:photo_id>/deplacer/",
        photos.photo_move,
        name="photo_move",
    ),
]
