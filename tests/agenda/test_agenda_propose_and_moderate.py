"""Who proposes, who publishes directly, who moderates, who edits."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from habitat.accounts.models import Membership
from habitat.agenda import services
from habitat.agenda.models import Event
from habitat.core.exceptions import HabitatError
from habitat.moderation.models import ModerationLog, Status
from habitat.moderation.services import decide
from habitat.territories.models import Commune

pytestmark = pytest.mark.django_db


def form_data(**extra):
    data = {
        "title": "Réunion d'information à Lyon",
        "kind": "info-meeting",
        "description": "Présentation **des projets**",
        "start": "2027-03-10T18:30",
        "end": "2027-03-10T20:00",
        "commune": "69123",
        "address": "Maison des associations",
    }
    data.update(extra)
    return data


def test_unverified_person_cannot_propose(client, charlie):
    client.force_login(charlie)

    response = client.post("/agenda/proposer/", form_data())

    assert response.status_code == 403
    assert Event.objects.count() == 0


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/agenda/proposer/")

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")


def test_verified_person_proposal_waits_in_the_territory_queue(client, bob, mona, otto):
    client.force_login(bob)

    response = client.post("/agenda/proposer/", form_data())

    event = Event.objects.get()
    assert response.status_code == 302
    assert event.status == Status.PENDING
    assert event.department_id == "69"
    assert event.local_start.isoformat() == "2027-03-10T18:30:00+01:00"
    assert mona.has_perm("moderation.decide", event) is True
    assert otto.has_perm("moderation.decide", event) is False
    assert ModerationLog.objects.get().action == "submitted"


def test_moderator_publishes_a_pending_event(client, bob, mona):
    client.force_login(bob)
    client.post("/agenda/proposer/", form_data())
    event = Event.objects.get()

    decide(obj=event, decision="approve", actor=mona)

    assert client.get(f"/agenda/{event.slug}/").status_code == 200


def test_association_editor_publishes_its_events_directly(
    client, alice, aura_association
):
    Membership.objects.create(user=alice, organisation=aura_association, role="editor")
    client.force_login(alice)

    client.post("/agenda/proposer/", form_data(organiser=aura_association.pk))

    event = Event.objects.get()
    assert event.status == Status.PUBLISHED
    assert event.organiser == aura_association
    assert sorted(event.calendars.values_list("slug", flat=True)) == [
        "national",
        f"org-{aura_association.slug}",
        "region-84",
    ]


def test_plain_member_of_an_association_goes_through_moderation(
    alice, aura_association
):
    Membership.objects.create(user=alice, organisation=aura_association, role="member")

    event = services.propose_event(
        author=alice,
        data={
            "title": "AG",
            "kind": "general-assembly",
            "start": datetime(2027, 3, 10, 14),
            "end": datetime(2027, 3, 10, 17),
            "commune": Commune.objects.get(insee="69123"),
            "organiser": aura_association,
        },
    )

    assert event.status == Status.PENDING


def test_proposing_for_an_organisation_one_is_not_member_of_is_refused(
    bob, aura_association
):
    with pytest.raises(HabitatError) as error:
        services.propose_event(
            author=bob,
            data={
                "title": "AG",
                "start": datetime(2027, 3, 10, 14),
                "commune": Commune.objects.get(insee="69123"),
                "organiser": aura_association,
            },
        )

    assert error.value.field == "organiser"


def test_end_before_start_is_shown_next_to_the_field(client, bob):
    client.force_login(bob)

    response = client.post("/agenda/proposer/", form_data(end="2027-03-10T17:00"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end": ["La fin ne peut pas précéder le début."]
    }
    assert Event.objects.count() == 0


def test_invalid_rrule_is_shown_next_to_the_field(client, bob):
    client.force_login(bob)

    response = client.post(
        "/agenda/proposer/", form_data(repeat="custom", rrule="FREQ=HOURLY;FOO=1")
    )

    assert response.context["form"].errors == {
        "rrule": ["Règle de récurrence invalide : « FOO » n'est pas reconnu."]
    }


def test_online_event_needs_a_link_or_a_place(client, bob):
    client.force_login(bob)

    response = client.post(
        "/agenda/proposer/", form_data(commune="", online="on", online_url="")
    )

    assert response.context["form"].errors == {
        "online_url": ["Indiquez le lien de connexion de l'événement en ligne."]
    }


def test_guadeloupe_event_is_stored_in_its_zone(client, bob):
    client.force_login(bob)

    client.post("/agenda/proposer/", form_data(commune="97101"))

    event = Event.objects.get()
    assert event.time_zone == "America/Guadeloupe"
    assert event.start == datetime(2027, 3, 10, 22, 30, tzinfo=ZoneInfo("UTC"))


def test_outsider_cannot_edit(client, bob, make_event):
    event = make_event()
    client.force_login(bob)

    response = client.post(f"/agenda/{event.slug}/modifier/", form_data(title="X"))

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title != "X"


def test_territory_moderator_can_edit_and_the_change_is_logged(
    client, mona, make_event
):
    event = make_event()
    client.force_login(mona)

    response = client.post(
        f"/agenda/{event.slug}/modifier/",
        form_data(title="Nouveau titre", state="postponed"),
    )

    event.refresh_from_db()
    assert response.status_code == 302
    assert (event.title, event.state) == ("Nouveau titre", "postponed")
    log = ModerationLog.objects.get(action="edited")
    assert log.changes["title"]["new"] == "Nouveau titre"
