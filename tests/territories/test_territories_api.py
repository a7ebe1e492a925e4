import gzip
import json

import pytest

from habitat.territories.models import Department

pytestmark = pytest.mark.django_db


def test_commune_search_returns_the_picker_fields(client):
    response = client.get("/api/v1/communes/", {"q": "st etienne"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response.json()[0] == {
        "insee": "42218",
        "name": "Saint-Étienne",
        "label": "Saint-Étienne (42)",
        "department": "42",
        "department_name": "Loire",
        "region": "84",
        "postal_codes": ["42000", "42100", "42230"],
        "latitude": 45.43959,
        "longitude": 4.38748,
        "time_zone": "Europe/Paris",
    }


@pytest.mark.parametrize(
    ("query", "insee"),
    [
        ("saint etienne", "42218"),
        ("l isle d abeau", "38193"),
        ("1300", "01034"),
        ("69007", "69387"),
        ("2A004", "2A004"),
        ("Saint-Denis (974)", "97411"),
    ],
)
def test_picker_cases_through_the_api(client, query, insee):
    response = client.get("/api/v1/communes/", {"q": query})

    assert response.json()[0]["insee"] == insee


def test_homonyms_have_distinct_labels(client):
    response = client.get("/api/v1/communes/", {"q": "saint denis", "limit": 2})

    labels = sorted(item["label"] for item in response.json())
    assert labels == ["Saint-Denis (93)", "Saint-Denis (974)"]


def test_overseas_commune_carries_its_time_zone(client):
    response = client.get("/api/v1/communes/", {"q": "97300"})

    assert [(c["insee"], c["time_zone"]) for c in response.json()] == [
        ("97302", "America/Cayenne")
    ]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "a"}, {"q": "  "}])
def test_empty_or_too_short_query_gives_an_empty_list(client, params):
    response = client.get("/api/v1/communes/", params)

    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize("query", ["lyon\x00", "\x00", "é" * 5000, "%_%", "(93)"])
def test_odd_queries_never_fail(client, query):
    response = client.get("/api/v1/communes/", {"q": query})

    assert response.status_code == 200
    assert isinstance(response.json(), list)


def test_bad_limit_gives_the_error_shape(client):
    response = client.get("/api/v1/communes/", {"q": "lyon", "limit": "many"})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "limit doit être un nombre entre 1 et 50.",
            "fields": {"limit": ["limit doit être un nombre entre 1 et 50."]},
        }
    }


@pytest.mark.parametrize(("query", "count"), [("belley", 1), ("lyon", 3)])
def test_commune_search_is_one_query_for_1_and_3_items(
    client, django_assert_num_queries, query, count
):
    with django_assert_num_queries(1):
        response = client.get("/api/v1/communes/", {"q": query, "limit": count})

    assert len(response.json()) == count


def test_regions_are_listed_by_code(client):
    data = client.get("/api/v1/regions/").json()

    assert len(data) == 18
    assert data[0] == {"code": "01", "name": "Guadeloupe"}
    assert {"code": "94", "name": "Corse"} in data


def test_departements_carry_region_and_time_zone(client):
    data = client.get("/api/v1/departements/").json()

    assert len(data) == 101
    by_code = {item["code"]: item for item in data}
    assert by_code["2A"] == {
        "code": "2A",
        "name": "Corse-du-Sud",
        "region": "94",
        "time_zone": "Europe/Paris",
    }
    assert by_code["976"]["time_zone"] == "Indian/Mayotte"


@pytest.mark.parametrize("url", ["/api/v1/regions/", "/api/v1/departements/"])
def test_small_lists_are_cached_after_one_query(client, django_assert_num_queries, url):
    with django_assert_num_queries(1):
        first = client.get(url).json()
    with django_assert_num_queries(0):
        second = client.get(url).json()

    assert first == second


def test_geojson_serves_the_outlines_from_the_cache(client, django_assert_num_queries):
    square = {"type": "Polygon", "coordinates": [[[4, 45], [5, 45], [5, 46], [4, 45]]]}
    Department.objects.filter(code="42").update(outline=square)

    with django_assert_num_queries(1):
        response = client.get("/api/v1/departements.geojson")
    with django_assert_num_queries(0):
        again = client.get("/api/v1/departements.geojson")

    assert response["Content-Type"] == "application/geo+json"
    assert json.loads(response.content) == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "42",
                "properties": {"code": "42", "name": "Loire", "region": "84"},
                "geometry": square,
            }
        ],
    }
    assert again.content == response.content


def test_geojson_is_gzipped_when_the_client_accepts_it(client):
    ring = [[4 + i / 1000, 45 + (i % 7) / 100] for i in range(400)] + [[4, 45]]
    Department.objects.update(outline={"type": "Polygon", "coordinates": [ring]})

    response = client.get("/api/v1/departements.geojson", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.content))["features"]) == 101


def test_schema_documents_the_commune_search(client):
    response = client.get("/api/schema/", {"format": "json"})

    operation = response.json()["paths"]["/api/v1/communes/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["limit", "q"]
    assert set(operation["responses"]) == {"200", "400"}
