"""The event sheet's map in Chromium: Leaflet from our own server, tiles
from settings.MAP_TILE_URL, nothing blocked by the content security policy."""

import pytest
from playwright.sync_api import expect

from tests.agenda.conftest import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLANK_TILE = (
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
)


def test_event_page_draws_a_tiled_map_of_its_place(live_server, page, settings):
    settings.MAP_TILE_URL = BLANK_TILE
    event = EventFactory(title="Portes ouvertes à Lyon")
    outside, failures = [], []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    page.on("response", lambda r: failures.append(r.url) if r.status >= 400 else None)
    page.on("pageerror", lambda error: failures.append(str(error)))
    page.on(
        "console",
        lambda m: (
            failures.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )

    page.goto(f"{live_server.url}{event.get_absolute_url()}")

    map_box = page.locator("#event-map")
    expect(map_box).to_have_attribute("data-ready", "1")
    expect(map_box.locator(".leaflet-tile").first).to_be_attached()
    expect(map_box.locator(".leaflet-marker-icon")).to_have_count(1)
    assert outside == []
    assert failures == []
