"""Every fact of the agenda/*.ics sections of the fixtures README."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from habitat.agenda import queries
from habitat.agenda.models import Event, EventState
from habitat.moderation.models import ModerationLog, Status
from tests.agenda.conftest import WINDOW, import_fixture

UTC = ZoneInfo("UTC")
pytestmark = pytest.mark.django_db


def window_occurrences():
    events = (
        Event.objects.series().prefetch_related("overrides").select_related("commune")
    )
    return queries.occurrences_between(events, *WINDOW)


def starts_of(title_start: str):
    return [
        occurrence.start.isoformat()
        for occurrence in window_occurrences()
        if occurrence.event.title.startswith(title_start)
    ]


def test_google_export_has_19_occurrences_in_the_window():
    report = import_fixture("google")

    assert report.summary["created"] == 12
    assert report.summary["refused"] == 0
    assert len(window_occurrences()) == 19


def test_google_weekly_workshop_keeps_1830_across_october_change_and_skips_exdate():
    import_fixture("google")

    starts = starts_of("Atelier « Monter son projet d'habitat participatif »")

    assert starts == [
        "2026-09-29T18:30:00+02:00",
        "2026-10-06T18:30:00+02:00",
        "2026-10-13T18:30:00+02:00",
        "2026-10-20T18:30:00+02:00",
        "2026-11-03T18:30:00+01:00",
        "2026-11-10T18:30:00+01:00",
        "2026-11-17T18:30:00+01:00",
        "2026-11-24T18:30:00+01:00",
    ]


def test_google_utc_event_is_1830_in_paris():
    import_fixture("google")

    event = Event.objects.get(title__startswith="Réunion d'information en visio")

    assert event.local_start.isoformat() == "2026-10-15T18:30:00+02:00"
    assert event.start.astimezone(UTC).isoformat() == "2026-10-15T16:30:00+00:00"
    assert event.address == ""
    assert event.online is True
    assert event.online_url == "https://meet.google.com/abc-defg-hij"


def test_all_day_events_store_their_exclusive_end_as_last_day():
    import_fixture("google")
    import_fixture("thunderbird")

    days = {
        event.title[:30]: (event.start_date, event.end_date)
        for event in Event.objects.filter(all_day=True)
    }

    assert days == {
        "Chantier participatif – enduit": (date(2026, 10, 10), date(2026, 10, 10)),
        "Rencontres nationales de l'hab": (date(2027, 5, 21), date(2027, 5, 23)),
        "Rencontres régionales de l'hab": (date(2027, 5, 29), date(2027, 5, 30)),
    }


def test_escaped_commas_in_location_are_unescaped():
    import_fixture("google")

    event = Event.objects.get(title="Journée portes ouvertes – La Ruche des Voisins")

    assert event.address == (
        "La Ruche des Voisins, 12 rue des Jardins, 69100 Villeurbanne, France"
    )
    assert event.commune.insee == "69266"


def test_folded_escape_sequences_are_unescaped_after_unfolding():
    import_fixture("nextcloud")

    event = Event.objects.get(title__endswith="(reportée au 12 janvier)")

    assert event.description == (
        "Exceptionnellement reportée d'une semaine à cause des fêtes, "
        "et déplacée à la médiathèque."
    )


def test_html_in_description_is_reduced_to_text():
    import_fixture("google")

    event = Event.objects.get(title="Visite du Hameau des Possibles (habitat léger)")

    assert "<" not in event.description
    assert event.description == (
        "Visite guidée des yourtes et tiny houses, puis goûter partagé.\n\n"
        "Inscription obligatoire (20 places) : https://example.org/visites/hameau"
    )


def test_attendees_and_organiser_addresses_are_never_stored():
    import_fixture("google")

    stored = " ".join(
        " ".join([event.title, event.description, event.address, event.ics_fragment])
        for event in Event.objects.all()
    )

    assert "lucie.castagnol" not in stored
    assert "secretariat.reseau" not in stored
    assert "agenda@example.org" not in stored.replace(
        "proposer un événement : agenda@example.org", ""
    )
    assert "ATTENDEE" not in stored


def test_nextcloud_moved_occurrence_replaces_the_original():
    import_fixture("nextcloud")

    starts = starts_of("Permanence d'information")

    assert len(starts) == 9
    assert "2027-01-05T18:30:00+01:00" not in starts
    assert "2027-01-12T18:30:00+01:00" in starts
    assert Event.objects.series().filter(title__startswith="Permanence").count() == 1
    override = Event.objects.get(parent__isnull=False)
    assert override.address == "Médiathèque, 35000 Rennes, France"


def test_nextcloud_series_keeps_1830_across_both_changes():
    import_fixture("nextcloud")

    starts = starts_of("Permanence d'information")

    assert starts[0] == "2026-10-06T18:30:00+02:00"
    assert "2026-11-03T18:30:00+01:00" in starts
    assert "2027-03-02T18:30:00+01:00" in starts
    assert "2027-04-06T18:30:00+02:00" in starts
    assert starts[-1] == "2027-06-01T18:30:00+02:00"


def test_nextcloud_has_16_occurrences_15_not_cancelled():
    import_fixture("nextcloud")

    occurrences = window_occurrences()

    assert len(occurrences) == 16
    assert len([o for o in occurrences if not o.is_cancelled]) == 15
    cancelled = Event.objects.get(state=EventState.CANCELLED)
    assert cancelled.title == "Chantier participatif – enduits chaux-chanvre"
    assert cancelled.status == Status.PUBLISHED


def test_nextcloud_emoji_are_kept():
    import_fixture("nextcloud")

    event = Event.objects.get(title__startswith="🏡")

    assert event.title == "🏡 Pique-nique des habitants & voisins – fête de l'été 🎉"
    assert "🥗🍰" in event.description


def test_thunderbird_series_stays_at_0930_on_the_day_summer_time_starts():
    report = import_fixture("thunderbird")

    starts = starts_of("Chantier participatif du dimanche")

    assert report.summary["created"] == 5
    assert len(window_occurrences()) == 9
    assert starts == [
        "2027-03-14T09:30:00+01:00",
        "2027-03-21T09:30:00+01:00",
        "2027-03-28T09:30:00+02:00",
        "2027-04-04T09:30:00+02:00",
        "2027-04-11T09:30:00+02:00",
    ]


def test_thunderbird_alarms_and_mozilla_properties_are_ignored():
    import_fixture("thunderbird")

    fragments = "".join(Event.objects.values_list("ics_fragment", flat=True))
    descriptions = " ".join(Event.objects.values_list("description", flat=True))

    assert "VALARM" not in fragments
    assert "X-MOZ" not in fragments
    assert "Default Mozilla Description" not in descriptions


def test_a_second_import_changes_nothing():
    import_fixture("google")

    report = import_fixture("google")

    assert report.summary == {
        "created": 0,
        "updated": 0,
        "unchanged": 12,
        "withdrawn": 0,
        "refused": 0,
    }
    assert Event.objects.series().count() == 12


def test_updated_event_is_updated_and_removed_event_is_withdrawn():
    import_fixture("thunderbird")
    text = (
        (import_fixture.__globals__["DATA"] / "thunderbird-export.ics")
        .read_bytes()
        .decode()
    )
    text = text.replace("Journée portes ouvertes – Les Bruyères", "JPO Les Bruyères")
    start = text.index("BEGIN:VEVENT\r\nCREATED:20261105T093000Z")
    end = text.index("END:VEVENT\r\n", start) + len("END:VEVENT\r\n")
    text = text[:start] + text[end:]
    from habitat.agenda.importer import import_calendar
    from habitat.agenda.models import Source

    report = import_calendar(
        source=Source.objects.get(name="thunderbird"), payload=text.encode()
    )

    assert report.summary["updated"] == 1
    assert report.summary["withdrawn"] == 1
    assert Event.objects.filter(title="JPO Les Bruyères").count() == 1
    withdrawn = Event.objects.get(title__startswith="Assemblée générale – Habitat")
    assert withdrawn.status == Status.WITHDRAWN
    assert ModerationLog.objects.filter(action="withdrawn").count() == 1


def test_untrusted_source_waits_for_moderation_in_its_territory():
    import_fixture("thunderbird", trusted=False)

    statuses = set(Event.objects.values_list("status", flat=True))

    assert statuses == {Status.PENDING}
    assert set(Event.objects.values_list("department_id", flat=True)) == {
        "87",
        "86",
        "23",
        "63",
    }
    assert ModerationLog.objects.filter(action="imported").count() == 5


def test_outlook_windows_zone_and_missing_end_are_understood():
    payload = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook"
        " 16.0 MIMEDIR//EN\r\nBEGIN:VEVENT\r\nUID:outlook-1\r\n"
        "DTSTART;TZID=Romance Standard Time:20270328T100000\r\n"
        "SUMMARY:Visite <script>alert(1)</script>du chantier\r\n"
        "LOCATION:29200 Brest\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    from habitat.agenda.importer import import_calendar
    from habitat.agenda.models import Source

    report = import_calendar(
        source=Source.objects.create(name="outlook"), payload=payload, trusted=True
    )

    event = Event.objects.get(source_uid="outlook-1")
    assert report.summary["created"] == 1
    assert event.local_start == datetime(
        2027, 3, 28, 10, 0, tzinfo=ZoneInfo("Europe/Paris")
    )
    assert event.end == event.start
    assert event.title == "Visite du chantier"


def test_event_without_start_is_refused_with_reason():
    payload = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:no-start\r\n"
        "SUMMARY:Sans date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    from habitat.agenda.importer import import_calendar
    from habitat.agenda.models import Source

    report = import_calendar(source=Source.objects.create(name="x"), payload=payload)

    assert [(line.action, line.reason) for line in report.lines] == [
        ("refused", "DTSTART manquant")
    ]


def test_exception_with_its_own_tzid_across_dst_replaces_its_occurrence():
    payload = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:s-1\r\n"
        "DTSTART;TZID=Europe/Paris:20261020T183000\r\n"
        "DTEND;TZID=Europe/Paris:20261020T200000\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Atelier\r\nLOCATION:35200 Rennes\r\n"
        "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:s-1\r\n"
        "RECURRENCE-ID:20261103T173000Z\r\n"
        "DTSTART;TZID=W. Europe Standard Time:20261104T190000\r\n"
        "DTEND;TZID=W. Europe Standard Time:20261104T210000\r\n"
        "SUMMARY:Atelier (décalé)\r\nLOCATION:35200 Rennes\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    from habitat.agenda.importer import import_calendar
    from habitat.agenda.models import Source

    import_calendar(
        source=Source.objects.create(name="s"), payload=payload, trusted=True
    )

    assert [(o.start.isoformat(), o.title) for o in window_occurrences()] == [
        ("2026-10-20T18:30:00+02:00", "Atelier"),
        ("2026-10-27T18:30:00+01:00", "Atelier"),
        ("2026-11-04T19:00:00+01:00", "Atelier (décalé)"),
    ]
