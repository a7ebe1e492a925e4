from django.urls import path

from . import feeds, views

app_name = "agenda"

urlpatterns = [
    path("agenda.ics", feeds.agenda_ics, name="ics"),
    path("agenda/", views.event_list, name="list"),
    path("agenda/rss/", feeds.UpcomingEventsFeed(), name="rss"),
    path("agenda/proposer/", views.propose, name="propose"),
    path("agenda/embed/", views.embed, name="embed"),
    path("agenda/integrer/", views.embed_builder, name="embed_builder"),
    path("agenda/portes-ouvertes/", views.open_days, name="open_days"),
    path("agenda/importer/", views.import_page, name="import"),
    path(
        "agenda/organisation/<slug:slug>.ics",
        feeds.organisation_ics,
        name="organisation_ics",
    ),
    path("agenda/<slug:slug>.ics", feeds.event_ics, name="event_ics"),
    path("agenda/<slug:slug>/", views.event_detail, name="detail"),
    path("agenda/<slug:slug>/modifier/", views.edit, name="edit"),
    path("agenda/<slug:slug>/inscription/", views.register, name="register"),
    path("agenda/<slug:slug>/inscrits/", views.registrations, name="registrations"),
]
