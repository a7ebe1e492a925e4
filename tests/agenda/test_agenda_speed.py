"""Agenda speed work: compressed cached feeds, 304s, invalidation on change,
API pages built from light rows, fragments rebuilt after a bulk load."""

import gzip
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.cache import cache

from habitat.agenda import feeds, ics, services
from habitat.agenda.models import Event

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")
PARIS = ZoneInfo("Europe/Paris")


def soon(hours=1):
    start = datetime.now(UTC) + timedelta(days=2)
    return {"start": start, "end": start + timedelta(hours=hours)}


def test_gzip_client_gets_the_stored_compressed_bytes(client, make_event):
    make_event(title="Portes ouvertes", **soon())
    plain = client.get("/agenda.ics")

    zipped = client.get("/agenda.ics", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert zipped.status_code == 200
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == "W/" + plain["ETag"]
    assert int(zipped["Content-Length"]) == len(zipped.content)
    assert b"SUMMARY:Portes ouvertes" in plain.content
    assert "Content-Encoding" not in plain


@pytest.mark.parametrize("header", ["identity", "deflate", ""])
def test_client_refusing_gzip_gets_plain_text(client, make_event, header):
    make_event(**soon())

    response = client.get("/agenda.ics", HTTP_ACCEPT_ENCODING=header)

    assert "Content-Encoding" not in response
    assert response.content.startswith(b"BEGIN:VCALENDAR")


def test_304_for_either_representation_etag(client, make_event):
    make_event(**soon())
    plain_etag = client.get("/agenda.ics")["ETag"]
    gzip_etag = client.get("/agenda.ics", HTTP_ACCEPT_ENCODING="gzip")["ETag"]

    cases = [
        client.get("/agenda.ics", HTTP_IF_NONE_MATCH=gzip_etag),
        client.get(
            "/agenda.ics", HTTP_IF_NONE_MATCH=plain_etag, HTTP_ACCEPT_ENCODING="gzip"
        ),
        client.get(
            "/agenda.ics",
            HTTP_IF_NONE_MATCH=f'"other", {gzip_etag}',
            HTTP_ACCEPT_ENCODING="gzip",
        ),
    ]

    assert [response.status_code for response in cases] == [304, 304, 304]
    assert all(response.content == b"" for response in cases)
    assert cases[1]["ETag"] == gzip_etag


def test_if_modified_since_gives_304_for_gzip_clients(client, make_event):
    make_event(**soon())
    first = client.get("/agenda.ics", HTTP_ACCEPT_ENCODING="gzip")

    again = client.get(
        "/agenda.ics",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )

    assert again.status_code == 304
    assert again["Last-Modified"] == first["Last-Modified"]


def test_edit_invalidates_cached_feed_and_memory(
    client, make_event, django_capture_on_commit_callbacks
):
    event = make_event(title="Ancien titre", **soon())
    first = client.get("/agenda.ics", HTTP_ACCEPT_ENCODING="gzip")

    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Titre corrigé"
        services.refresh_event(event)
    after = client.get(
        "/agenda.ics", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    body = gzip.decompress(after.content)
    assert b"Titre corrig" in body and b"Ancien titre" not in body


def test_new_event_appears_in_filtered_feed_after_commit(
    client, make_event, django_capture_on_commit_callbacks
):
    client.get("/agenda.ics?type=workshop")

    with django_capture_on_commit_callbacks(execute=True):
        make_event(title="Atelier nouveau", kind="workshop", **soon())

    body = client.get("/agenda.ics?type=workshop").content
    assert b"SUMMARY:Atelier nouveau" in body


def test_shared_cache_holds_compressed_bytes_and_serves_other_processes(
    client, make_event, django_assert_num_queries
):
    make_event(title="Visite", **soon())
    plain = client.get("/agenda.ics").content
    feeds.forget_local()  # as another process would start

    with django_assert_num_queries(0):
        response = client.get("/agenda.ics", HTTP_ACCEPT_ENCODING="gzip")

    assert gzip.decompress(response.content) == plain
    version = services.feed_version()
    stored = [
        value
        for key, value in cache._cache.items()
        if f"agenda:feed:gz:{version}:" in key
    ]
    assert stored, "the feed should be in the shared cache"


def test_feed_built_from_rows_matches_the_model_path(client, make_event):
    events = [
        make_event(title="Réunion", **soon()),
        make_event(
            title="Permanence hebdomadaire",
            rrule="FREQ=WEEKLY;COUNT=4",
            start=datetime(2027, 3, 1, 18, tzinfo=PARIS),
            end=datetime(2027, 3, 1, 20, tzinfo=PARIS),
        ),
    ]
    Event.objects.filter(pk=events[0].pk).update(ics_fragment="")  # not rendered yet

    from habitat.agenda import queries

    body = feeds.build_agenda_feed(queries.Filters())

    calendar = icalendar.Calendar.from_ical(body)
    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == [
        "Permanence hebdomadaire",
        "Réunion",
    ]
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_rebuild_fragments_after_a_bulk_load(make_event):
    template = make_event(
        rrule="FREQ=MONTHLY;BYDAY=1SA;COUNT=12",
        start=datetime(2027, 1, 2, 10, tzinfo=PARIS),
        end=datetime(2027, 1, 2, 12, tzinfo=PARIS),
    )
    Event.objects.filter(pk=template.pk).update(ics_fragment="", last_end=template.end)

    assert ics.rebuild_fragments(batch_size=1) == 1

    template.refresh_from_db()
    assert template.ics_fragment.startswith("BEGIN:VEVENT")
    assert "RRULE:FREQ=MONTHLY;COUNT=12;BYDAY=1SA" in template.ics_fragment
    assert template.last_end == datetime(2027, 12, 4, 12, tzinfo=PARIS)


def test_api_pages_merge_single_events_and_series_in_order(client, make_event):
    for day in (1, 8, 15):
        make_event(
            title=f"Unique {day}",
            start=datetime(2027, 3, day, 9, tzinfo=PARIS),
            end=datetime(2027, 3, day, 10, tzinfo=PARIS),
        )
    make_event(
        title="Série",
        rrule="FREQ=WEEKLY;COUNT=4",
        start=datetime(2027, 3, 1, 8, tzinfo=PARIS),
        end=datetime(2027, 3, 1, 9, tzinfo=PARIS),
    )
    url = "/api/v1/events/?start=2027-03-01&end=2027-03-31&page_size=3"

    pages = [client.get(url).json(), client.get(url + "&page=2").json()]
    titles = [item["title"] for page in pages for item in page["results"]]

    assert pages[0]["count"] == 7
    assert titles == [
        "Série",
        "Unique 1",
        "Série",
        "Unique 8",
        "Série",
        "Unique 15",
    ]
    assert client.get(url + "&page=3").json()["results"][0]["title"] == "Série"
