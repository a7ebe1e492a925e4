"""Malformed pagination, filters and identifiers: 404 or a validation error,
never a 500, on every route of the portal (discovered from the resolver)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Long queries make long cache keys: fine for Redis and the database cache.
pytestmark = pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning")

SKIPPED_PREFIXES = ("cms/", "admin/", "documents/", "pages/", "_bench/", "i18n/")
# Routes that act on submission (GET shows a form or redirects).
LIST_ROUTES = {
    # route (without leading slash) -> expects 404 for out-of-range pages
    "projets/": "html",
    "agenda/": "html",
    "annonces/": "html",
    "foncier/": "html",
    "moderation/": "html",
    "api/v1/projects/": "api",
    "api/v1/events/": "api",
    "api/v1/ads/": "api",
    "api/v1/land-offers/": "api",
}
BAD_PAGES = ["9999", "0", "-1", "abc", "1.5", "%00", "9" * 30]
BAD_FILTERS = {
    "region": ["zz", "999", "<script>"],
    "department": ["999", "2C", "'"],
    "departement": ["999"],
    "type": ["inconnu"],
    "stage": ["inconnu"],
    "category": ["inconnue"],
    "start": ["pas-une-date", "2026-13-45"],
    "end": ["2026-02-30"],
    "date": ["hier"],
    "bbox": ["abc", "1,2,3", "999,999,-999,-999"],
    "zoom": ["-1", "99", "x"],
    "q": ["\x00", "a" * 5000, "'; DROP TABLE x; --"],
    "sort": ["inconnu", "-password"],
    "page_size": ["-5", "100000"],
    "commune": ["00000", "abc"],
    "radius": ["-3", "x"],
    "format": ["xml"],
}
BAD_IDS = {
    "slug": "n-existe-pas-du-tout",
    "int": "987654321",
    "str": "n-existe-pas",
    "path": "n-existe/pas",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def routes():
    """(route, converters) for every URL pattern outside the skipped prefixes."""
    found = []

    def walk(patterns, prefix, converters):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            merged = {**converters, **pattern.pattern.converters}
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, merged)
            elif isinstance(pattern, URLPattern):
                if route.startswith(SKIPPED_PREFIXES) or route.startswith("^"):
                    continue
                found.append(route)

    walk(get_resolver().url_patterns, "", {})
    return sorted(set(found))


def concrete(route):
    """Fill each <converter:name> with an identifier that does not exist."""

    def replace(match):
        converter = match.group(1) or "str"
        return BAD_IDS.get(converter, "inconnu")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", replace, route)


@pytest.fixture
def signed_in(client, bob):
    client.force_login(bob)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "verified"])
def test_unknown_identifiers_never_give_a_500(client, bob, who):
    if who == "verified":
        client.force_login(bob)
    failures = []
    for route in routes():
        if "<" not in route:
            continue
        path = concrete(route)
        response = client.get(path)
        if response.status_code >= 500:
            failures.append((path, response.status_code))
        elif response.status_code == 200 and "embed" not in route:
            # An identifier that does not exist must not render a page.
            failures.append((path, 200))
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "verified"])
def test_malformed_pages_and_filters_never_give_a_500(client, bob, who):
    if who == "verified":
        client.force_login(bob)
    failures = []
    for route in routes():
        if "<" in route:
            continue
        path = "/" + route
        for value in BAD_PAGES:
            response = client.get(path, {"page": value})
            if response.status_code >= 500:
                failures.append((path, "page", value, response.status_code))
        for name, values in BAD_FILTERS.items():
            for value in values:
                response = client.get(path, {name: value})
                if response.status_code >= 500:
                    failures.append((path, name, value, response.status_code))
    assert failures == []


@pytest.mark.django_db
def test_out_of_range_pages_of_lists_are_404_or_validation_errors(client, nadia):
    client.force_login(nadia)  # sees every list, the moderation queue included
    known = set(routes())
    failures = []
    for route, kind in LIST_ROUTES.items():
        if route not in known:
            continue  # not landed yet
        for value in ["9999", "0", "-1", "abc"]:
            response = client.get("/" + route, {"page": value})
            expected = {404} if kind == "html" else {400, 404}
            if response.status_code not in expected:
                failures.append((route, value, response.status_code))
            if kind == "api" and response.status_code in {400, 404}:
                body = response.json()
                if "error" not in body and "detail" not in body:
                    failures.append((route, value, "no JSON error"))
    assert failures == []
