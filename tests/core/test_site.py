"""Site-wide checks: migrations, health, errors, the crawl of public pages."""

import re
from collections import deque
from io import StringIO
from unittest import mock
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.db import OperationalError

from habitat.core import demo

H1 = re.compile(rb"<h1[\s>]", re.IGNORECASE)
HREF = re.compile(rb'href="([^"#]*)"')
SKIPPED_PREFIXES = (
    "/admin/",
    "/cms/",
    "/static/",
    "/media/",
    "/documents/",
    "/i18n/",
    "/comptes/logout",
    "/jsi18n/",
)
CRAWL_LIMIT = 400


def test_no_model_change_lacks_a_migration(db):
    output = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=output)

    assert "No changes detected" in output.getvalue()


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch(
        "habitat.core.views.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


def test_lost_database_gives_a_french_503_page(client, db):
    with mock.patch(
        "habitat.core.views.render", side_effect=OperationalError("server closed")
    ):
        response = client.get("/")

    assert response.status_code == 503
    assert "momentanément indisponible".encode() in response.content
    assert response["Retry-After"] == "30"


def test_unknown_page_is_a_french_404_with_one_h1(client, db):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert len(H1.findall(response.content)) == 1
    assert b"Page introuvable" in response.content


def test_unknown_api_route_is_a_json_404(client, db):
    response = client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_language_switch_serves_english(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, follow=True
    )

    assert response.status_code == 200
    assert b'<html lang="en">' in response.content


def _links(base, body):
    for raw in HREF.findall(body):
        url = urljoin(base, raw.decode())
        parsed = urlparse(url)
        if parsed.netloc not in ("", "testserver"):
            continue
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if path.startswith(SKIPPED_PREFIXES) or not path.startswith("/"):
            continue
        yield path


@pytest.mark.django_db
def test_crawl_of_public_pages_finds_one_h1_each_and_no_error(client):
    demo.build_all()
    seen, queue, failures, pages = set(), deque(["/"]), [], 0

    while queue and pages < CRAWL_LIMIT:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        pages += 1
        if response.status_code >= 500:
            failures.append(f"{path}: {response.status_code}")
            continue
        if response.status_code != 200:
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        h1_count = len(H1.findall(response.content))
        if (
            h1_count != 1
            and not path.startswith("/carte/embed")
            and "embed" not in path
        ):
            failures.append(f"{path}: {h1_count} <h1>")
        queue.extend(
            link for link in _links(path, response.content) if link not in seen
        )

    assert failures == []
    assert pages > 10
