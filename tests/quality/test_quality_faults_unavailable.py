"""A lost database gives a French 503 (JSON under /api/), never a 500.

In-process and fast, on both databases; the real outage with a stopped
PostgreSQL is test_quality_faults_database.py.
"""

import json

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory

from habitat.core import errors
from habitat.core.middleware import UNAVAILABLE_MESSAGE

FRENCH = "la base de données ne répond pas"


def lost_connection(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def database_down(db):
    with connection.execute_wrapper(lost_connection):
        yield


@pytest.mark.parametrize("path", ["/projets/", "/agenda/", "/annonces/", "/carte/"])
def test_pages_answer_503_in_french(client, database_down, path):
    response = client.get(path)

    assert response.status_code == 503
    assert FRENCH in response.content.decode()
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


def test_api_answers_a_json_503(client, database_down):
    response = client.get("/api/v1/projects/")

    assert response.status_code == 503
    assert response.json() == {
        "error": {"code": "unavailable", "message": UNAVAILABLE_MESSAGE}
    }


def test_healthz_answers_503(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_signed_in_pages_answer_503(client, bob):
    client.force_login(bob)
    with connection.execute_wrapper(lost_connection):
        response = client.get("/espace/")

    assert response.status_code == 503
    assert FRENCH in response.content.decode()


def test_an_error_outside_the_views_also_gives_the_503(db):
    """Sessions and the cache fail in middleware: the 500 handler answers."""
    for path in ("/projets/", "/api/v1/projects/"):
        request = RequestFactory().get(path)
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = errors.server_error(request)
        assert response.status_code == 503
        body = response.content.decode()
        text = json.loads(body)["error"]["message"] if "/api/" in path else body
        assert FRENCH in text


def test_other_errors_stay_500(db):
    request = RequestFactory().get("/projets/")
    try:
        raise ValueError("bug")
    except ValueError:
        response = errors.server_error(request)
    assert response.status_code == 500
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = errors.server_error(request)
    assert response.status_code == 500
