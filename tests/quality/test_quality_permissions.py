"""Permissions table: every route of the portal is declared here, with the
status each persona gets on GET. A route missing from the table fails, so no
new route ships unreviewed.

Columns: (anonymous, verified person, territory moderator). Routes taking
identifiers are declared OBJECT: their per-object cases (editor of project
A/B, moderator of A's territory or another one, national team) live in the
feature apps' permission tests; adding them here is the next step.
Wagtail (/cms/), Django admin (/admin/), documents and Wagtail pages are
one "staff only" rule each, checked at their root.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

OBJECT = "object"
STAFF_ROOTS = ("cms/", "admin/", "documents/", "pages/")

TABLE = {
    "": (200, 200, 200),
    "healthz": (200, 200, 200),
    "a-propos/": (200, 200, 200),
    "i18n/setlang/": (302, 302, 302),
    "jsi18n/": (200, 200, 200),
    "comptes/login/": (200, 302, 302),
    "comptes/logout/": (302, 200, 200),
    "comptes/inactive/": (200, 200, 200),
    "comptes/signup/": (200, 302, 302),
    "comptes/reauthenticate/": (302, 200, 200),
    "comptes/reauthenticate/code/": (302, 302, 302),
    "comptes/reauthenticate/code/confirm/": (302, 302, 302),
    "comptes/email/": (302, 200, 200),
    "comptes/confirm-email/": (200, 200, 200),
    "comptes/password/change/": (302, 200, 200),
    "comptes/password/set/": (302, 302, 302),
    "comptes/password/reset/": (200, 200, 200),
    "comptes/login/code/confirm/": (302, 302, 302),
    "comptes/^confirm-email/(?P<key>[-:\\w]+)/$": OBJECT,
    "comptes/password/reset/key/done/": (200, 200, 200),
    "comptes/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": OBJECT,
    "comptes/password/reset/done/": (200, 200, 200),
    "espace/": (302, 200, 200),
    "espace/profil/": (302, 200, 200),
    "espace/organisations/": (200, 200, 200),
    "espace/organisations/<slug:slug>/": OBJECT,
    "moderation/": (302, 403, 200),
    "moderation/journal/": (302, 403, 200),
    "moderation/<str:model>/<int:pk>/decision/": OBJECT,
    "api/v1/communes/": (200, 200, 200),
    "api/v1/departements/": (200, 200, 200),
    "api/v1/departements.geojson": (200, 200, 200),
    "api/v1/regions/": (200, 200, 200),
    "api/v1/projects.geojson": (200, 200, 200),
    "api/v1/projects/map/points/": (200, 200, 200),
    "api/v1/projects.map.json": (200, 200, 200),
    "api/v1/projects/map/<int:pk>/": OBJECT,
    "api/v1/projects/map/clusters/": (400, 400, 400),
    "api/v1/projects/clusters/": (400, 400, 400),
    "api/v1/projects/": (200, 200, 200),
    "api/v1/projects/<slug:slug>/": OBJECT,
    "api/v1/events/": (200, 200, 200),
    "api/v1/ads/": (200, 200, 200),
    "api/v1/land-offers/": (200, 200, 200),
    "api/schema/": (200, 200, 200),
    "api/": (200, 200, 200),
    "admin/": (302, 302, 302),
    "cms/": (302, 302, 302),
    "documents/": (404, 404, 404),
    "carte/": (200, 200, 200),
    "carte/embed/": (200, 200, 200),
    "carte/integrer/": (200, 200, 200),
    "projets/import/": (302, 403, 403),
    "projets/import/<str:job>/": OBJECT,
    "projets/": (200, 200, 200),
    "projets/export.csv": (200, 200, 200),
    "projets/proposer/": (302, 200, 200),
    "projets/<slug:slug>/": OBJECT,
    "projets/<slug:slug>/modifier/": OBJECT,
    "projets/<slug:slug>/historique/": OBJECT,
    "projets/<slug:slug>/historique/<int:history_id>/restaurer/": OBJECT,
    "projets/<slug:slug>/contact/": OBJECT,
    "projets/<slug:slug>/signaler/": OBJECT,
    "projets/<slug:slug>/fusionner/": OBJECT,
    "projets/<slug:slug>/confirmer/<str:token>/": OBJECT,
    "agenda.ics": (200, 200, 200),
    "agenda/": (200, 200, 200),
    "agenda/rss/": (200, 200, 200),
    "agenda/proposer/": (302, 200, 200),
    "agenda/embed/": (200, 200, 200),
    "agenda/integrer/": (200, 200, 200),
    "agenda/portes-ouvertes/": (200, 200, 200),
    "agenda/importer/": (302, 302, 302),
    "agenda/organisation/<slug:slug>.ics": OBJECT,
    "agenda/<slug:slug>.ics": OBJECT,
    "agenda/<slug:slug>/": OBJECT,
    "agenda/<slug:slug>/modifier/": OBJECT,
    "agenda/<slug:slug>/inscription/": OBJECT,
    "agenda/<slug:slug>/inscrits/": OBJECT,
    "mise-en-lien/": (200, 200, 200),
    "mise-en-lien/mon-profil/": (302, 200, 200),
    "mise-en-lien/mes-correspondances/": (302, 302, 302),
    "mise-en-lien/groupes/<slug:slug>/recherche/": OBJECT,
    "mise-en-lien/groupes/<slug:slug>/": OBJECT,
    "mise-en-lien/groupes/<slug:slug>/foncier/": OBJECT,
    "mise-en-lien/groupes/<slug:slug>/ecrire/<int:profile_pk>/": OBJECT,
    "mise-en-lien/ecrire/<slug:slug>/": OBJECT,
    "mise-en-lien/messages/": (302, 200, 200),
    "mise-en-lien/messages/<int:pk>/": OBJECT,
    "mise-en-lien/messages/<int:pk>/partager-mon-adresse/": OBJECT,
    "mise-en-lien/messages/<int:pk>/bloquer/": OBJECT,
    "mise-en-lien/messages/<int:pk>/signaler/<int:message_pk>/": OBJECT,
    "mise-en-lien/messages-signales/<int:pk>/": OBJECT,
    "mise-en-lien/mes-donnees/": (302, 200, 200),
    "mise-en-lien/mes-donnees/export.json": (302, 200, 200),
    "mise-en-lien/desabonnement/<str:token>/": OBJECT,
    "annonces/": (200, 200, 200),
    "annonces/rss/": (200, 200, 200),
    "annonces/deposer/": (302, 200, 200),
    "annonces/mes-annonces/": (302, 200, 200),
    "annonces/recherches/": (302, 405, 405),
    "annonces/alertes/<str:token>/desabonner/": OBJECT,
    "annonces/renouveler/<str:token>/": OBJECT,
    "annonces/<int:pk>/": OBJECT,
    "annonces/<int:pk>-<slug:slug>/": OBJECT,
    "annonces/<int:pk>/modifier/": OBJECT,
    "annonces/<int:pk>/photos/": OBJECT,
    "annonces/<int:pk>/photos/<int:photo_pk>/supprimer/": OBJECT,
    "annonces/<int:pk>/retirer/": OBJECT,
    "annonces/<int:pk>/prolonger/": OBJECT,
    "annonces/<int:pk>/contact/": OBJECT,
    "annonces/<int:pk>/signaler/": OBJECT,
    "foncier/": (200, 200, 200),
    "foncier/deposer/": (302, 200, 200),
    "foncier/carte.json": (200, 200, 200),
    "pages/": (200, 200, 200),
}


def routes():
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith(STAFF_ROOTS):
                    found.append(route)
                    continue
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_route_is_declared_in_the_permissions_table():
    missing = [route for route in routes() if route not in TABLE]
    assert missing == []


@pytest.mark.django_db
def test_every_route_answers_each_persona_as_declared(client, bob, mona):
    failures = []
    for route, expected in TABLE.items():
        if expected == OBJECT or route not in set(routes()):
            continue
        got = []
        for user in (None, bob, mona):
            client.logout()
            if user is not None:
                client.force_login(user)
            got.append(client.get("/" + route).status_code)
        if tuple(got) != expected:
            failures.append((route, expected, tuple(got)))
    assert failures == []


@pytest.mark.django_db
def test_staff_tools_turn_away_everyone_but_staff(client, bob, mona, nadia):
    for user in (None, bob, mona, nadia):
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in ("/admin/", "/cms/"):
            response = client.get(path)
            assert response.status_code == 302, (path, user)
            assert "login" in response["Location"]
