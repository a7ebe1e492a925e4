"""Permissions table: every route of the portal, every persona, every method.

One declared table says what each persona gets from each route: GET and POST
everywhere, and PUT, PATCH and DELETE on the API. A route missing from the
table fails the test, so no new route ships unreviewed. Routes taking
identifiers are filled with real objects (see `World`): project A in Lyon
(région 84), project B in Rennes (région 53), an event, an ad with a photo,
a conversation, a seeker's profile, an import job, signed tokens.

Personas, in the order of each row:
    anon   anonymous
    person verified person, member of nothing (bob)
    edA    editor of project A; author of the event and the ad (alice)
    edB    editor of project B (bea)
    modA   moderator of a territory containing A (mona, région 84)
    modB   moderator of another territory (otto, région 53)
    admin  national team (nadia; not Django staff)

Every request runs in a savepoint rolled back afterwards, so one persona's
POST (withdrawing the ad, blocking the conversation) never changes what the
next one sees, and the world is built once for the whole table. POSTs carry
no body, except where a valid one is needed for the answer to say who may
act (`World.bodies`: merge, report, contact, decision, reply; the API PATCH
sends the sheet's ETag). A 200 on an empty POST is a form shown again with
its errors. Editing someone else's sheet answers 200 on purpose: verified
people suggest changes that go to moderation.

Adding a route: run this file with PERMISSIONS_RECORD=/tmp/answers.txt, read
what each persona got for the new route, and copy the reviewed line here.

Wagtail (/cms/), Django admin (/admin/) and Wagtail documents are one "staff
only" rule each, checked at their root.
"""

import io
import os
import re

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.conftest import association, make_user

PERSONAS = ("anon", "person", "edA", "edB", "modA", "modB", "admin")
STAFF_ROOTS = ("cms/", "admin/", "documents/", "pages/")
API_PREFIX = "api/"
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PAGE_METHODS = ("GET", "POST")


def every(status):
    """The same answer for the seven personas."""
    return " ".join([str(status)] * len(PERSONAS))


READ_ONLY_API = {"POST": every(405), "PUT": every(405), "PATCH": every(405)}
READ_ONLY_API["DELETE"] = every(405)

# Second objects for routes whose answer depends on the object's state:
# unpublished content is seen by its authors and its territory's moderators only.
VARIANTS = (
    "projets/<slug:slug>/ [pending]",
    "api/v1/projects/<slug:slug>/ [pending]",
    "agenda/<slug:slug>/ [pending]",
    "annonces/<int:pk>-<slug:slug>/ [pending]",
    "projets/<slug:slug>/modifier/ [project B]",
    "projets/<slug:slug>/historique/ [project B]",
)

# route -> {method: answers in PERSONAS order}
#                   "anon person edA edB modA modB admin"
TABLE: dict[str, dict[str, str]] = {
    "": {"GET": every(200), "POST": every(200)},
    "healthz": {"GET": every(200), "POST": every(200)},
    "a-propos/": {"GET": every(200), "POST": every(200)},
    "i18n/setlang/": {"GET": every(302), "POST": every(302)},
    "jsi18n/": {"GET": every(200), "POST": every(405)},
    "comptes/login/": {
        "GET": "200 302 302 302 302 302 302",
        "POST": "200 302 302 302 302 302 302",
    },
    "comptes/logout/": {"GET": "302 200 200 200 200 200 200", "POST": every(302)},
    "comptes/inactive/": {"GET": every(200), "POST": every(405)},
    "comptes/signup/": {
        "GET": "200 302 302 302 302 302 302",
        "POST": "200 302 302 302 302 302 302",
    },
    "comptes/reauthenticate/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "comptes/reauthenticate/code/": {"GET": every(302), "POST": every(302)},
    "comptes/reauthenticate/code/confirm/": {"GET": every(302), "POST": every(302)},
    "comptes/email/": {"GET": "302 200 200 200 200 200 200", "POST": every(302)},
    "comptes/confirm-email/": {"GET": every(200), "POST": every(405)},
    "comptes/password/change/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "comptes/password/set/": {"GET": every(302), "POST": every(302)},
    "comptes/password/reset/": {"GET": every(200), "POST": every(200)},
    "comptes/login/code/confirm/": {"GET": every(302), "POST": every(302)},
    "comptes/^confirm-email/(?P<key>[-:\\w]+)/$": {
        "GET": every(200),
        "POST": every(404),
    },
    "comptes/password/reset/key/done/": {"GET": every(200), "POST": every(405)},
    "comptes/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": {
        "GET": every(200),
        "POST": every(200),
    },
    "comptes/password/reset/done/": {"GET": every(200), "POST": every(405)},
    "espace/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "espace/profil/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "espace/organisations/": {"GET": every(200), "POST": every(200)},
    "espace/organisations/<slug:slug>/": {"GET": every(200), "POST": every(200)},
    "moderation/": {
        "GET": "302 403 403 403 200 200 200",
        "POST": "302 403 403 403 200 200 200",
    },
    "moderation/journal/": {
        "GET": "302 403 403 403 200 200 200",
        "POST": "302 403 403 403 200 200 200",
    },
    "moderation/<str:model>/<int:pk>/decision/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 403 403 302 403 302",
    },
    "api/v1/communes/": {"GET": every(200), **READ_ONLY_API},
    "api/v1/departements/": {"GET": every(200), **READ_ONLY_API},
    "api/v1/departements.geojson": {"GET": every(200), **READ_ONLY_API},
    "api/v1/regions/": {"GET": every(200), **READ_ONLY_API},
    "api/v1/projects.geojson": {"GET": every(200), **READ_ONLY_API},
    "api/v1/projects/map/points/": {"GET": every(200), **READ_ONLY_API},
    "api/v1/projects.map.json": {"GET": every(200), **READ_ONLY_API},
    "api/v1/projects/map/<int:pk>/": {"GET": every(200), **READ_ONLY_API},
    "api/v1/projects/map/clusters/": {"GET": every(400), **READ_ONLY_API},
    "api/v1/projects/clusters/": {"GET": every(400), **READ_ONLY_API},
    "api/v1/projects/": {"GET": every(200), **READ_ONLY_API},
    "api/v1/projects/<slug:slug>/": {
        "GET": every(200),
        "POST": "403 405 405 405 405 405 405",
        "PUT": "403 405 405 405 405 405 405",
        "PATCH": "403 403 200 403 200 403 200",
        "DELETE": "403 405 405 405 405 405 405",
    },
    "api/v1/events/": {"GET": every(200), **READ_ONLY_API},
    "api/v1/ads/": {"GET": every(200), **READ_ONLY_API},
    "api/v1/land-offers/": {"GET": every(200), **READ_ONLY_API},
    "api/schema/": {"GET": every(200), **READ_ONLY_API},
    "api/": {
        "GET": every(200),
        "POST": every(200),
        "PUT": every(200),
        "PATCH": every(200),
        "DELETE": every(200),
    },
    "admin/": {"GET": every(302), "POST": every(302)},
    "cms/": {"GET": every(302), "POST": every(302)},
    "documents/": {"GET": every(404), "POST": every(404)},
    "carte/": {"GET": every(200), "POST": every(200)},
    "carte/embed/": {"GET": every(200), "POST": every(200)},
    "carte/integrer/": {"GET": every(200), "POST": every(200)},
    "projets/import/": {
        "GET": "302 403 403 403 403 403 200",
        "POST": "302 403 403 403 403 403 200",
    },
    "projets/import/<str:job>/": {
        "GET": "302 403 403 403 403 403 200",
        "POST": "302 403 403 403 403 403 200",
    },
    "projets/": {"GET": every(200), "POST": every(200)},
    "projets/export.csv": {"GET": every(200), "POST": every(200)},
    "projets/proposer/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "projets/<slug:slug>/": {"GET": every(200), "POST": every(200)},
    "projets/<slug:slug>/modifier/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "projets/<slug:slug>/historique/": {
        "GET": "302 403 200 403 200 403 200",
        "POST": "302 403 200 403 200 403 200",
    },
    "projets/<slug:slug>/historique/<int:history_id>/restaurer/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 302 403 302 403 302",
    },
    "projets/<slug:slug>/contact/": {"GET": every(405), "POST": every(400)},
    "projets/<slug:slug>/signaler/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": every(302),
    },
    "projets/<slug:slug>/fusionner/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 403 403 403 403 302",
    },
    "projets/<slug:slug>/confirmer/<str:token>/": {
        "GET": every(200),
        "POST": every(200),
    },
    "projets/<slug:slug>/photos/": {
        "GET": "302 403 200 403 200 403 200",
        "POST": "302 403 400 403 400 403 400",
    },
    "projets/<slug:slug>/photos/<int:photo_id>/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 400 403 400 403 400",
    },
    "projets/<slug:slug>/photos/<int:photo_id>/supprimer/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 302 403 302 403 302",
    },
    "projets/<slug:slug>/photos/<int:photo_id>/deplacer/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 302 403 302 403 302",
    },
    "agenda.ics": {"GET": every(200), "POST": every(200)},
    "agenda/": {"GET": every(200), "POST": every(200)},
    "agenda/rss/": {"GET": every(200), "POST": every(200)},
    "agenda/proposer/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "agenda/embed/": {"GET": every(200), "POST": every(200)},
    "agenda/integrer/": {"GET": every(200), "POST": every(200)},
    "agenda/portes-ouvertes/": {"GET": every(200), "POST": every(200)},
    "agenda/importer/": {"GET": every(302), "POST": every(302)},
    "agenda/organisation/<slug:slug>.ics": {"GET": every(200), "POST": every(200)},
    "agenda/<slug:slug>.ics": {"GET": every(200), "POST": every(200)},
    "agenda/<slug:slug>/": {"GET": every(200), "POST": every(200)},
    "agenda/<slug:slug>/modifier/": {
        "GET": "302 403 200 403 200 403 200",
        "POST": "302 403 200 403 200 403 200",
    },
    "agenda/<slug:slug>/inscription/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": every(302),
    },
    "agenda/<slug:slug>/inscrits/": {
        "GET": "302 403 200 403 403 403 200",
        "POST": "302 403 200 403 403 403 200",
    },
    "mise-en-lien/": {"GET": every(200), "POST": every(200)},
    "mise-en-lien/mon-profil/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "mise-en-lien/mes-correspondances/": {"GET": every(302), "POST": every(302)},
    "mise-en-lien/groupes/<slug:slug>/recherche/": {
        "GET": "302 403 200 403 403 403 403",
        "POST": "302 403 200 403 403 403 403",
    },
    "mise-en-lien/groupes/<slug:slug>/": {
        "GET": "302 403 200 403 403 403 403",
        "POST": "302 403 200 403 403 403 403",
    },
    "mise-en-lien/groupes/<slug:slug>/foncier/": {
        "GET": "302 403 200 403 403 403 403",
        "POST": "302 403 200 403 403 403 403",
    },
    "mise-en-lien/groupes/<slug:slug>/ecrire/<int:profile_pk>/": {
        "GET": "302 403 200 403 403 403 403",
        "POST": "302 403 200 403 403 403 403",
    },
    "mise-en-lien/ecrire/annonce/<int:pk>/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "mise-en-lien/foncier/<int:pk>/groupes/": {
        "GET": "302 404 200 404 404 404 404",
        "POST": "302 404 200 404 404 404 404",
    },
    "mise-en-lien/ecrire/<slug:slug>/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "mise-en-lien/messages/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "mise-en-lien/messages/<int:pk>/": {
        "GET": "302 404 200 404 404 404 404",
        "POST": "302 404 302 404 404 404 404",
    },
    "mise-en-lien/messages/<int:pk>/partager-mon-adresse/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 302 404 404 404 404",
    },
    "mise-en-lien/messages/<int:pk>/bloquer/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 404 302 404 404 404 404",
    },
    "mise-en-lien/messages/<int:pk>/signaler/<int:message_pk>/": {
        "GET": "302 404 200 404 404 404 404",
        "POST": "302 404 200 404 404 404 404",
    },
    "mise-en-lien/messages-signales/<int:pk>/": {
        "GET": "302 403 403 403 200 403 200",
        "POST": "302 403 403 403 200 403 200",
    },
    "mise-en-lien/mes-donnees/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "mise-en-lien/mes-donnees/export.json": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "mise-en-lien/desabonnement/<str:token>/": {"GET": every(200), "POST": every(200)},
    "annonces/": {"GET": every(200), "POST": every(200)},
    "annonces/rss/": {"GET": every(200), "POST": every(200)},
    "annonces/deposer/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "annonces/mes-annonces/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "annonces/recherches/": {"GET": "302 405 405 405 405 405 405", "POST": every(302)},
    "annonces/alertes/<str:token>/desabonner/": {"GET": every(200), "POST": every(200)},
    "annonces/renouveler/<str:token>/": {"GET": every(200), "POST": every(200)},
    "annonces/<int:pk>/": {"GET": every(301), "POST": every(301)},
    "annonces/<int:pk>-<slug:slug>/": {"GET": every(200), "POST": every(200)},
    "annonces/<int:pk>/modifier/": {
        "GET": "302 403 200 403 403 403 403",
        "POST": "302 403 200 403 403 403 403",
    },
    "annonces/<int:pk>/photos/": {
        "GET": "302 403 200 403 403 403 403",
        "POST": "302 403 200 403 403 403 403",
    },
    "annonces/<int:pk>/photos/<int:photo_pk>/supprimer/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 302 403 403 403 403",
    },
    "annonces/<int:pk>/retirer/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 302 403 403 403 403",
    },
    "annonces/<int:pk>/prolonger/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 403 302 403 403 403 403",
    },
    "annonces/<int:pk>/contact/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 403 302 302 302 302",
    },
    "annonces/<int:pk>/signaler/": {
        "GET": "302 405 405 405 405 405 405",
        "POST": "302 302 403 302 302 302 302",
    },
    "foncier/": {"GET": every(200), "POST": every(200)},
    "foncier/deposer/": {
        "GET": "302 200 200 200 200 200 200",
        "POST": "302 200 200 200 200 200 200",
    },
    "foncier/carte.json": {"GET": every(200), "POST": every(200)},
    "pages/": {"GET": every(200), "POST": every(200)},
    "projets/<slug:slug>/ [pending]": {"GET": "404 404 200 404 200 404 200"},
    "api/v1/projects/<slug:slug>/ [pending]": {"GET": "404 404 200 404 200 404 200"},
    "agenda/<slug:slug>/ [pending]": {"GET": "404 404 200 404 200 404 200"},
    "annonces/<int:pk>-<slug:slug>/ [pending]": {"GET": "404 404 200 404 200 404 200"},
    "projets/<slug:slug>/modifier/ [project B]": {"GET": "302 200 200 200 200 200 200"},
    "projets/<slug:slug>/historique/ [project B]": {
        "GET": "302 403 403 200 403 200 200"
    },
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


def methods_of(route):
    if route in VARIANTS:
        return ("GET",)
    return API_METHODS if route.startswith(API_PREFIX) else PAGE_METHODS


def test_every_route_is_declared_in_the_permissions_table():
    missing = [route for route in routes() if route not in TABLE]
    assert missing == []


def test_every_declared_route_exists_and_has_every_method():
    current = set(routes()) | set(VARIANTS)
    stale = [route for route in TABLE if route not in current]
    incomplete = [
        route
        for route, answers in TABLE.items()
        if set(answers) != set(methods_of(route))
    ]
    assert (stale, incomplete) == ([], [])


def tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    return buffer.getvalue()


class World:
    """The objects the routes' identifiers point to."""

    def __init__(self):
        from habitat.accounts.models import Membership
        from habitat.ads.models import Ad, Category, Kind, Photo, SavedSearch
        from habitat.matching import services as matching
        from habitat.matching.models import GroupSearch, Match, SeekerProfile
        from habitat.moderation.models import Report, Status
        from habitat.projects.importers.jobs import create_job
        from habitat.projects.models import Photo as ProjectPhoto
        from habitat.projects.models import Project
        from habitat.projects.services import confirmation_token
        from habitat.territories.models import Commune
        from tests.agenda.conftest import EventFactory

        lyon = Commune.objects.get(pk="69123")
        rennes = Commune.objects.get(pk="35238")
        aura = association("Habitat participatif AURA", regions=["84"])
        bretagne = association("Habitat participatif Bretagne", regions=["53"])
        national = association("Coordination nationale", national=True)

        self.users = {
            "anon": None,
            "person": make_user("bob@example.org", display_name="Bob"),
            "edA": make_user("alice@example.org", display_name="Alice"),
            "edB": make_user("bea@example.org", display_name="Béa"),
            "modA": make_user("mona@example.org", display_name="Mona"),
            "modB": make_user("otto@example.org", display_name="Otto"),
            "admin": make_user("nadia@example.org", display_name="Nadia"),
        }
        users = self.users
        Membership.objects.create(
            user=users["modA"], organisation=aura, role="moderator"
        )
        Membership.objects.create(
            user=users["modB"], organisation=bretagne, role="moderator"
        )
        Membership.objects.create(
            user=users["admin"], organisation=national, role="admin"
        )
        seeker = make_user("sam@example.org", display_name="Sam")

        project_a = Project.objects.create(
            name="Projet A",
            slug="projet-a",
            commune=lyon,
            status=Status.PUBLISHED,
            contact_email="a@prive.example",
        )
        project_a.editors.add(users["edA"])
        project_b = Project.objects.create(
            name="Projet B",
            slug="projet-b",
            commune=rennes,
            status=Status.PUBLISHED,
            contact_email="b@prive.example",
        )
        project_b.editors.add(users["edB"])
        project_a.name = "Projet A (renommé)"
        project_a.save()
        history_id = project_a.history.order_by("history_id").first().history_id

        search = GroupSearch(project=project_a, tenures=["cooperative"])
        matching.refresh_group_place(search)
        search.save()
        profile = SeekerProfile(
            user=seeker, tenures=["cooperative"], findable=True, pseudonym="Sam L."
        )
        matching.save_profile(profile=profile, communes=[lyon], departments=[])
        reader = SeekerProfile(
            user=make_user("lou@example.org", display_name="Lou"),
            tenures=["cooperative"],
            findable=True,
            pseudonym="Lou R.",
        )
        matching.save_profile(profile=reader, communes=[lyon], departments=[])
        Match.objects.create(
            seeker=reader,
            group=search,
            score=80,
            findable=True,
            created_at=timezone.now(),
            updated_at=timezone.now(),
        )
        conversation = matching.write_to_group(
            person=seeker, project=project_a, body="Bonjour, je cherche un habitat."
        )
        message = conversation.messages.get()
        Report.objects.create(
            content_object=message, reporter=users["edA"], reason="Propos déplacés"
        )

        event = EventFactory(
            title="Visite du projet A",
            slug="visite-projet-a",
            project=project_a,
            author=users["edA"],
            capacity=20,
        )
        ad = Ad.objects.create(
            title="Chambre à Lyon",
            body="Une chambre dans un habitat partagé.",
            commune=lyon,
            author=users["edA"],
            category=Category.DWELLING,
            kind=Kind.OFFER,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        stored = default_storage.save(
            f"ads/{ad.pk}/jardin.jpg", ContentFile(tiny_jpeg())
        )
        photo = Photo.objects.create(
            ad=ad, image=stored, width=8, height=8, alt="Jardin"
        )
        stored = default_storage.save(
            f"projects/{project_a.pk}/facade.jpg", ContentFile(tiny_jpeg())
        )
        sheet_photo = ProjectPhoto.objects.create(
            project=project_a, image=stored, caption="La façade"
        )
        land = Ad.objects.create(
            title="Terrain à Villeurbanne",
            body="Un terrain pour un habitat participatif.",
            commune=lyon,
            author=users["edA"],
            category=Category.LAND,
            kind=Kind.OFFER,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        saved = SavedSearch.objects.create(user=users["edA"], query={"q": "lyon"})
        pending = Ad.objects.create(
            title="Terrain à bâtir",
            body="Un terrain.",
            commune=lyon,
            author=users["edA"],
            category=Category.LAND,
            kind=Kind.OFFER,
            status=Status.PENDING,
        )
        pending_project = Project.objects.create(
            name="Projet A en attente",
            slug="projet-a-attente",
            commune=lyon,
            status=Status.PENDING,
        )
        pending_project.editors.add(users["edA"])
        pending_event = EventFactory(
            title="Atelier en attente",
            slug="atelier-en-attente",
            author=users["edA"],
            status=Status.PENDING,
        )
        self.job = create_job(
            data=b"nom\nX\n", filename="a.csv", owner_id=users["admin"].pk
        )

        from habitat.ads.services import renewal_token
        from habitat.matching.tasks import UNSUBSCRIBE_SALT

        unsubscribe = signing.dumps(
            {"k": "seeker", "id": profile.pk}, salt=UNSUBSCRIBE_SALT
        )
        self.paths = {
            "comptes/^confirm-email/(?P<key>[-:\\w]+)/$": "/comptes/confirm-email/nokey/",
            "comptes/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
                "/comptes/password/reset/key/1-nokey/"
            ),
            "espace/organisations/<slug:slug>/": f"/espace/organisations/{aura.slug}/",
            "moderation/<str:model>/<int:pk>/decision/": (
                f"/moderation/ads.ad/{pending.pk}/decision/"
            ),
            "api/v1/projects/map/<int:pk>/": f"/api/v1/projects/map/{project_a.pk}/",
            "api/v1/projects/<slug:slug>/": "/api/v1/projects/projet-a/",
            "projets/import/<str:job>/": f"/projets/import/{self.job}/",
            "projets/<slug:slug>/historique/<int:history_id>/restaurer/": (
                f"/projets/projet-a/historique/{history_id}/restaurer/"
            ),
            "projets/<slug:slug>/confirmer/<str:token>/": (
                f"/projets/projet-a/confirmer/{confirmation_token(project_a)}/"
            ),
            "agenda/organisation/<slug:slug>.ics": f"/agenda/organisation/{aura.slug}.ics",
            "agenda/<slug:slug>.ics": f"/agenda/{event.slug}.ics",
            "mise-en-lien/groupes/<slug:slug>/ecrire/<int:profile_pk>/": (
                f"/mise-en-lien/groupes/projet-a/ecrire/{reader.pk}/"
            ),
            "mise-en-lien/messages/<int:pk>/signaler/<int:message_pk>/": (
                f"/mise-en-lien/messages/{conversation.pk}/signaler/{message.pk}/"
            ),
            "mise-en-lien/messages-signales/<int:pk>/": (
                f"/mise-en-lien/messages-signales/{message.pk}/"
            ),
            "mise-en-lien/desabonnement/<str:token>/": (
                f"/mise-en-lien/desabonnement/{unsubscribe}/"
            ),
            "annonces/alertes/<str:token>/desabonner/": (
                f"/annonces/alertes/{saved.token}/desabonner/"
            ),
            "annonces/renouveler/<str:token>/": (
                f"/annonces/renouveler/{renewal_token(ad)}/"
            ),
            "annonces/<int:pk>-<slug:slug>/": f"/annonces/{ad.pk}-{ad.slug}/",
            "mise-en-lien/ecrire/annonce/<int:pk>/": (
                f"/mise-en-lien/ecrire/annonce/{land.pk}/"
            ),
            "mise-en-lien/foncier/<int:pk>/groupes/": (
                f"/mise-en-lien/foncier/{land.pk}/groupes/"
            ),
            "projets/<slug:slug>/ [pending]": "/projets/projet-a-attente/",
            "api/v1/projects/<slug:slug>/ [pending]": (
                "/api/v1/projects/projet-a-attente/"
            ),
            "agenda/<slug:slug>/ [pending]": f"/agenda/{pending_event.slug}/",
            "annonces/<int:pk>-<slug:slug>/ [pending]": (
                f"/annonces/{pending.pk}-{pending.slug}/"
            ),
            "projets/<slug:slug>/modifier/ [project B]": "/projets/projet-b/modifier/",
            "projets/<slug:slug>/historique/ [project B]": (
                "/projets/projet-b/historique/"
            ),
            "annonces/<int:pk>/photos/<int:photo_pk>/supprimer/": (
                f"/annonces/{ad.pk}/photos/{photo.pk}/supprimer/"
            ),
        }
        reason = {"reason": "Ce contenu pose problème, merci de vérifier."}
        # Bodies that pass validation, so the answer shows who may act.
        self.bodies = {
            ("projets/<slug:slug>/fusionner/", "POST"): {"target": "projet-b"},
            ("projets/<slug:slug>/signaler/", "POST"): reason,
            ("annonces/<int:pk>/signaler/", "POST"): reason,
            ("annonces/<int:pk>/contact/", "POST"): {
                "message": "Bonjour, la chambre est-elle toujours libre ?"
            },
            ("moderation/<str:model>/<int:pk>/decision/", "POST"): {
                "decision": "approve"
            },
            ("mise-en-lien/messages/<int:pk>/", "POST"): {
                "body": "Merci pour votre message, parlons-en."
            },
        }
        self.headers = {
            ("api/v1/projects/<slug:slug>/", "PATCH"): {
                "If-Match": f'"{project_a.pk}-{project_a.version}"'
            },
        }
        self.defaults = {
            "projets/": {"slug": "projet-a", "photo_id": sheet_photo.pk},
            "agenda/": {"slug": event.slug},
            "mise-en-lien/groupes/": {"slug": "projet-a"},
            "mise-en-lien/ecrire/": {"slug": "projet-a"},
            "mise-en-lien/messages/": {"pk": conversation.pk},
            "annonces/": {"pk": ad.pk},
        }

    def path(self, route):
        if route in self.paths:
            return self.paths[route]
        if "<" not in route and "(" not in route:
            return "/" + route
        for prefix, values in self.defaults.items():
            if route.startswith(prefix):
                return "/" + re.sub(
                    r"<(?:\w+:)?(\w+)>",
                    lambda match, values=values: str(values[match.group(1)]),
                    route,
                )
        raise KeyError(f"no object for {route}: add it to World.paths")


def answer(client, world, route, method):
    """The status of one request, every change it made rolled back."""
    from habitat.projects.importers.jobs import update_job

    cache.clear()
    update_job(world.job, owner=world.users["admin"].pk, state="uploaded")
    send = getattr(client, method.lower())
    body = world.bodies.get((route, method))
    headers = world.headers.get((route, method))
    with transaction.atomic():
        if headers:
            response = send(
                world.path(route),
                {"name": "Projet A"},
                content_type="application/json",
                headers=headers,
            )
        elif body:
            response = send(world.path(route), body)
        else:
            response = send(world.path(route))
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.django_db
def test_every_route_answers_each_persona_and_method_as_declared(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.test import Client

    world = World()
    clients = {}
    for name, user in world.users.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)

    sessions = {
        name: client.cookies.get(django_settings.SESSION_COOKIE_NAME)
        for name, client in clients.items()
    }

    # PERMISSIONS_RECORD=file writes what every persona got, to review a new route.
    recording = os.environ.get("PERMISSIONS_RECORD")
    failures, recorded = [], {}
    for route in routes() + list(VARIANTS):
        declared = TABLE.get(route, {})
        for method in methods_of(route):
            got = []
            for name in PERSONAS:
                client = clients[name]
                got.append(str(answer(client, world, route, method)))
                if sessions[name] is not None:
                    # A logout's answer drops the cookie; the session row survived
                    # the rollback, so put the cookie back.
                    client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[
                        name
                    ].value
            got = " ".join(got)
            recorded.setdefault(route, {})[method] = got
            if declared.get(method) != got:
                failures.append((route, method, declared.get(method), got))
    if recording:
        with open(recording, "w") as handle:
            for route, answers in recorded.items():
                handle.write(f"    {route!r}: {answers!r},\n")
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
