"""A series moved as a whole takes its dates' keys along: registrations,
overrides and EXDATEs keep naming the same occurrences."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from habitat.agenda import queries, services
from habitat.agenda.models import Event, Registration
from tests.agenda.conftest import EventFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
WINDOW = (datetime(2027, 9, 1, tzinfo=PARIS), datetime(2028, 1, 1, tzinfo=PARIS))


def paris(month, day, hour):
    return datetime(2027, month, day, hour, tzinfo=PARIS)


@pytest.fixture
def weekly(db, aura_association):
    """Tuesdays at 10:00 from 12 October 2027; summer time ends on the 31st."""
    return EventFactory(
        title="Permanence",
        capacity=5,
        organiser=aura_association,
        rrule="FREQ=WEEKLY;COUNT=7",
        start=paris(10, 12, 10),
        end=paris(10, 12, 12),
    )


def exclude(event, *moments):
    event.exdates = [
        services.recurrence.exdate_key(m.replace(tzinfo=None)) for m in moments
    ]
    services.refresh_event(event)


def cancel(event, actor, moment):
    services.update_event(
        event=event,
        actor=actor,
        scope="this",
        occurrence_start=moment,
        data={"state": "cancelled"},
    )


def move(event, actor, start):
    services.update_event(
        event=event,
        actor=actor,
        data={
            "start": start,
            "end": start + timedelta(hours=2),
            "commune": event.commune,
        },
    )
    event.refresh_from_db()


def occurrences():
    events = Event.objects.series().prefetch_related("overrides")
    return [
        (o.start.isoformat(), o.state)
        for o in queries.occurrences_between(events, *WINDOW)
    ]


def ics_of(client, event) -> icalendar.Calendar:
    response = client.get(f"/agenda/{event.slug}.ics")
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def series_starts(calendar) -> tuple[list, list]:
    """The starts the master VEVENT generates, and the overrides' ids."""
    master = next(v for v in calendar.walk("VEVENT") if "RRULE" in v)
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=master["DTSTART"].dt)
    excluded = {
        moment.dt
        for exdate in [master.get("EXDATE")]
        if exdate
        for moment in exdate.dts
    }
    starts = [moment for moment in rule if moment not in excluded]
    ids = [
        v["RECURRENCE-ID"].dt for v in calendar.walk("VEVENT") if "RECURRENCE-ID" in v
    ]
    return starts, ids


def test_moving_the_series_to_the_afternoon_keeps_its_dates(
    client, weekly, alice, mona
):
    third, fourth, fifth = paris(10, 26, 10), paris(11, 2, 10), paris(11, 9, 10)
    registration = services.register(event=weekly, user=alice, occurrence_start=third)
    cancel(weekly, mona, fourth)
    exclude(weekly, fifth)

    move(weekly, mona, datetime(2027, 10, 12, 14, 0))

    registration.refresh_from_db()
    assert registration.occurrence_start == paris(10, 26, 14)
    when = services.registration_date(weekly, registration.occurrence_start)
    assert when.key == paris(10, 26, 14)
    assert when.end == paris(10, 26, 16)
    assert services.seats_by_date(weekly) == {
        paris(10, 26, 14): {"confirmed": 1, "waiting": 0}
    }
    # After summer time the occurrences stay at 14:00, the cancelled one too.
    assert services.registration_date(weekly, paris(11, 2, 14)).source.is_cancelled
    assert weekly.exdates == ["2027-11-09T14:00:00"]
    assert occurrences() == [
        ("2027-10-12T14:00:00+02:00", "scheduled"),
        ("2027-10-19T14:00:00+02:00", "scheduled"),
        ("2027-10-26T14:00:00+02:00", "scheduled"),
        ("2027-11-02T10:00:00+01:00", "cancelled"),  # the override keeps its hour
        ("2027-11-16T14:00:00+01:00", "scheduled"),
        ("2027-11-23T14:00:00+01:00", "scheduled"),
    ]

    token = services.cancel_token(registration)
    page = client.get(f"/agenda/{weekly.slug}/inscription/", {"jeton": token})
    assert page.status_code == 200
    client.force_login(mona)
    listed = client.get(
        f"/agenda/{weekly.slug}/inscrits/",
        {"date": paris(10, 26, 14).isoformat()},
    )
    assert listed.status_code == 200
    assert [r.user for r in listed.context["page_obj"]] == [alice]

    starts, ids = series_starts(ics_of(client, weekly))
    assert ids == [paris(11, 2, 14)]
    assert set(ids) <= set(starts)
    assert paris(11, 9, 14) not in starts
    assert len(starts) == len(set(starts)) == 6


def test_moving_the_series_a_week_later_across_summer_time(client, weekly, alice, mona):
    second, third = paris(10, 19, 10), paris(10, 26, 10)
    fourth, fifth, sixth = paris(11, 2, 10), paris(11, 9, 10), paris(11, 16, 10)
    # Consecutive keys of one person and of overrides: each lands on the next.
    services.register(event=weekly, user=alice, occurrence_start=second)
    services.register(event=weekly, user=alice, occurrence_start=third)
    cancel(weekly, mona, fourth)
    services.update_event(
        event=weekly,
        actor=mona,
        scope="this",
        occurrence_start=fifth,
        data={"title": "Permanence spéciale"},
    )
    exclude(weekly, sixth)

    move(weekly, mona, datetime(2027, 10, 19, 14, 0))

    keys = sorted(
        Registration.objects.filter(event=weekly).values_list(
            "occurrence_start", flat=True
        )
    )
    assert keys == [paris(10, 26, 14), paris(11, 2, 14)]  # 14:00 in both zones
    for key in keys:
        assert services.registration_date(weekly, key).key == key
    assert sorted(weekly.overrides.values_list("recurrence_id", flat=True)) == [
        paris(11, 9, 14),
        paris(11, 16, 14),
    ]
    assert weekly.exdates == ["2027-11-23T14:00:00"]
    starts = [start for start, _ in occurrences()]
    assert len(starts) == len(set(starts)) == 6

    starts, ids = series_starts(ics_of(client, weekly))
    assert sorted(ids) == [paris(11, 9, 14), paris(11, 16, 14)]
    assert set(ids) <= set(starts)
    assert paris(11, 23, 14) not in starts


def test_moved_series_tells_its_registrants_once_with_the_new_time(
    weekly, alice, bob, mona, mailoutbox, django_capture_on_commit_callbacks
):
    services.register(event=weekly, user=alice, occurrence_start=paris(10, 26, 10))
    services.register(event=weekly, user=bob, occurrence_start=paris(11, 9, 10))

    with django_capture_on_commit_callbacks(execute=True):
        move(weekly, mona, datetime(2027, 10, 12, 14, 0))

    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert len(mailoutbox) == 2
    assert "mardi 26 octobre 2027, 14h00" in bodies["alice@example.org"]
    assert "mardi 9 novembre 2027, 14h00" in bodies["bob@example.org"]


def test_all_day_series_moved_a_day_later_takes_its_keys(weekly, alice, mona):
    weekly.set_dates(datetime(2027, 10, 12).date(), datetime(2027, 10, 12).date())
    weekly.rrule = "FREQ=WEEKLY;COUNT=4"
    services.refresh_event(weekly)
    midnight = datetime(2027, 10, 26, tzinfo=PARIS)
    services.register(event=weekly, user=alice, occurrence_start=midnight)
    weekly.exdates = ["2027-11-02"]
    services.refresh_event(weekly)

    services.update_event(
        event=weekly,
        actor=mona,
        data={
            "all_day": True,
            "start_date": datetime(2027, 10, 13).date(),
            "commune": weekly.commune,
        },
    )
    weekly.refresh_from_db()

    registration = Registration.objects.get(event=weekly)
    assert registration.occurrence_start == datetime(2027, 10, 27, tzinfo=PARIS)
    assert services.registration_date(weekly, registration.occurrence_start)
    assert weekly.exdates == ["2027-11-03"]


def test_this_and_following_moved_later_takes_the_keys_of_its_dates(
    client, weekly, alice, mona, mailoutbox, django_capture_on_commit_callbacks
):
    registration = services.register(
        event=weekly, user=alice, occurrence_start=paris(10, 26, 10)
    )
    cancel(weekly, mona, paris(11, 2, 10))
    exclude(weekly, paris(11, 9, 10))

    with django_capture_on_commit_callbacks(execute=True):
        follower = services.update_event(
            event=weekly,
            actor=mona,
            scope="following",
            occurrence_start=paris(10, 19, 10),
            data={
                "start": datetime(2027, 10, 19, 14, 0),
                "end": datetime(2027, 10, 19, 16, 0),
                "commune": weekly.commune,
            },
        )

    registration.refresh_from_db()
    assert (registration.event, registration.occurrence_start) == (
        follower,
        paris(10, 26, 14),
    )
    assert services.registration_date(follower, paris(10, 26, 14)).key == paris(
        10, 26, 14
    )
    assert services.registration_date(follower, paris(11, 2, 14)).source.is_cancelled
    assert follower.exdates == ["2027-11-09T14:00:00"]
    assert occurrences() == [
        ("2027-10-12T10:00:00+02:00", "scheduled"),
        ("2027-10-19T14:00:00+02:00", "scheduled"),
        ("2027-10-26T14:00:00+02:00", "scheduled"),
        ("2027-11-02T10:00:00+01:00", "cancelled"),
        ("2027-11-16T14:00:00+01:00", "scheduled"),
        ("2027-11-23T14:00:00+01:00", "scheduled"),
    ]
    assert len(mailoutbox) == 1
    assert "mardi 26 octobre 2027, 14h00" in mailoutbox[0].body

    starts, ids = series_starts(ics_of(client, follower))
    assert ids == [paris(11, 2, 14)]
    assert set(ids) <= set(starts)
    assert paris(11, 9, 14) not in starts
