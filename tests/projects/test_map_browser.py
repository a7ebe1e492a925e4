"""The map in Chromium: filter it, open a marker, follow it to the sheet."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLANK_TILE = (
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
)


def test_filter_the_map_then_open_a_marker_and_its_sheet(
    live_server, page, make_project, settings
):
    settings.MAP_TILE_URL = BLANK_TILE
    make_project(name="La Ruche des Voisins", project_stage="works")
    make_project(name="Le Toit Partagé", project_stage="works")
    make_project(name="Ti an Holl", project_stage="idea", commune="29046")
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

    page.goto(f"{live_server.url}/carte/")
    map_box = page.locator("#project-map")
    expect(map_box).to_have_attribute("data-ready", "1")
    expect(map_box).to_have_attribute("data-markers", "3")

    page.locator("select[name=project_stage]").select_option("works")
    page.get_by_role("button", name="Filtrer").click()
    expect(map_box).to_have_attribute("data-ready", "1")
    expect(map_box).to_have_attribute("data-markers", "2")
    results = page.locator(".map-result-list li")
    expect(results).to_have_count(2)

    # Both sheets sit on Lyon's centre: the cluster spiderfies them.
    page.locator(".marker-cluster").first.click()
    page.wait_for_function(
        "document.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)')"
        ".length === 2"
    )
    page.locator(".leaflet-marker-icon:not(.marker-cluster)").first.click()
    link = page.locator(".map-popup h3 a")
    expect(link).to_have_count(1)
    name = link.inner_text()
    link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert name in ("La Ruche des Voisins", "Le Toit Partagé")
    assert outside == []
    assert failures == []


def test_a_very_large_directory_is_clustered_by_the_server(
    live_server, page, make_project, settings, monkeypatch
):
    from habitat.projects import map as project_map

    monkeypatch.setattr(project_map, "CLUSTER_MODE_THRESHOLD", 2)
    settings.MAP_TILE_URL = BLANK_TILE
    for _ in range(3):
        make_project(name="À Lyon")
    make_project(name="À Douarnenez", commune="29046")
    project_map.invalidate()

    page.goto(f"{live_server.url}/carte/")

    map_box = page.locator("#project-map")
    expect(map_box).to_have_attribute("data-mode", "clusters")
    expect(map_box).to_have_attribute("data-ready", "1")
    expect(map_box).to_have_attribute("data-markers", "4")
    expect(page.locator(".marker-cluster")).to_have_count(1)
    expect(page.locator(".marker-cluster")).to_have_text("3")


def test_project_sheet_shows_its_small_map(live_server, page, make_project, settings):
    settings.MAP_TILE_URL = BLANK_TILE
    project = make_project(name="La Ruche")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}{project.get_absolute_url()}")

    sheet_map = page.locator(".map[data-lat][data-lng]")
    expect(sheet_map).to_have_attribute("data-ready", "1")
    expect(sheet_map.locator(".leaflet-marker-icon")).to_have_count(1)
    assert sheet_map.bounding_box()["height"] > 100
    assert errors == []


@pytest.mark.parametrize("path", ["/carte/", "/carte/integrer/", "/carte/embed/"])
def test_map_pages_have_no_accessibility_violation(
    live_server, page, make_project, settings, path
):
    from axe_playwright_python.sync_playwright import Axe

    settings.MAP_TILE_URL = BLANK_TILE
    make_project(name="La Ruche")
    page.goto(f"{live_server.url}{path}")
    if path != "/carte/integrer/":
        expect(page.locator("#project-map")).to_have_attribute("data-ready", "1")

    violations = Axe().run(page).response["violations"]

    assert [(v["id"], v["impact"]) for v in violations] == []


def test_import_page_has_no_accessibility_violation(live_server, page, db):
    from axe_playwright_python.sync_playwright import Axe
    from django.test import Client

    from tests.conftest import make_user

    client = Client()
    client.force_login(make_user("staff@example.org", is_staff=True))
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies(
        [{"name": "sessionid", "value": cookie, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/projets/import/")

    violations = Axe().run(page).response["violations"]

    assert page.locator("#id_file").get_attribute("aria-describedby") == (
        "id_file_helptext"
    )
    assert [(v["id"], v["impact"]) for v in violations] == []
