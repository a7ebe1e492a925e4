"""ICS output: validity with two parsers, round trips, zones, caching."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject

from habitat.agenda import queries, services
from habitat.agenda.models import Event, EventState
from habitat.territories.models import Commune
from tests.agenda.conftest import WINDOW, import_fixture

pytestmark = pytest.mark.django_db


def feed(client, query=""):
    response = client.get("/agenda.ics" + query)
    assert response.status_code == 200
    return response


def local_starts(calendar_bytes: bytes) -> list[str]:
    calendar = icalendar.Calendar.from_ical(calendar_bytes)
    found = []
    for component in recurring_ical_events.of(calendar).between(*WINDOW):
        start = component["DTSTART"].dt
        found.append(start.isoformat())
    return sorted(found)


def source_starts(name: str) -> list[str]:
    from tests.agenda.conftest import fixture_bytes

    return local_starts(fixture_bytes(name))


@pytest.fixture
def wide_window(monkeypatch):
    """Feeds cover now-30 d to now+12 months; pin 'now' inside the fixtures."""
    pinned = datetime(2026, 12, 1, tzinfo=ZoneInfo("UTC"))
    monkeypatch.setattr(queries, "FEED_FUTURE", queries.timedelta(days=365))
    monkeypatch.setattr(
        queries.timezone, "now", lambda: pinned - queries.timedelta(days=60)
    )


@pytest.mark.parametrize("name", ["google", "nextcloud", "thunderbird"])
def test_round_trip_preserves_every_local_start(client, name, wide_window):
    import_fixture(name)

    exported = feed(client).content

    assert local_starts(exported) == source_starts(name)


def test_feed_parses_with_vobject_too(client, wide_window):
    import_fixture("nextcloud")

    text = feed(client).content.decode()
    parsed = vobject.readOne(text)

    summaries = sorted(str(vevent.summary.value) for vevent in parsed.vevent_list)
    assert len(summaries) == 9
    assert "🏡 Pique-nique des habitants & voisins – fête de l'été 🎉" in summaries
    rrules = [v.rrule.value for v in parsed.vevent_list if hasattr(v, "rrule")]
    assert rrules == ["FREQ=MONTHLY;COUNT=9;BYDAY=1TU"]


def test_feed_is_folded_at_75_octets_with_crlf_and_has_every_vtimezone(
    client, wide_window
):
    import_fixture("google")

    body = feed(client).content

    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    body.decode("utf-8")  # no character was cut by a fold
    calendar = icalendar.Calendar.from_ical(body)
    tzids = {
        component[prop].params["TZID"]
        for component in calendar.walk("VEVENT")
        for prop in ("DTSTART", "DTEND")
        if "TZID" in component[prop].params
    }
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert tzids == {"Europe/Paris"}
    assert zones == tzids


def test_feed_keeps_rrule_exdate_recurrence_id_and_cancelled_status(
    client, wide_window
):
    import_fixture("google")
    import_fixture("nextcloud")

    calendar = icalendar.Calendar.from_ical(feed(client).content)
    events = calendar.walk("VEVENT")

    exdates = [e for e in events if e.get("EXDATE") is not None]
    assert len(exdates) == 1
    assert exdates[0]["EXDATE"].dts[0].dt == datetime(
        2026, 10, 27, 18, 30, tzinfo=ZoneInfo("Europe/Paris")
    )
    moved = [e for e in events if e.get("RECURRENCE-ID") is not None]
    assert [m["RECURRENCE-ID"].dt.isoformat() for m in moved] == [
        "2027-01-05T18:30:00+01:00"
    ]
    cancelled = [str(e["SUMMARY"]) for e in events if e["STATUS"] == "CANCELLED"]
    assert cancelled == ["Chantier participatif – enduits chaux-chanvre"]


def test_all_day_events_are_exported_as_dates_with_exclusive_end(client, wide_window):
    import_fixture("google")

    calendar = icalendar.Calendar.from_ical(feed(client).content)
    rnhp = next(
        e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Rencontres")
    )

    assert rnhp["DTSTART"].dt == date(2027, 5, 21)
    assert rnhp["DTEND"].dt == date(2027, 5, 24)
    assert rnhp["DTSTART"].params.get("VALUE") == "DATE"


def test_every_event_links_back_to_its_page(client, wide_window):
    import_fixture("thunderbird")

    calendar = icalendar.Calendar.from_ical(feed(client).content)
    urls = sorted(str(e["URL"]) for e in calendar.walk("VEVENT"))
    slugs = sorted(Event.objects.values_list("slug", flat=True))

    assert urls == [f"http://127.0.0.1:8000/agenda/{slug}/" for slug in slugs]


def test_guadeloupe_event_is_exported_in_its_own_zone(client, make_event):
    abymes = Commune.objects.get(insee="97101")
    zone = ZoneInfo("America/Guadeloupe")
    event = make_event(
        commune=abymes,
        time_zone="America/Guadeloupe",
        start=datetime(2027, 2, 6, 9, 0, tzinfo=zone),
        end=datetime(2027, 2, 6, 12, 0, tzinfo=zone),
    )

    body = client.get(f"/agenda/{event.slug}.ics").content
    calendar = icalendar.Calendar.from_ical(body)

    vevent = calendar.walk("VEVENT")[0]
    assert vevent["DTSTART"].params["TZID"] == "America/Guadeloupe"
    assert vevent["DTSTART"].dt.isoformat() == "2027-02-06T09:00:00-04:00"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [
        "America/Guadeloupe"
    ]
    assert str(vobject.readOne(body.decode()).vevent.dtstart.value) == (
        "2027-02-06 09:00:00-04:00"
    )


def test_text_is_escaped_in_the_feed(client, make_event):
    event = make_event(title="Repas; jeux, et \\ chansons", address="Salle, 1er étage")

    body = client.get(f"/agenda/{event.slug}.ics").content.decode()

    assert "SUMMARY:Repas\\; jeux\\, et \\\\ chansons" in body
    assert "LOCATION:Salle\\, 1er étage\\, Lyon" in body


def test_filtered_feed_keeps_only_matching_events(client, make_event):
    make_event(
        title="Portes ouvertes à Lyon",
        kind="open-day",
        start=datetime.now(ZoneInfo("UTC")),
        end=datetime.now(ZoneInfo("UTC")) + queries.timedelta(hours=2),
    )
    make_event(
        title="Atelier à Rennes",
        kind="workshop",
        commune=Commune.objects.get(insee="35238"),
        start=datetime.now(ZoneInfo("UTC")),
        end=datetime.now(ZoneInfo("UTC")) + queries.timedelta(hours=2),
    )

    body = feed(client, "?region=84&type=open-day").content
    summaries = [
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
    ]

    assert summaries == ["Portes ouvertes à Lyon"]


def test_bad_filter_gives_400_not_500(client):
    response = client.get("/agenda.ics?type=fete&du=demain")

    assert response.status_code == 400
    assert response.content.decode() == "Type d'événement inconnu."


def test_feed_answers_304_to_etag_and_last_modified_then_changes_after_an_edit(
    client, make_event, alice
):
    now = datetime.now(ZoneInfo("UTC"))
    event = make_event(start=now, end=now + queries.timedelta(hours=1))
    first = feed(client)

    by_etag = client.get("/agenda.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get("/agenda.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    event.title = "Nouveau titre"
    services.refresh_event(event)
    services.bump_feed_version()
    after_edit = client.get("/agenda.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert by_etag.status_code == 304
    assert by_etag["ETag"] == first["ETag"]
    assert by_date.status_code == 304
    assert after_edit.status_code == 200
    assert b"SUMMARY:Nouveau titre" in after_edit.content


def test_feed_is_served_from_cache_without_queries(
    client, make_event, django_assert_num_queries
):
    now = datetime.now(ZoneInfo("UTC"))
    make_event(start=now, end=now + queries.timedelta(hours=1))
    feed(client)

    with django_assert_num_queries(0):
        response = client.get("/agenda.ics")

    assert response.status_code == 200


def test_cancelled_event_is_marked_cancelled(client, make_event):
    event = make_event(state=EventState.CANCELLED)

    body = client.get(f"/agenda/{event.slug}.ics").content

    assert icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_unpublished_event_has_no_ics(client, make_event):
    event = make_event(status="pending")

    assert client.get(f"/agenda/{event.slug}.ics").status_code == 404


def test_organisation_feed_has_only_its_events(client, make_event, aura_association):
    now = datetime.now(ZoneInfo("UTC"))
    window = {"start": now, "end": now + queries.timedelta(hours=1)}
    make_event(title="De l'association", organiser=aura_association, **window)
    make_event(title="D'ailleurs", **window)

    body = client.get(f"/agenda/organisation/{aura_association.slug}.ics").content

    calendar = icalendar.Calendar.from_ical(body)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["De l'association"]
    assert str(calendar["X-WR-CALNAME"]) == aura_association.name
