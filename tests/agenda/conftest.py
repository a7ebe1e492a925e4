"""Agenda test helpers: fixture imports and a small event factory."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import factory
import pytest

from habitat.agenda import importer, services
from habitat.agenda.models import Event, EventType, Source
from habitat.moderation.models import Status
from habitat.territories.models import Commune

DATA = Path(__file__).resolve().parent.parent / "data" / "agenda"
PARIS = ZoneInfo("Europe/Paris")
WINDOW = (datetime(2026, 9, 1, tzinfo=PARIS), datetime(2027, 7, 1, tzinfo=PARIS))
FIXTURES = {
    "google": "google-calendar-export.ics",
    "nextcloud": "nextcloud-export.ics",
    "thunderbird": "thunderbird-export.ics",
}


def fixture_bytes(name: str) -> bytes:
    return (DATA / FIXTURES.get(name, name)).read_bytes()


def import_fixture(name: str, *, trusted=True, source_name=None):
    source, _ = Source.objects.get_or_create(
        name=source_name or name, defaults={"trusted": trusted}
    )
    return importer.import_calendar(
        source=source, payload=fixture_bytes(name), trusted=trusted
    )


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Réunion d'information n°{n}")
    kind = EventType.INFO_MEETING
    status = Status.PUBLISHED
    time_zone = "Europe/Paris"
    start = datetime(2027, 3, 10, 18, 30, tzinfo=PARIS)
    end = datetime(2027, 3, 10, 20, 0, tzinfo=PARIS)
    last_end = factory.LazyAttribute(lambda event: event.end)
    commune = factory.LazyFunction(lambda: Commune.objects.get(insee="69123"))
    address = "Maison des associations"

    @factory.post_generation
    def refresh(event, create, extracted, **kwargs):
        if create:
            services.refresh_event(event)


@pytest.fixture
def make_event(db):
    return EventFactory


@pytest.fixture(autouse=True)
def forget_feeds_in_memory():
    """Feeds kept in process memory are keyed by the feed version, which a
    test pinning the clock can repeat: start every test without them."""
    from habitat.agenda import feeds

    feeds.forget_local()


def weekly_series(organiser, **fields):
    """A published weekly series of four two-hour dates, the first in two days."""
    start = datetime.now(PARIS).replace(microsecond=0, second=0) + timedelta(days=2)
    return EventFactory(
        organiser=organiser,
        rrule="FREQ=WEEKLY;COUNT=4",
        start=start,
        end=start + timedelta(hours=2),
        **fields,
    )


def dates_of(event):
    """The local starts of a `weekly_series`."""
    return [event.local_start + timedelta(weeks=n) for n in range(4)]
