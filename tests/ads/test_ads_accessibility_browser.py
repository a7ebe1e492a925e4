"""The ads pages pass axe with no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ads_pages_have_no_serious_accessibility_violation(
    live_server, page, make_ad, bob, settings
):
    settings.MAP_TILE_URL = "/static/vendor/leaflet/images/layers.png?{z}-{x}-{y}"
    ad = make_ad(land=True)
    client = Client()
    client.force_login(bob)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    axe = Axe()
    found = []

    for url in [
        "/annonces/",
        "/foncier/",
        ad.get_absolute_url(),
        "/annonces/deposer/",
        "/foncier/deposer/",
    ]:
        page.goto(live_server.url + url)
        violations = axe.run(page).response["violations"]
        found += [
            (url, v["id"]) for v in violations if v["impact"] in ("serious", "critical")
        ]

    assert found == []
