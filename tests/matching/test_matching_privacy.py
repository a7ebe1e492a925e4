"""Privacy: no seeker data in any public output; export and account deletion."""

import html
import json
import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from habitat.matching import engine, privacy, services
from habitat.matching.models import Conversation, Match, SeekerProfile

SECRET = "Secret-Besoin-Fauteuil-Zorglub"

HREF = re.compile(rb'href="([^"#]*)"')
SKIPPED = (
    "/admin/",
    "/cms/",
    "/static/",
    "/media/",
    "/documents/",
    "/i18n/",
    "/comptes/logout",
    "/jsi18n/",
    "/healthz",
)


def parameterless_routes(patterns=None, prefix=""):
    """Every route of the site that takes no argument, e.g. '/annonces/rss/'."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        route = str(entry.pattern)
        if "<" in route or "(" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            yield from parameterless_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


def crawl(client, start, limit=400):
    seen, queue, pages = set(), deque(start), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIPPED):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response.streaming:
            pages[url] = b"".join(response.streaming_content)
            continue
        pages[url] = response.content
        for href in HREF.findall(response.content):
            parsed = urlparse(urljoin(url, html.unescape(href.decode())))
            if parsed.netloc in ("", "testserver"):
                queue.append(parsed.path)  # query strings only re-sort pages
    return pages


@pytest.fixture
def secret_seeker(make_seeker, make_group, alice, bob):
    bob.display_name = f"Bob {SECRET}"
    bob.save()
    group = make_group(editors=[alice], seeks_land=True)
    profile = make_seeker(
        bob,
        findable=True,
        pseudonym=f"Pseudo{SECRET}",
        about=f"À propos {SECRET}",
        accessibility_needs=f"Besoin {SECRET}",
    )
    engine.recompute_for_seeker(profile)
    services.write_to_group(person=bob, project=group.project, body=f"Message {SECRET}")
    return profile


def test_no_public_output_holds_a_seekers_data(client, secret_seeker):
    start = [
        "/",
        *parameterless_routes(),
        secret_seeker.matches.get().group.project.get_absolute_url(),
    ]

    pages = crawl(client, start)

    leaks = [
        url
        for url, body in pages.items()
        if SECRET.encode() in body or b"bob@example.org" in body
    ]
    assert len(pages) > 5
    assert leaks == []


def test_api_routes_never_hold_a_seekers_data(client, secret_seeker):
    api_routes = [
        route for route in parameterless_routes() if route.startswith("/api/")
    ]

    bodies = [client.get(route).content for route in api_routes]

    assert api_routes
    assert [SECRET.encode() in body for body in bodies] == [False] * len(bodies)


def test_export_holds_account_profile_and_messages(client, bob, secret_seeker):
    client.force_login(bob)

    response = client.get("/mise-en-lien/mes-donnees/export.json")

    data = json.loads(response.content)
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees.json"'
    assert data["account"]["email"] == "bob@example.org"
    assert data["seeker_profile"]["accessibility_needs"] == f"Besoin {SECRET}"
    assert data["seeker_profile"]["communes"] == [
        {"insee": "69387", "name": "Lyon 7e Arrondissement"}
    ]
    assert [m["body"] for m in data["conversations"][0]["messages"]] == [
        f"Message {SECRET}"
    ]


def test_export_includes_what_other_apps_export(bob, secret_seeker, monkeypatch):
    monkeypatch.setattr(
        privacy,
        "_other_app",
        lambda app, name: (
            (lambda user: {"app": app}) if name == "export_user_data" else None
        ),
    )

    data = privacy.export_user_data(bob)

    assert data["ads"] == {"app": "habitat.ads"}


def test_deleting_the_account_anonymises_and_keeps_messages_for_the_group(
    client, bob, alice, secret_seeker
):
    conversation = Conversation.objects.get()
    client.force_login(bob)

    response = client.post("/mise-en-lien/mes-donnees/", {"confirm": "SUPPRIMER"})
    bob.refresh_from_db()
    client.force_login(alice)
    page = client.get(f"/mise-en-lien/messages/{conversation.pk}/").content

    assert response["Location"] == "/"
    assert (bob.is_active, bob.display_name, bob.deleted_at is not None) == (
        False,
        "",
        True,
    )
    assert bob.email == f"compte-supprime-{bob.pk}@invalid.example"
    assert not bob.has_usable_password()
    assert not SeekerProfile.objects.filter(user=bob).exists()
    assert not Match.objects.exists()
    assert f"Message {SECRET}".encode() in page
    assert "compte supprimé".encode() in page
    assert f"Bob {SECRET}".encode() not in page


def test_deleting_needs_the_confirmation_word(client, bob):
    client.force_login(bob)

    response = client.post("/mise-en-lien/mes-donnees/", {"confirm": "oui"})
    bob.refresh_from_db()

    assert response.status_code == 200
    assert b"Tapez le mot SUPPRIMER pour confirmer." in response.content
    assert bob.is_active
