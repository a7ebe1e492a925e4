"""Registrants hear when their date is cancelled, postponed or moved."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat
from django.utils.translation import override

from habitat.agenda import services
from habitat.agenda.models import EventState
from habitat.territories.models import Commune
from tests.agenda.conftest import EventFactory, dates_of, weekly_series
from tests.conftest import make_user

PARIS = ZoneInfo("Europe/Paris")
GUADELOUPE = ZoneInfo("America/Guadeloupe")


def in_two_days(zone=PARIS) -> datetime:
    return datetime.now(zone).replace(microsecond=0, second=0) + timedelta(days=2)


@pytest.fixture
def weekly(db, aura_association):
    return weekly_series(aura_association, title="Permanence du Hameau", capacity=5)


def french(moment: datetime) -> str:
    with override("fr"):
        return dateformat.format(moment, "l j F Y, H\\hi")


def test_cancelled_event_tells_confirmed_and_waiting_people_once(
    aura_association, alice, bob, mona, mailoutbox, django_capture_on_commit_callbacks
):
    start = in_two_days()
    event = EventFactory(
        title="Assemblée du Hameau",
        capacity=2,
        organiser=aura_association,
        start=start,
        end=start + timedelta(hours=2),
    )
    carol = make_user("carol@example.org")
    dave = make_user("dave@example.org")
    for person in (alice, bob, dave, carol):
        services.register(event=event, user=person)
    services.unregister(event=event, user=dave)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event, actor=mona)

    assert sorted(m.to[0] for m in mailoutbox) == [
        "alice@example.org",
        "bob@example.org",
        "carol@example.org",
    ]
    assert {m.subject for m in mailoutbox} == {
        "[Habitat Ensemble] Annulé : Assemblée du Hameau"
    }
    body = next(m.body for m in mailoutbox if m.to == ["carol@example.org"])
    assert "L'événement auquel vous êtes inscrit·e est annulé :" in body
    assert "(vous êtes sur la liste d'attente)" in body
    assert f"/agenda/{event.slug}/" in body


def test_postponed_event_says_so(
    aura_association, alice, mona, mailoutbox, django_capture_on_commit_callbacks
):
    start = in_two_days()
    event = EventFactory(capacity=2, organiser=aura_association, start=start, end=start)
    services.register(event=event, user=alice)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            event=event, actor=mona, data={"state": EventState.POSTPONED}
        )

    assert [m.subject for m in mailoutbox] == [
        f"[Habitat Ensemble] Reporté : {event.title}"
    ]
    assert "est reporté" in mailoutbox[0].body


def test_cancelled_occurrence_tells_only_that_dates_people(
    weekly, alice, bob, mona, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = dates_of(weekly)[:2]
    services.register(event=weekly, user=alice, occurrence_start=first)
    services.register(event=weekly, user=bob, occurrence_start=second)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            event=weekly,
            actor=mona,
            scope="this",
            occurrence_start=second,
            data={"state": EventState.CANCELLED},
        )

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["bob@example.org"], "[Habitat Ensemble] Annulé : Permanence du Hameau")
    ]
    assert "Cette date de l'événement auquel vous êtes inscrit·e est annulée" in (
        mailoutbox[0].body
    )


def test_moved_occurrence_gives_the_new_time_and_a_cancel_link(
    weekly, alice, bob, mona, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = dates_of(weekly)[:2]
    services.register(event=weekly, user=alice, occurrence_start=first)
    services.register(event=weekly, user=bob, occurrence_start=second)
    later = second + timedelta(hours=1, minutes=30)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            event=weekly,
            actor=mona,
            scope="this",
            occurrence_start=second,
            data={"start": later.replace(tzinfo=None)},
        )

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ["bob@example.org"],
            "[Habitat Ensemble] Changement d'horaire : Permanence du Hameau",
        )
    ]
    body = mailoutbox[0].body
    assert f"Nouvelle date : {french(later)}\n" in body
    assert f"/agenda/{weekly.slug}/inscription/?jeton=" in body


def test_series_moved_as_a_whole_gives_each_date_its_new_time(
    weekly, alice, bob, mona, mailoutbox, django_capture_on_commit_callbacks
):
    first, _, third, _ = dates_of(weekly)
    services.register(event=weekly, user=alice, occurrence_start=first)
    services.register(event=weekly, user=bob, occurrence_start=third)
    start = weekly.local_start + timedelta(hours=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            event=weekly,
            actor=mona,
            data={
                "start": start.replace(tzinfo=None),
                "end": (start + timedelta(hours=2)).replace(tzinfo=None),
                "commune": weekly.commune,
            },
        )

    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert sorted(bodies) == ["alice@example.org", "bob@example.org"]
    new_third = third + timedelta(hours=1)
    assert f"Nouvelle date : {french(new_third)}\n" in bodies["bob@example.org"]


def test_moved_event_in_guadeloupe_gives_the_local_time(
    alice, nadia, mailoutbox, django_capture_on_commit_callbacks
):
    start = in_two_days(GUADELOUPE).replace(hour=10, minute=0)
    basse_terre = Commune.objects.get(insee="97105")
    event = EventFactory(
        commune=basse_terre,
        time_zone="America/Guadeloupe",
        capacity=10,
        start=start,
        end=start + timedelta(hours=2),
    )
    services.register(event=event, user=alice)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            event=event,
            actor=nadia,
            data={
                "start": start.replace(hour=11, tzinfo=None),
                "end": start.replace(hour=13, tzinfo=None),
                "commune": basse_terre,
            },
        )

    assert len(mailoutbox) == 1
    assert "11h00 (heure locale America/Guadeloupe)" in mailoutbox[0].body


def test_title_edit_sends_no_mail(
    weekly, alice, mona, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = dates_of(weekly)[:2]
    services.register(event=weekly, user=alice, occurrence_start=first)
    services.register(event=weekly, user=alice, occurrence_start=second)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event=weekly, actor=mona, data={"title": "Nouveau"})
        services.update_event(
            event=weekly,
            actor=mona,
            scope="this",
            occurrence_start=second,
            data={"title": "Nouveau titre de cette date"},
        )

    assert mailoutbox == []


def test_notice_goes_through_the_outbox(
    weekly, alice, mona, django_capture_on_commit_callbacks
):
    from habitat.core.models import OutboxMail

    first = dates_of(weekly)[0]
    services.register(event=weekly, user=alice, occurrence_start=first)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=weekly, actor=mona)

    mail = OutboxMail.objects.get()
    assert (mail.to, mail.sent_at is not None) == (["alice@example.org"], True)


@pytest.mark.parametrize("count", [1, 3])
def test_notice_reads_do_not_grow_with_registrants(
    weekly, count, monkeypatch, django_assert_num_queries
):
    from habitat.agenda.tasks import notify_registrants
    from habitat.core import outbox

    first = dates_of(weekly)[0]
    for n in range(count):
        person = make_user(f"person{n}@example.org")
        services.register(event=weekly, user=person, occurrence_start=first)
    sent = []
    monkeypatch.setattr(outbox, "send", sent.append)  # its writes are per mail

    # The event, its overrides, the registrations with their people.
    with django_assert_num_queries(3):
        notify_registrants.call(weekly.pk, "moved", None)

    assert len(sent) == count
