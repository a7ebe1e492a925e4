"""The project sheet lists the agenda's upcoming events held at the project."""

from datetime import timedelta

from django.utils import timezone

from tests.agenda.conftest import EventFactory


def test_sheet_lists_upcoming_events_held_at_the_project(client, make_project):
    project = make_project(name="La Ruche des Voisins")
    soon = timezone.now() + timedelta(days=10)
    EventFactory(
        title="Journée portes ouvertes à la Ruche",
        project=project,
        start=soon,
        end=soon + timedelta(hours=3),
        last_end=soon + timedelta(hours=3),
    )
    EventFactory(
        title="Autre événement ailleurs", start=soon, end=soon + timedelta(hours=1)
    )

    response = client.get(project.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Prochains événements" in body
    assert "Journée portes ouvertes à la Ruche" in body
    assert "Autre événement ailleurs" not in body


def test_sheet_without_events_shows_no_event_section(client, make_project):
    project = make_project()

    response = client.get(project.get_absolute_url())

    assert "Prochains événements" not in response.content.decode()
