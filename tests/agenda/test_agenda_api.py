"""GET /api/v1/events/: occurrences in a window, filters, errors, schema."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.agenda.conftest import import_fixture

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_occurrences_of_a_month_are_expanded_with_local_offsets(client):
    import_fixture("thunderbird")

    response = client.get("/api/v1/events/?start=2027-03-01&end=2027-03-31")

    body = response.json()
    assert response.status_code == 200
    assert [item["start"] for item in body["results"]] == [
        "2027-03-14T09:30:00+01:00",
        "2027-03-21T09:30:00+01:00",
        "2027-03-28T09:30:00+02:00",
    ]
    assert body["results"][0]["time_zone"] == "Europe/Paris"
    assert body["results"][0]["recurring"] is True
    assert body["results"][0]["commune"]["insee"] == "87064"


def test_all_day_occurrence_gives_first_and_last_day(client):
    import_fixture("thunderbird")

    body = client.get("/api/v1/events/?start=2027-05-01&end=2027-05-31").json()

    assert [(i["start"], i["end"], i["all_day"]) for i in body["results"]] == [
        ("2027-05-29", "2027-05-30", True)
    ]


def test_moved_occurrence_appears_once_at_its_new_date(client):
    import_fixture("nextcloud")

    body = client.get(
        "/api/v1/events/?start=2027-01-01&end=2027-01-31&q=permanence"
    ).json()

    assert [(i["start"], i["title"]) for i in body["results"]] == [
        (
            "2027-01-12T18:30:00+01:00",
            "Permanence d'information sur l'habitat participatif "
            "(reportée au 12 janvier)",
        )
    ]


def test_filters_are_the_same_as_the_feeds(client):
    import_fixture("google")

    body = client.get(
        "/api/v1/events/?start=2026-09-01&end=2027-06-30&region=84&type=open-day"
    ).json()

    assert [i["title"] for i in body["results"]] == [
        "Journée portes ouvertes – La Ruche des Voisins"
    ]


def test_too_wide_window_is_a_400_json_error(client):
    response = client.get("/api/v1/events/?start=2027-01-01&end=2028-06-01")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "window_too_large",
            "message": "Fenêtre trop large : 366 jours au plus.",
            "fields": {"end": ["Fenêtre trop large : 366 jours au plus."]},
        }
    }


def test_bad_date_is_a_400_json_error(client):
    response = client.get("/api/v1/events/?start=demain")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "start": ["Date invalide : utilisez AAAA-MM-JJ ou une date ISO 8601."]
    }


def test_unpublished_events_and_registrations_are_not_in_the_api(client, make_event):
    make_event(status="pending", start=datetime(2027, 3, 10, 18, tzinfo=PARIS))

    body = client.get("/api/v1/events/?start=2027-03-01&end=2027-03-31").json()

    assert body["results"] == []


def test_endpoint_is_documented_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/events/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"start", "end", "region", "type", "q"} <= names
    assert set(operation["responses"]) == {"200", "400"}


def test_image_is_given_with_absolute_url_alt_and_credit(client, make_event, settings):
    settings.SITE_URL = "https://habitat-ensemble.fr"
    settings.MEDIA_URL = "/media/"
    make_event(
        title="Avec image",
        start=datetime(2027, 3, 10, 18, tzinfo=PARIS),
        image="agenda/maison.jpg",
        image_alt="La maison commune en bois",
        image_credit="Photo : Hameau des Buis",
    )
    make_event(title="Sans image", start=datetime(2027, 3, 11, 18, tzinfo=PARIS))

    body = client.get("/api/v1/events/?start=2027-03-01&end=2027-03-31").json()

    assert {item["title"]: item["image"] for item in body["results"]} == {
        "Avec image": {
            "url": "https://habitat-ensemble.fr/media/agenda/maison.jpg",
            "alt": "La maison commune en bois",
            "credit": "Photo : Hameau des Buis",
        },
        "Sans image": None,
    }


def test_image_is_documented_as_nullable_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()

    components = schema["components"]["schemas"]
    image = components["Occurrence"]["properties"]["image"]
    assert image["nullable"] is True
    assert image["allOf"] == [{"$ref": "#/components/schemas/EventImage"}]
    assert set(components["EventImage"]["properties"]) == {"url", "alt", "credit"}


@pytest.mark.parametrize("count", [1, 50])
def test_api_query_count_does_not_grow(
    client, make_event, count, django_assert_num_queries
):
    for n in range(count):
        make_event(
            rrule="FREQ=WEEKLY;COUNT=3",
            start=datetime(2027, 3, 1 + n % 10, 18, tzinfo=PARIS),
            end=datetime(2027, 3, 1 + n % 10, 20, tzinfo=PARIS),
            image=f"agenda/photo-{n}.jpg",
            image_alt="Le jardin partagé",
        )

    # Series of the window, their overrides, count and page of single events,
    # full rows of the page only.
    with django_assert_num_queries(5):
        response = client.get("/api/v1/events/?start=2027-03-01&end=2027-03-31")

    body = response.json()
    assert body["count"] == 3 * count
    assert len(body["results"]) == min(3 * count, 50)
    assert all(item["commune"]["insee"] == "69123" for item in body["results"])
    assert all(item["image"]["alt"] == "Le jardin partagé" for item in body["results"])
