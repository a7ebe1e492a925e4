"""Events held at or organised by a project of the directory."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from habitat.agenda import services
from habitat.agenda.queries import upcoming_for_project
from habitat.core.exceptions import HabitatError
from habitat.moderation.models import Status
from habitat.projects.models import Project
from habitat.territories.models import Commune

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def project(alice):
    project = Project.objects.create(
        name="La Ruche des Voisins",
        slug="la-ruche-des-voisins",
        status=Status.PUBLISHED,
        commune=Commune.objects.get(insee="69266"),
    )
    project.editors.add(alice)
    return project


def soon(days):
    start = datetime.now(PARIS).replace(microsecond=0, tzinfo=None) + timedelta(
        days=days
    )
    return {"start": start, "end": start + timedelta(hours=3)}


def test_project_editor_publishes_the_project_event_directly(alice, project):
    event = services.propose_event(
        author=alice,
        data={
            "title": "Portes ouvertes",
            "kind": "open-day",
            "project": project,
            "organiser_project": project,
            **soon(5),
        },
    )

    assert event.status == Status.PUBLISHED
    assert event.commune.insee == "69266"


def test_outsider_cannot_organise_in_the_name_of_a_project(bob, project):
    with pytest.raises(HabitatError) as error:
        services.propose_event(
            author=bob,
            data={
                "title": "JPO",
                "organiser_project": project,
                "project": project,
                **soon(5),
            },
        )

    assert error.value.field == "organiser_project"


def test_project_sheet_gets_its_next_events(alice, bob, project):
    for days in (9, 3):
        services.propose_event(
            author=alice,
            data={
                "title": f"Visite J+{days}",
                "project": project,
                "organiser_project": project,
                **soon(days),
            },
        )
    services.propose_event(
        author=bob, data={"title": "En attente", "project": project, **soon(1)}
    )

    events = upcoming_for_project(project, limit=5)
    html = render_to_string("agenda/includes/project_events.html", {"events": events})

    assert [occurrence.title for occurrence in events] == ["Visite J+3", "Visite J+9"]
    assert html.count('class="event-row') == 2
    assert "En attente" not in html
