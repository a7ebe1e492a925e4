"""Editing one occurrence, this and following, the whole series; seats."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from habitat.agenda import queries, services
from habitat.agenda.models import Event, Registration
from habitat.core.exceptions import HabitatError
from tests.agenda.conftest import EventFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
WINDOW = (datetime(2027, 1, 1, tzinfo=PARIS), datetime(2027, 12, 31, tzinfo=PARIS))


@pytest.fixture
def series(db, bob):
    return EventFactory(
        title="Permanence",
        author=bob,
        rrule="FREQ=WEEKLY;COUNT=6",
        start=datetime(2027, 3, 9, 18, 30, tzinfo=PARIS),
        end=datetime(2027, 3, 9, 20, 0, tzinfo=PARIS),
    )


def occurrences():
    events = Event.objects.series().prefetch_related("overrides")
    return [
        (o.start.isoformat(), o.title, o.state)
        for o in queries.occurrences_between(events, *WINDOW)
    ]


def test_editing_this_occurrence_moves_only_it(series, bob):
    services.update_event(
        event=series,
        actor=bob,
        scope="this",
        occurrence_start=datetime(2027, 3, 23, 18, 30, tzinfo=PARIS),
        data={"title": "Permanence déplacée", "start": datetime(2027, 3, 24, 19, 0)},
    )

    assert occurrences() == [
        ("2027-03-09T18:30:00+01:00", "Permanence", "scheduled"),
        ("2027-03-16T18:30:00+01:00", "Permanence", "scheduled"),
        ("2027-03-24T19:00:00+01:00", "Permanence déplacée", "scheduled"),
        ("2027-03-30T18:30:00+02:00", "Permanence", "scheduled"),
        ("2027-04-06T18:30:00+02:00", "Permanence", "scheduled"),
        ("2027-04-13T18:30:00+02:00", "Permanence", "scheduled"),
    ]
    assert Event.objects.series().count() == 1


def test_editing_the_same_occurrence_twice_keeps_one_override(series, bob):
    moment = datetime(2027, 3, 16, 18, 30, tzinfo=PARIS)
    for state in ("postponed", "cancelled"):
        services.update_event(
            event=series,
            actor=bob,
            scope="this",
            occurrence_start=moment,
            data={"state": state},
        )

    assert Event.objects.filter(parent=series).count() == 1
    assert occurrences()[1] == ("2027-03-16T18:30:00+01:00", "Permanence", "cancelled")


def test_this_and_following_splits_the_series_without_duplicates(series, bob):
    follower = services.update_event(
        event=series,
        actor=bob,
        scope="following",
        occurrence_start=datetime(2027, 3, 30, 18, 30, tzinfo=PARIS),
        data={"title": "Permanence de printemps"},
    )

    series.refresh_from_db()
    assert series.rrule == "FREQ=WEEKLY;UNTIL=20270330T162959Z"
    assert follower.rrule == "FREQ=WEEKLY;COUNT=3"
    assert occurrences() == [
        ("2027-03-09T18:30:00+01:00", "Permanence", "scheduled"),
        ("2027-03-16T18:30:00+01:00", "Permanence", "scheduled"),
        ("2027-03-23T18:30:00+01:00", "Permanence", "scheduled"),
        ("2027-03-30T18:30:00+02:00", "Permanence de printemps", "scheduled"),
        ("2027-04-06T18:30:00+02:00", "Permanence de printemps", "scheduled"),
        ("2027-04-13T18:30:00+02:00", "Permanence de printemps", "scheduled"),
    ]


def test_whole_series_edit_changes_every_occurrence(series, bob):
    services.update_event(
        event=series, actor=bob, scope="all", data={"title": "Accueil"}
    )

    assert {title for _, title, _ in occurrences()} == {"Accueil"}
    assert len(occurrences()) == 6


def test_edit_page_offers_the_three_choices_for_a_series(client, series, bob):
    client.force_login(bob)

    response = client.get(
        f"/agenda/{series.slug}/modifier/?occurrence=2027-03-16T18:30:00%2B01:00"
    )

    assert [c[0] for c in response.context["form"].fields["scope"].choices] == [
        "this",
        "following",
        "all",
    ]
    assert response.context["form"].initial["start"] == datetime(2027, 3, 16, 18, 30)


def test_unknown_occurrence_is_refused(series, bob):
    with pytest.raises(HabitatError):
        services.update_event(
            event=series,
            actor=bob,
            scope="this",
            occurrence_start=datetime(2027, 3, 17, 18, 30, tzinfo=PARIS),
            data={"state": "cancelled"},
        )


@pytest.fixture
def workshop(db, aura_association):
    start = datetime.now(PARIS).replace(microsecond=0) + timedelta(days=5)
    return EventFactory(
        capacity=1,
        organiser=aura_association,
        start=start,
        end=start + timedelta(hours=2),
    )


def test_registration_fills_seats_then_the_waiting_list(workshop, alice, bob):
    first = services.register(event=workshop, user=alice)
    second = services.register(event=workshop, user=bob)

    services.unregister(event=workshop, user=alice)

    assert (first.state, second.state) == ("confirmed", "waiting")
    second.refresh_from_db()
    assert second.state == Registration.State.CONFIRMED


def test_unverified_person_cannot_register(workshop, charlie):
    with pytest.raises(HabitatError):
        services.register(event=workshop, user=charlie)

    assert workshop.registrations.count() == 0


def test_registrations_are_visible_only_to_organiser_editors(
    client, workshop, alice, bob, mona
):
    services.register(event=workshop, user=alice)
    url = f"/agenda/{workshop.slug}/inscrits/"

    client.force_login(bob)
    outsider = client.get(url)
    client.force_login(mona)
    editor = client.get(url)
    public_page = client.get(f"/agenda/{workshop.slug}/").content.decode()

    assert outsider.status_code == 403
    assert editor.status_code == 200
    assert "alice@example.org" in editor.content.decode()
    assert "alice@example.org" not in public_page


def test_register_button_books_a_seat(client, workshop, bob):
    client.force_login(bob)

    response = client.post(
        f"/agenda/{workshop.slug}/inscription/", {"action": "register"}
    )

    assert response.status_code == 302
    assert workshop.registrations.get().user == bob


def test_edit_page_moves_one_occurrence_of_a_series(client, series, bob):
    client.force_login(bob)

    response = client.post(
        f"/agenda/{series.slug}/modifier/",
        {
            "title": "Permanence exceptionnelle",
            "kind": "info-meeting",
            "state": "scheduled",
            "start": "2027-03-17T19:00",
            "end": "2027-03-17T21:00",
            "commune": "69123",
            "scope": "this",
            "occurrence": "2027-03-16T18:30:00+01:00",
        },
    )

    assert response.status_code == 302
    assert occurrences()[1] == (
        "2027-03-17T19:00:00+01:00",
        "Permanence exceptionnelle",
        "scheduled",
    )
    assert len(occurrences()) == 6
