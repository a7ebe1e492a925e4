"""64 browsers for 60 seconds against the portal under gunicorn (2 workers).

Half read anonymously (pages, feeds, API), half are signed in and write:
project sheet edits, event proposals, ads, relay messages, each through the
real form (GET, then POST with the page's CSRF token). No answer may be a
5xx, and afterwards every acknowledged write (302) is in the database,
counted per writer. PostgreSQL only: the run happens once in CI.
"""

import os
import threading
import time
from collections import Counter

import pytest

from habitat.accounts.models import User
from habitat.matching import services as matching_services
from habitat.moderation.models import Status
from habitat.projects.models import Project
from tests.quality.quality_load import (
    Gunicorn,
    Recorder,
    Visitor,
    acknowledged,
    database_url,
    session_key_for,
)

CLIENTS = 64
SECONDS = int(os.environ.get("HABITAT_LOAD_SECONDS", "60"))
PER_KIND = CLIENTS // 2 // 4  # writers of each kind
PASSWORD = "correct-horse-battery"  # noqa: S105 (test accounts)

READ_PATHS = [
    "/",
    "/projets/",
    "/projets/?q=habitat",
    "/agenda/",
    "/agenda/rss/",
    "/annonces/",
    "/foncier/",
    "/carte/",
    "/mise-en-lien/",
    "/api/v1/projects/",
    "/api/v1/events/",
    "/healthz",
]


def verified(email):
    return User.objects.create_user(
        email=email, password=PASSWORD, email_verified=True, display_name=email[:8]
    )


def build_population():
    editors, projects, conversations = [], [], []
    for n in range(PER_KIND):
        editor = verified(f"editeur{n}@example.org")
        project = Project.objects.create(
            name=f"Oasis de charge {n}",
            slug=f"oasis-charge-{n}",
            commune_id="69123",
            status=Status.PUBLISHED,
            short_description="Un habitat groupé près de Lyon.",
            contact_email=f"contact{n}@prive.example",
        )
        project.editors.add(editor)
        editors.append(editor)
        projects.append(project)
    for n in range(PER_KIND):
        person = verified(f"personne{n}@example.org")
        conversations.append(
            matching_services.write_to_group(
                person=person, project=projects[n], body="Bonjour à vous !"
            )
        )
    proposers = [verified(f"agenda{n}@example.org") for n in range(PER_KIND)]
    posters = [verified(f"annonce{n}@example.org") for n in range(PER_KIND)]
    return editors, projects, conversations, proposers, posters


class Run:
    def __init__(self, portal):
        self.portal = portal
        self.recorder = Recorder()
        self.acked = Counter()
        self.lock = threading.Lock()
        self.stop_at = 0.0

    def ack(self, key):
        with self.lock:
            self.acked[key] += 1

    def loop(self, body):
        n = 0
        while time.monotonic() < self.stop_at:
            body(n)
            n += 1

    def reader(self, index):
        visitor = Visitor(self.portal.url)
        slugs = [f"/projets/oasis-charge-{n}/" for n in range(PER_KIND)]
        paths = READ_PATHS + slugs

        def step(n):
            path = paths[(index + n) % len(paths)]
            self.recorder.call("read", visitor.get, path)

        self.loop(step)

    def writer(self, kind, index, session_key, target):
        visitor = Visitor(self.portal.url, session_key=session_key)

        def step(n):
            tag = f"{kind}-{index}-{n}"
            if kind == "sheet":
                path = f"/projets/{target}/modifier/"
                changes = {"short_description": f"Mise à jour {tag}"}
            elif kind == "event":
                path = "/agenda/proposer/"
                changes = {
                    "title": f"Visite {tag}",
                    "kind": "info-meeting",
                    "description": "Présentation du projet",
                    "start": "2027-03-10T18:30",
                    "end": "2027-03-10T20:00",
                    "commune": "69123",
                    "address": "Maison des associations",
                }
            elif kind == "ad":
                path = "/annonces/deposer/"
                changes = {
                    "title": f"Chambre {tag}",
                    "category": "dwelling",
                    "kind": "offer",
                    "body": "Une chambre se libère dans notre habitat groupé.",
                    "commune": "69123",
                    "price": "400",
                    "price_text": "charges comprises",
                }
            else:
                path = f"/mise-en-lien/messages/{target}/"
                changes = {"body": f"Message {tag}"}
            response = self.recorder.call(kind, visitor.submit, path, changes)
            if acknowledged(response):
                self.ack((kind, index))
            # A person pauses between two writes; readers keep the pressure.
            time.sleep(0.5)

        self.loop(step)


@pytest.mark.slow
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_64_clients_for_60_seconds_no_5xx_and_every_acknowledged_write_kept(
    settings,
):
    from habitat.ads.models import Ad
    from habitat.agenda.models import Event
    from habitat.matching.models import Message

    editors, projects, conversations, proposers, posters = build_population()
    writers = (
        [("sheet", i, editors[i], projects[i].slug) for i in range(PER_KIND)]
        + [("event", i, proposers[i], None) for i in range(PER_KIND)]
        + [("ad", i, posters[i], None) for i in range(PER_KIND)]
        + [
            ("message", i, conversations[i].person, conversations[i].pk)
            for i in range(PER_KIND)
        ]
    )
    sessions = {id(w): session_key_for(w[2]) for w in writers}
    versions = {p.pk: p.version for p in projects}

    with Gunicorn(database_url(settings.DATABASES["default"])) as portal:
        run = Run(portal)
        threads = [
            threading.Thread(target=run.reader, args=(i,))
            for i in range(CLIENTS - len(writers))
        ] + [
            threading.Thread(target=run.writer, args=(kind, i, sessions[id(w)], target))
            for w in writers
            for kind, i, _user, target in [w]
        ]
        started = time.monotonic()
        run.stop_at = started + SECONDS
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(SECONDS + 180)
        elapsed = time.monotonic() - started
        assert portal.alive()

    print("\nload run:", run.recorder.summary(elapsed))
    assert len(threads) == CLIENTS
    assert run.recorder.errors == []
    assert run.recorder.server_errors() == {}
    for kind in ("read", "sheet", "event", "ad", "message"):
        assert run.recorder.statuses[kind][200 if kind == "read" else 302] > 0, kind
    assert sum(run.acked.values()) == sum(
        run.recorder.statuses[kind][302] for kind in ("sheet", "event", "ad", "message")
    )

    for i, project in enumerate(projects):
        project.refresh_from_db()
        assert project.version - versions[project.pk] == run.acked[("sheet", i)]
    for i in range(PER_KIND):
        assert (
            Event.objects.filter(title__startswith=f"Visite event-{i}-").count()
            == (run.acked[("event", i)])
        )
    for i, user in enumerate(posters):
        assert Ad.objects.filter(author=user).count() == run.acked[("ad", i)]
    for i, conversation in enumerate(conversations):
        assert Message.objects.filter(conversation=conversation).count() == (
            1 + run.acked[("message", i)]
        )
