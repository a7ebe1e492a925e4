"""Public pages: list, month grid, sheet, archive, open days, RSS, embed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from habitat.agenda.models import EventState

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def soon(days=3, hours=2):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    return {"start": start, "end": start + timedelta(hours=hours)}


def test_list_shows_upcoming_published_events_only(client, make_event):
    make_event(title="Portes ouvertes du Hameau", **soon())
    make_event(title="En attente", status="pending", **soon())
    make_event(title="Passé", **soon(days=-10))

    response = client.get("/agenda/")

    titles = [row["event"].title for row in response.context["rows"]]
    assert titles == ["Portes ouvertes du Hameau"]
    assert response.content.count(b"<h1") == 1


def test_archive_lists_past_events(client, make_event):
    make_event(title="Passé", **soon(days=-10))
    make_event(title="À venir", **soon())

    response = client.get("/agenda/?archive=1")

    assert [row["event"].title for row in response.context["rows"]] == ["Passé"]


def test_list_filters_by_region_type_online_and_search(client, make_event):
    from habitat.territories.models import Commune

    make_event(title="Atelier juridique à Lyon", kind="workshop", **soon())
    make_event(
        title="Atelier juridique à Rennes",
        kind="workshop",
        commune=Commune.objects.get(insee="35238"),
        **soon(),
    )
    make_event(title="Visite à Lyon", kind="visit", **soon())
    make_event(title="Visio", kind="workshop", online=True, **soon())

    def titles(query):
        return sorted(
            row["event"].title for row in client.get("/agenda/" + query).context["rows"]
        )

    assert titles("?region=84&type=workshop") == ["Atelier juridique à Lyon", "Visio"]
    assert titles("?departement=35") == ["Atelier juridique à Rennes"]
    assert titles("?en_ligne=1") == ["Visio"]
    assert titles("?q=JURIDIQUE+lyon") == ["Atelier juridique à Lyon"]


def test_bad_filter_is_reported_not_a_500(client):
    response = client.get("/agenda/?du=hier")

    assert response.status_code == 200
    assert "Date invalide : utilisez le format AAAA-MM-JJ." in response.content.decode()


def test_out_of_range_page_is_404(client, make_event):
    make_event(**soon())

    assert client.get("/agenda/?page=9").status_code == 404


def test_month_grid_places_each_occurrence_on_its_day(client, make_event):
    paris = ZoneInfo("Europe/Paris")
    make_event(
        title="Permanence",
        rrule="FREQ=WEEKLY;COUNT=3",
        start=datetime(2027, 3, 9, 18, 30, tzinfo=paris),
        end=datetime(2027, 3, 9, 20, 0, tzinfo=paris),
    )

    response = client.get("/agenda/?vue=mois&mois=2027-03")

    days = [
        cell["day"].day
        for week in response.context["weeks"]
        for cell in week
        if cell["occurrences"]
    ]
    assert days == [9, 16, 23]
    assert response.content.count(b"<h1") == 1


def test_guadeloupe_event_shows_its_local_time_everywhere(client, make_event):
    from habitat.territories.models import Commune

    guadeloupe = ZoneInfo("America/Guadeloupe")
    day = datetime.now(guadeloupe).date() + timedelta(days=3)
    start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=guadeloupe)
    event = make_event(
        title="Visite à Basse-Terre",
        commune=Commune.objects.get(insee="97105"),
        time_zone="America/Guadeloupe",
        start=start,
        end=start + timedelta(hours=2),
    )

    pages = {
        "sheet": client.get(event.get_absolute_url()),
        "list": client.get("/agenda/"),
        "month": client.get(f"/agenda/?vue=mois&mois={day:%Y-%m}"),
    }

    paris_hour = start.astimezone(ZoneInfo("Europe/Paris")).strftime("%Hh00")
    for name, response in pages.items():
        html = response.content.decode()
        assert "10h00" in html, name
        assert paris_hour not in html, name


def test_detail_shows_cancelled_event_as_cancelled(client, make_event):
    event = make_event(title="AG annulée", state=EventState.CANCELLED, **soon())

    response = client.get(f"/agenda/{event.slug}/")

    assert response.status_code == 200
    assert "Annulé" in response.content.decode()
    assert response.context["google_link"].startswith(
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
    )


def test_detail_of_unpublished_event_is_404_for_outsiders(client, make_event, bob):
    event = make_event(status="pending", **soon())
    client.force_login(bob)

    assert client.get(f"/agenda/{event.slug}/").status_code == 404


def test_detail_escapes_and_sanitises_text(client, make_event):
    event = make_event(
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)> **gras**",
        **soon(),
    )

    body = client.get(f"/agenda/{event.slug}/").content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "<img" not in body
    assert "<strong>gras</strong>" in body


def test_open_days_page_lists_the_weekend_open_days(client, make_event):
    paris = ZoneInfo("Europe/Paris")
    make_event(
        title="JPO La Ruche",
        kind="open-day",
        start=datetime(2027, 4, 24, 10, tzinfo=paris),
        end=datetime(2027, 4, 24, 18, tzinfo=paris),
    )
    make_event(
        title="JPO une autre semaine",
        kind="open-day",
        start=datetime(2027, 5, 1, 10, tzinfo=paris),
        end=datetime(2027, 5, 1, 18, tzinfo=paris),
    )

    response = client.get("/agenda/portes-ouvertes/?weekend=2027-04-24")

    assert [o.title for o in response.context["occurrences"]] == ["JPO La Ruche"]
    assert len(response.context["points"]) == 1
    assert 'media="print"' in response.content.decode()


def test_rss_feed_lists_upcoming_events_with_escaped_text(client, make_event):
    make_event(title="Réunion", description="<b>gras</b>", **soon())

    response = client.get("/agenda/rss/")

    assert response.status_code == 200
    assert b"<title>R\xc3\xa9union" in response.content
    assert b"&amp;lt;b&amp;gt;gras" in response.content


def test_embed_can_be_framed_anywhere_and_sets_no_cookie(client, make_event):
    make_event(title="Visite", **soon())

    response = client.get("/agenda/embed/?region=84")

    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert response.cookies == {}
    assert [row["event"].title for row in response.context["rows"]] == ["Visite"]


def test_other_pages_cannot_be_framed(client):
    response = client.get("/agenda/")

    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    assert "frame-ancestors *" not in response["Content-Security-Policy"]


def test_snippet_generator_keeps_the_chosen_filters(client):
    response = client.get("/agenda/integrer/?region=84&type=open-day")

    assert response.context["embed_url"] == (
        "http://127.0.0.1:8000/agenda/embed/?region=84&type=open-day"
    )
    assert "&lt;iframe src=" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(
    client, make_event, count, django_assert_num_queries
):
    # A series in both cases: its overrides come with the page's rows.
    for n in range(count):
        make_event(rrule="" if n else "FREQ=WEEKLY;COUNT=4", **soon(days=n + 1))

    with django_assert_num_queries(5):
        response = client.get("/agenda/")

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_does_not_grow(
    client, make_event, count, django_assert_num_queries
):
    for n in range(count):
        make_event(**soon(days=n + 1))

    with django_assert_num_queries(1):
        response = client.get("/agenda.ics")

    assert response.content.count(b"BEGIN:VEVENT") == count


@pytest.mark.parametrize("count", [1, 3])
def test_embed_query_count_does_not_grow(
    client, make_event, count, django_assert_num_queries
):
    for n in range(count):
        make_event(rrule="" if n else "FREQ=WEEKLY;COUNT=4", **soon(days=n + 1))

    with django_assert_num_queries(3):
        client.get("/agenda/embed/")
