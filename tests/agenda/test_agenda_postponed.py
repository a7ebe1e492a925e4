"""A postponed event stays in calendars and says so."""

import icalendar

from habitat.agenda import services
from tests.agenda.conftest import EventFactory


def test_postponed_event_stays_in_the_feed_and_says_reporte(db, client):
    event = EventFactory(title="Portes ouvertes", description="Visite du chantier.")
    event.state = "postponed"
    services.refresh_event(event)

    body = client.get(f"/agenda/{event.slug}.ics").content
    vevent = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]

    assert str(vevent["status"]) == "TENTATIVE"
    assert str(vevent["summary"]) == "Reporté : Portes ouvertes"
    assert str(vevent["description"]).startswith("Événement reporté")
    assert str(vevent["description"]).endswith("Visite du chantier.")


def test_postponed_event_page_shows_a_clear_notice(db, client):
    event = EventFactory(title="Atelier")
    event.state = "postponed"
    services.refresh_event(event)

    page = client.get(f"/agenda/{event.slug}/").content.decode()

    assert 'class="event-notice event-notice-postponed"' in page
    assert "Cet événement est reporté" in page
