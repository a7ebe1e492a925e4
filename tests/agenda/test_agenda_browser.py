"""In Chromium: the embed in an iframe on another origin; imported scripts
never run in the agenda page or in the widget."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from habitat.agenda import importer
from habitat.agenda.models import Event, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hostile//EN\r\n"
    "BEGIN:VEVENT\r\nUID:hostile-1@example.net\r\n"
    "DTSTART;TZID=Europe/Paris:20300316T140000\r\n"
    "DTEND;TZID=Europe/Paris:20300316T170000\r\n"
    "SUMMARY:<script>alert('summary')</script>Visite piégée\r\n"
    "DESCRIPTION:<img src=x onerror=\"alert('img')\"><b>Bienvenue</b> &lt;script&gt;"
    "alert('entity')&lt;/script&gt; <a href=\"javascript:alert('link')\">lien</a>\r\n"
    "LOCATION:12 rue des Jardins\\, 69100 Villeurbanne\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def host_page(html: str):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def hostile_event(db):
    source = Source.objects.create(name="Hostile", trusted=True)
    importer.import_calendar(source=source, payload=HOSTILE_ICS)
    return Event.objects.get()


def watch(page):
    seen = {"dialogs": [], "errors": []}
    page.on(
        "dialog",
        lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()),
    )
    page.on(
        "console",
        lambda message: (
            seen["errors"].append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def test_embed_shows_in_an_iframe_on_another_origin(live_server, page, hostile_event):
    embed_url = (
        live_server.url.replace("127.0.0.1", "localhost") + "/agenda/embed/?region=84"
    )
    server = host_page(
        "<!doctype html><html lang='fr'><head><title>Association</title></head><body>"
        f"<h1>Notre agenda</h1><iframe title='Agenda' src='{embed_url}' "
        "width='600' height='500'></iframe></body></html>"
    )
    seen = watch(page)
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        frame = page.frame_locator("iframe")
        heading = frame.get_by_role("heading", level=1)
        heading.wait_for()

        assert heading.inner_text() == "Agenda de l'habitat participatif"
        assert frame.get_by_role("link", name="Visite piégée").count() == 1
        assert seen["dialogs"] == []
        assert [e for e in seen["errors"] if "frame-ancestors" in e] == []
    finally:
        server.shutdown()
        server.server_close()


def test_imported_script_does_not_run_on_the_agenda_pages(
    live_server, page, hostile_event
):
    seen = watch(page)

    for path in ("/agenda/", f"/agenda/{hostile_event.slug}/", "/agenda/embed/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")

    page.goto(live_server.url + f"/agenda/{hostile_event.slug}/")
    body = page.locator("main").inner_text()
    assert seen["dialogs"] == []
    assert "Visite piégée" in body
    assert "Bienvenue" in body
    assert page.locator("main script").count() == 0
    # The only images are the map's own tiles and marker, never the import's.
    stray_images = page.evaluate(
        "[...document.querySelectorAll('main img')]"
        ".filter(img => !img.closest('.leaflet-container')).length"
    )
    assert stray_images == 0
    assert page.locator("main a[href^='javascript']").count() == 0


def test_embed_and_event_page_have_no_serious_axe_violation(
    live_server, page, hostile_event
):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for path in (
        "/agenda/embed/",
        f"/agenda/{hostile_event.slug}/",
        "/agenda/?vue=mois",
    ):
        page.goto(live_server.url + path, wait_until="load")
        violations = axe.run(page).response["violations"]
        found[path] = sorted(
            v["id"] for v in violations if v["impact"] in ("serious", "critical")
        )

    assert found == {
        "/agenda/embed/": [],
        f"/agenda/{hostile_event.slug}/": [],
        "/agenda/?vue=mois": [],
    }
