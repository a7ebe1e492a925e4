"""Every agenda page has exactly one <h1>; pending events reach the queue."""

import pytest

from tests.agenda.conftest import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db, alice, aura_association):
    return EventFactory(author=alice, organiser=aura_association, capacity=10)


def test_public_pages_have_one_h1(client, event):
    paths = [
        "/agenda/",
        "/agenda/?vue=mois",
        "/agenda/?archive=1",
        f"/agenda/{event.slug}/",
        "/agenda/embed/",
        "/agenda/integrer/",
        "/agenda/portes-ouvertes/",
    ]

    counts = {path: client.get(path).content.count(b"<h1") for path in paths}

    assert counts == dict.fromkeys(paths, 1)


def test_member_pages_have_one_h1(client, event, alice, mona, admin_user):
    client.force_login(alice)
    propose = client.get("/agenda/proposer/")
    edit = client.get(f"/agenda/{event.slug}/modifier/")
    client.force_login(mona)
    registrations = client.get(f"/agenda/{event.slug}/inscrits/")
    client.force_login(admin_user)
    import_page = client.get("/agenda/importer/")

    assert [
        page.content.count(b"<h1")
        for page in (propose, edit, registrations, import_page)
    ] == [1, 1, 1, 1]


def test_pending_event_is_in_the_territory_moderation_queue(client, mona, alice):
    EventFactory(title="Visite à valider", status="pending", author=alice)
    client.force_login(mona)

    response = client.get("/moderation/")

    assert response.status_code == 200
    assert "Visite à valider" in response.content.decode()
