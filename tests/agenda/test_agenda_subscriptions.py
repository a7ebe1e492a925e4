"""Subscription URLs fetched with conditional requests; the import command."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from habitat.agenda import importer, tasks
from habitat.agenda.models import Event, Source
from habitat.moderation.models import Status
from tests.agenda.conftest import DATA, fixture_bytes

pytestmark = pytest.mark.django_db
ETAG = '"v1"'


class CalendarHandler(BaseHTTPRequestHandler):
    requests_seen: list = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.requests_seen.append(dict(self.headers))
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.end_headers()
            return
        body = fixture_bytes("thunderbird")
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("ETag", ETAG)
        self.send_header("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def calendar_server():
    CalendarHandler.requests_seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), CalendarHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/calendar.ics"
    server.shutdown()
    server.server_close()


def test_subscription_is_imported_then_answered_304(calendar_server):
    source = Source.objects.create(
        name="Thunderbird", url=calendar_server, trusted=True
    )

    first = importer.fetch_source(source=source)
    source.refresh_from_db()
    second = importer.fetch_source(source=source)

    assert first.summary["created"] == 5
    assert second is None
    assert source.etag == ETAG
    assert CalendarHandler.requests_seen[1]["If-None-Match"] == ETAG
    assert CalendarHandler.requests_seen[1]["If-Modified-Since"] == (
        "Tue, 01 Dec 2026 10:00:00 GMT"
    )


def test_periodic_task_refreshes_every_subscription(calendar_server):
    Source.objects.create(name="Thunderbird", url=calendar_server)

    result = tasks.refresh_subscriptions.enqueue()

    assert result.return_value == 1
    assert Event.objects.series().count() == 5
    assert set(Event.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_unreachable_subscription_is_reported_not_crashed():
    source = Source.objects.create(name="Gone", url="http://127.0.0.1:9/none.ics")

    result = tasks.refresh_source.enqueue(source.pk)

    assert result.return_value["error"].startswith("Calendrier injoignable")


def test_command_imports_a_file_as_trusted_and_prints_the_report(capsys):
    call_command(
        "import_events", str(DATA / "google-calendar-export.ics"), "--source", "Google"
    )

    output = capsys.readouterr().out
    assert output.splitlines()[-1] == (
        "12 créé(s), 0 mis à jour, 0 inchangé(s), 0 retiré(s), 0 refusé(s)."
    )
    assert set(Event.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_staff_import_page_shows_the_report(client, admin_user):
    client.force_login(admin_user)
    with (DATA / "nextcloud-export.ics").open("rb") as upload:
        response = client.post(
            "/agenda/importer/",
            {"source": "Nextcloud", "file": upload, "trusted": "on"},
        )

    assert response.status_code == 200
    assert response.context["report"].summary["created"] == 8
    assert client.get("/agenda/importer/").status_code == 200


def test_import_page_is_for_staff_only(client, bob):
    client.force_login(bob)

    response = client.get("/agenda/importer/")

    assert response.status_code == 302
