"""A town posts a plot in the browser; once approved it shows on the /foncier/ map."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from habitat.ads.models import Ad
from habitat.moderation import services as moderation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def test_town_posts_land_and_it_appears_on_the_map(
    live_server, page, bob, mona, settings
):
    settings.MAP_TILE_URL = "/static/vendor/leaflet/images/layers.png?{z}-{x}-{y}"
    problems = []
    # Console errors (a CSP refusal, a script error) and failed responses; the
    # browser's own /favicon.ico probe is not a page resource.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in(page, live_server, bob)

    page.goto(f"{live_server.url}/foncier/deposer/")
    page.locator("#id_poster_kind").select_option("town")
    page.get_by_label("Titre").fill("Ancienne école de Rennes")
    page.get_by_label("Texte de l'annonce").fill("La ville propose son école.")
    page.get_by_role("combobox", name="Commune").fill("35238")
    page.get_by_label("Surface (m²)").fill("1200")
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(f"{live_server.url}/annonces/*/photos/")
    ad = Ad.objects.get()
    moderation.decide(obj=ad, decision="approve", actor=mona)

    page.goto(f"{live_server.url}/foncier/")
    expect(page.locator("#land-map")).to_have_attribute("data-ready", "1")
    page.locator(".leaflet-marker-icon").first.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text(
        "Ancienne école de Rennes"
    )

    assert (ad.category, ad.kind, ad.commune_id) == ("land", "offer", "35238")
    assert problems == []
