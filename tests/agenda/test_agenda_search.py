"""Search `q` through the shared index in every output: list, month grid,
feeds, embed and API, the same on SQLite and PostgreSQL."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def three_events(make_event):
    start = datetime.now(PARIS).replace(microsecond=0, second=0) + timedelta(days=3)
    for title in (
        "Visite de l'habitat du Hameau",
        "Portes ouvertes de l'Écolieu des Buis",
        "Repas partagé des voisins",
    ):
        make_event(title=title, start=start, end=start + timedelta(hours=2))
    return start


def titles_in(client, output: str, query: str, start) -> set[str]:
    known = {
        "Visite de l'habitat du Hameau",
        "Portes ouvertes de l'Écolieu des Buis",
        "Repas partagé des voisins",
    }
    urls = {
        "list": "/agenda/",
        "month": f"/agenda/?vue=mois&mois={start:%Y-%m}&",
        "ics": "/agenda.ics",
        "rss": "/agenda/rss/",
        "embed": "/agenda/embed/",
        "api": "/api/v1/events/",
    }
    url = urls[output]
    response = client.get(url + ("&" if "?" in url else "?") + f"q={query}")
    assert response.status_code == 200
    if output == "api":
        return {item["title"] for item in response.json()["results"]}
    text = response.content.decode().replace("&#x27;", "'").replace("\\,", ",")
    return {title for title in known if title in text}


OUTPUTS = ["list", "month", "ics", "rss", "embed", "api"]


@pytest.mark.parametrize("output", OUTPUTS)
def test_plural_finds_the_singular(client, three_events, output):
    found = titles_in(client, output, "habitats", three_events)

    assert found == {"Visite de l'habitat du Hameau"}


@pytest.mark.parametrize("output", OUTPUTS)
def test_query_without_accent_finds_the_accented_title(client, three_events, output):
    found = titles_in(client, output, "ecolieu", three_events)

    assert found == {"Portes ouvertes de l'Écolieu des Buis"}


def test_empty_query_keeps_every_event(client, three_events):
    assert len(titles_in(client, "api", "", three_events)) == 3


@pytest.mark.parametrize("count", [1, 3])
def test_search_adds_no_query_to_the_list(
    client, make_event, count, django_assert_num_queries
):
    start = datetime.now(PARIS).replace(microsecond=0) + timedelta(days=2)
    for n in range(count):
        make_event(title=f"Atelier habitat {n}", start=start, end=start)
    client.get("/agenda/?q=ateliers")  # content types cached, as in production

    # Count, the page's ids, then its rows (no series: no overrides).
    with django_assert_num_queries(3):
        response = client.get("/agenda/?q=ateliers")

    assert len(response.context["rows"]) == count
