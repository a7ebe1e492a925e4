"""The database stops in the middle of a load run, then comes back.

A private PostgreSQL cluster (initdb + pg_ctl on a free port, in a temporary
directory) holds a copy of the test database; the portal runs on it under
gunicorn while browsers read and write. The cluster is stopped hard
(`pg_ctl -m immediate`): pages answer 503 with a French explanation, the API
a JSON 503, `/healthz` 503; once the cluster is started again the same
gunicorn answers 200 by itself, signed-in sessions still hold, and every
acknowledged write is in the database. Never a 500, never a dropped
connection. The machine's PostgreSQL on 5432 is only read (pg_dump).
"""

import glob
import os
import shutil
import subprocess
import tempfile
import threading
import time

import psycopg
import pytest

from habitat.accounts.models import User
from habitat.moderation.models import Status
from habitat.projects.models import Project
from tests.quality.quality_load import (
    Gunicorn,
    Recorder,
    Visitor,
    acknowledged,
    free_port,
    session_key_for,
)

FRENCH = "la base de données ne répond pas"
OUTAGE = 8.0  # seconds without database
GRACE = 3.0  # requests already in flight when the database comes back


def postgres_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


class PrivateCluster:
    """A throwaway PostgreSQL cluster owned by the postgres user."""

    def __init__(self):
        self.bin = postgres_bin()
        self.port = free_port()
        self.root = tempfile.mkdtemp(prefix="habitat-pg-")
        self.data = os.path.join(self.root, "data")
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")

    def run(self, *command, check=True):
        command = [os.path.join(self.bin, command[0]), *command[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, check=check, capture_output=True, timeout=120, cwd="/"
        )

    def init(self):
        self.run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                 "--no-sync", "-E", "UTF8", "--no-locale")  # fmt: skip
        return self

    def start(self):
        # fsync off is safe here (only the server process dies, the kernel
        # keeps what was written); synchronous_commit stays on, as in
        # production: with it off, an immediate stop loses the last
        # acknowledged commits, which is what this test must never see.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self.run("pg_ctl", "-D", self.data, "-l", os.path.join(self.root, "log"),
                 "-o", options, "-w", "-t", "60", "start")  # fmt: skip

    def stop(self, mode="immediate"):
        self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def copy_from(self, database: dict, name: str):
        """pg_dump of the test database, restored here as `name`."""
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "postgres", name)  # fmt: skip
        dump = os.path.join(self.root, "copy.dump")
        self.run("pg_dump", "-h", database["HOST"] or "127.0.0.1",
                 "-p", str(database["PORT"] or 5432), "-U", database["USER"],
                 "-Fc", "-f", dump, database["NAME"])  # fmt: skip
        self.run("pg_restore", "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "postgres", "--no-owner", "-d", name, dump)  # fmt: skip

    def cleanup(self):
        self.stop("fast")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster():
    if postgres_bin() is None or (
        os.geteuid() == 0 and shutil.which("runuser") is None
    ):
        pytest.fail("PostgreSQL's initdb/pg_ctl are needed (Debian package postgresql)")
    instance = PrivateCluster().init()
    try:
        instance.start()
        yield instance
    finally:
        instance.cleanup()


def within(timeline, start, end, *, kinds=None):
    return [
        status
        for at, kind, status in timeline
        if start <= at <= end and (kinds is None or kind in kinds)
    ]


@pytest.mark.slow
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_database_outage_gives_french_503_and_the_portal_recovers_alone(
    settings, cluster
):
    editor = User.objects.create_user(
        email="editrice@example.org",
        password="correct-horse-battery",
        email_verified=True,
        display_name="Éditrice",
    )
    project = Project.objects.create(
        name="Les Tilleuls",
        slug="les-tilleuls",
        commune_id="69123",
        status=Status.PUBLISHED,
        short_description="Habitat groupé.",
    )
    project.editors.add(editor)
    session_key = session_key_for(editor)
    cluster.copy_from(settings.DATABASES["default"], "habitat_outage")
    recorder = Recorder()
    acked = []
    stop = threading.Event()

    with Gunicorn(cluster.url("habitat_outage")) as portal:
        master = portal.process.pid

        def reader(index):
            visitor = Visitor(portal.url)
            paths = ["/", "/projets/", "/projets/les-tilleuls/", "/agenda/",
                     "/api/v1/projects/", "/healthz"]  # fmt: skip
            n = index
            while not stop.is_set():
                recorder.call("read", visitor.get, paths[n % len(paths)])
                n += 1

        def writer():
            visitor = Visitor(portal.url, session_key=session_key)
            n = 0
            while not stop.is_set():
                response = recorder.call(
                    "sheet",
                    visitor.submit,
                    "/projets/les-tilleuls/modifier/",
                    {"short_description": f"Version {n}"},
                )
                if acknowledged(response):
                    acked.append(n)
                n += 1
                time.sleep(0.2)

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(6)]
        threads.append(threading.Thread(target=writer))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            time.sleep(5)
            down_at = time.monotonic()
            cluster.stop("immediate")
            time.sleep(1)

            visitor = Visitor(portal.url)
            page = visitor.get("/projets/")
            health = visitor.get("/healthz")
            api = visitor.get("/api/v1/projects/")
            signed_in = Visitor(portal.url, session_key=session_key).get("/espace/")
            time.sleep(max(0.0, OUTAGE - (time.monotonic() - down_at)))

            cluster.start()
            up_at = time.monotonic()
            while time.monotonic() - up_at < 60:
                if visitor.get("/healthz").status_code == 200:
                    break
                time.sleep(0.2)
            recovered_at = time.monotonic()
            time.sleep(5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(120)
        after = Visitor(portal.url, session_key=session_key).get("/espace/")
        assert portal.alive() and portal.process.pid == master

    print(
        f"\noutage run: down {up_at - down_at:.1f} s, back "
        f"{recovered_at - up_at:.1f} s after the restart\n"
        + recorder.summary(time.monotonic() - started)
    )
    assert page.status_code == 503 and FRENCH in page.text
    assert page.headers["Retry-After"] == "30"
    assert health.status_code == 503
    assert api.status_code == 503 and api.json()["error"]["code"] == "unavailable"
    assert signed_in.status_code == 503 and FRENCH in signed_in.text
    assert recovered_at - up_at < 30, "the portal did not recover by itself"
    assert after.status_code == 200, "the session was lost"

    assert recorder.errors == []
    statuses = {s for counts in recorder.statuses.values() for s in counts}
    assert statuses <= {200, 302, 503}, recorder.statuses
    timeline = recorder.timeline
    assert 503 not in within(timeline, 0, down_at)
    assert 503 in within(timeline, down_at + 0.5, up_at)
    assert set(within(timeline, recovered_at + GRACE, float("inf"))) <= {200, 302}
    assert within(timeline, recovered_at + GRACE, float("inf"), kinds={"read"})

    with psycopg.connect(cluster.url("habitat_outage")) as connection:
        version = connection.execute(
            "SELECT version FROM projects_project WHERE slug = 'les-tilleuls'"
        ).fetchone()[0]
    assert acked, "no sheet edit was acknowledged"
    assert version - project.version == len(acked)
