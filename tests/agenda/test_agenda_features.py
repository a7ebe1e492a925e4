"""Image, registration per date with e-mails and cancel links, search."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import dateformat
from PIL import Image

from habitat.agenda import services
from habitat.agenda.models import Event, Registration
from habitat.agenda.search import search_events
from habitat.core.exceptions import HabitatError
from tests.agenda.conftest import EventFactory, dates_of, weekly_series

PARIS = ZoneInfo("Europe/Paris")


def jpeg_bytes(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def weekly(db, aura_association):
    return weekly_series(aura_association, capacity=1)


def test_registration_is_per_date_with_its_own_waiting_list(weekly, alice, bob):
    first, second = dates_of(weekly)[:2]

    a1 = services.register(event=weekly, user=alice, occurrence_start=first)
    b1 = services.register(event=weekly, user=bob, occurrence_start=first)
    b2 = services.register(event=weekly, user=bob, occurrence_start=second)

    assert (a1.state, b1.state, b2.state) == ("confirmed", "waiting", "confirmed")
    assert b2.occurrence_start == second


def test_series_registration_needs_a_real_date(weekly, alice):
    with pytest.raises(HabitatError):
        services.register(event=weekly, user=alice)
    with pytest.raises(HabitatError):
        services.register(
            event=weekly,
            user=alice,
            occurrence_start=weekly.local_start + timedelta(days=1),
        )


def test_confirmation_and_promotion_mails_carry_a_cancel_link(
    weekly, alice, bob, django_capture_on_commit_callbacks
):
    first = dates_of(weekly)[0]
    with django_capture_on_commit_callbacks(execute=True):
        mine = services.register(event=weekly, user=alice, occurrence_start=first)
        services.register(event=weekly, user=bob, occurrence_start=first)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_registration(registration=mine)

    subjects = [(m.to, m.subject) for m in mail.outbox]
    assert promoted.user == bob
    assert subjects == [
        (
            ["alice@example.org"],
            f"[Habitat Ensemble] Inscription confirmée : {weekly.title}",
        ),
        (["bob@example.org"], f"[Habitat Ensemble] Liste d'attente : {weekly.title}"),
        (
            ["bob@example.org"],
            f"[Habitat Ensemble] Une place s'est libérée : {weekly.title}",
        ),
    ]
    assert f"/agenda/{weekly.slug}/inscription/?jeton=" in mail.outbox[0].body


def test_cancel_link_asks_then_cancels_only_on_post(client, weekly, alice, bob):
    first = dates_of(weekly)[0]
    mine = services.register(event=weekly, user=alice, occurrence_start=first)
    services.register(event=weekly, user=bob, occurrence_start=first)
    url = f"/agenda/{weekly.slug}/inscription/"
    token = services.cancel_token(mine)

    page = client.get(url, {"jeton": token})
    mine.refresh_from_db()
    state_after_get = mine.state
    done = client.post(url, {"jeton": token})

    mine.refresh_from_db()
    assert page.status_code == 200
    assert "Oui, annuler mon inscription" in page.content.decode()
    assert state_after_get == "confirmed"
    assert done.status_code == 302
    assert mine.state == "cancelled"
    assert weekly.registrations.get(user=bob).state == "confirmed"


def test_forged_cancel_link_is_refused_in_french(client, weekly):
    response = client.post(
        f"/agenda/{weekly.slug}/inscription/", {"jeton": "1:forged:token"}
    )

    assert response.status_code == 400
    assert (
        "Ce lien d&#x27;annulation n&#x27;est pas valide." in response.content.decode()
    )


def test_register_form_books_the_chosen_date(client, weekly, bob):
    second = dates_of(weekly)[1]
    client.force_login(bob)

    page = client.get(f"/agenda/{weekly.slug}/").content.decode()
    response = client.post(
        f"/agenda/{weekly.slug}/inscription/",
        {"action": "register", "occurrence": second.isoformat()},
    )

    assert page.count('name="occurrence"') == 4
    assert response.status_code == 302
    assert weekly.registrations.get().occurrence_start == second


def test_organisers_see_registrations_per_date_and_export_csv(
    client, weekly, alice, bob, mona
):
    first, second = dates_of(weekly)[:2]
    services.register(event=weekly, user=alice, occurrence_start=first)
    services.register(event=weekly, user=bob, occurrence_start=second)
    url = f"/agenda/{weekly.slug}/inscrits/"

    client.force_login(bob)
    outsider = client.get(url, {"format": "csv"})
    client.force_login(mona)
    one_date = client.get(url, {"date": second.isoformat()}).content.decode()
    export = client.get(url, {"format": "csv"})

    assert outsider.status_code == 403
    assert "bob@example.org" in one_date and "alice@example.org" not in one_date
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "date;nom;email;etat;inscrit_le"
    assert [line.split(";")[2] for line in lines[1:]] == [
        "alice@example.org",
        "bob@example.org",
    ]


def test_raising_capacity_promotes_the_waiting_list(weekly, alice, bob, mona):
    first = dates_of(weekly)[0]
    services.register(event=weekly, user=alice, occurrence_start=first)
    waiting = services.register(event=weekly, user=bob, occurrence_start=first)

    services.update_event(event=weekly, actor=mona, data={"capacity": 2})

    waiting.refresh_from_db()
    assert waiting.state == Registration.State.CONFIRMED


def test_image_is_cleaned_and_shown_with_alt_and_credit(client, bob):
    from habitat.territories.models import Commune  # noqa: F401

    client.force_login(bob)
    response = client.post(
        "/agenda/proposer/",
        {
            "title": "Visite de chantier",
            "kind": "visit",
            "start": "2027-05-03T14:00",
            "end": "2027-05-03T17:00",
            "commune": "69123",
            "image": SimpleUploadedFile("photo.png", jpeg_bytes(), "image/png"),
            "image_alt": "La charpente en bois",
            "image_credit": "Collectif Les Grands Chênes",
        },
    )
    event = Event.objects.get(title="Visite de chantier")
    event.status = "published"
    event.save()

    page = client.get(event.get_absolute_url()).content.decode()
    listing = client.get("/agenda/").content.decode()

    assert response.status_code == 302
    assert event.image.name.endswith(".jpg") and "photo" not in event.image.name
    assert 'alt="La charpente en bois"' in page
    assert "Collectif Les Grands Chênes" in page
    assert event.image.url in listing


def test_image_without_alt_or_not_an_image_is_refused_next_to_the_field(client, bob):
    client.force_login(bob)
    data = {
        "title": "Visite",
        "kind": "visit",
        "start": "2027-05-03T14:00",
        "commune": "69123",
    }

    no_alt = client.post(
        "/agenda/proposer/",
        {**data, "image": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")},
    )
    not_image = client.post(
        "/agenda/proposer/",
        {
            **data,
            "image_alt": "x",
            "image": SimpleUploadedFile(
                "a.jpg", b"<svg onload=alert(1)>", "image/jpeg"
            ),
        },
    )

    assert no_alt.status_code == 200
    assert "Décrivez l&#x27;image" in no_alt.content.decode()
    assert not_image.status_code == 200
    assert "SVG" in not_image.content.decode()
    assert not Event.objects.exists()


def test_event_page_map_uses_leaflet_and_the_tile_url(client, db, settings):
    event = EventFactory()

    page = client.get(event.get_absolute_url()).content.decode()

    assert "vendor/leaflet/leaflet.js" in page
    assert f'data-tile-url="{settings.MAP_TILE_URL}"' in page


def test_search_ignores_accents_case_and_endings(db):
    EventFactory(title="Réunions d'information à Villeurbanne")
    EventFactory(title="Chantier participatif")

    found = search_events(Event.objects.all(), "REUNION villeurb")

    assert [event.title for event in found] == ["Réunions d'information à Villeurbanne"]
    assert search_events(Event.objects.all(), "lyon").count() == 2  # commune name


def _event_with_image():
    from django.core.files.base import ContentFile

    event = EventFactory(image_alt="Le jardin partagé", image_credit="Ana")
    event.image.save("jardin.jpg", ContentFile(jpeg_bytes()), save=True)
    return event


def test_embed_shows_the_image_with_its_alt_text(client, db):
    event = _event_with_image()

    page = client.get("/agenda/embed/").content.decode()

    assert f'src="{event.image.url}" alt="Le jardin partagé" loading="lazy"' in page


def test_editing_without_a_new_file_keeps_the_image_and_clear_removes_it(
    client, db, bob
):
    event = _event_with_image()
    event.author = bob
    event.save()
    name = event.image.name
    client.force_login(bob)
    data = {
        "title": event.title,
        "kind": "info-meeting",
        "state": "scheduled",
        "start": "2027-03-10T18:30",
        "end": "2027-03-10T20:00",
        "commune": "69123",
        "image_alt": "Le jardin partagé",
    }

    kept = client.post(f"/agenda/{event.slug}/modifier/", data)
    event.refresh_from_db()
    name_after_edit = event.image.name
    cleared = client.post(
        f"/agenda/{event.slug}/modifier/", {**data, "image-clear": "on"}
    )
    event.refresh_from_db()

    assert (kept.status_code, cleared.status_code) == (302, 302)
    assert name_after_edit == name
    assert not event.image
    assert event.image_alt == ""


def _page_queries(client, event) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = client.get(event.get_absolute_url()).content.decode()
    return len(captured), page


def test_event_page_queries_do_not_grow_with_registration_dates(
    client, db, aura_association, alice
):
    start = datetime.now(PARIS).replace(microsecond=0, second=0) + timedelta(days=1)
    events = {}
    for dates in (2, 10):
        events[dates] = EventFactory(
            capacity=3,
            organiser=aura_association,
            rrule=f"FREQ=WEEKLY;COUNT={dates}",
            start=start,
            end=start + timedelta(hours=1),
        )
        for n in range(dates):
            services.register(
                event=events[dates],
                user=alice,
                occurrence_start=start + timedelta(weeks=n),
            )
    client.force_login(alice)
    client.get(events[2].get_absolute_url())  # warm the session and caches

    few, few_page = _page_queries(client, events[2])
    many, many_page = _page_queries(client, events[10])

    assert few == many
    assert few_page.count("Annuler mon inscription") == 2
    assert many_page.count("Annuler mon inscription") == 10


def test_this_and_following_takes_the_later_registrations_along(
    weekly, alice, bob, mona
):
    first, second, third = dates_of(weekly)[:3]
    services.register(event=weekly, user=alice, occurrence_start=first)
    services.register(event=weekly, user=bob, occurrence_start=third)

    follower = services.update_event(
        event=weekly,
        actor=mona,
        data={"title": "Permanence du soir"},
        scope="following",
        occurrence_start=second,
    )

    assert list(weekly.registrations.values_list("user__email", flat=True)) == [
        "alice@example.org"
    ]
    assert list(follower.registrations.values_list("user__email", flat=True)) == [
        "bob@example.org"
    ]


def test_moved_date_keeps_its_registrations_and_capacity(weekly, alice, mona):
    second = dates_of(weekly)[1]
    services.register(event=weekly, user=alice, occurrence_start=second)

    services.update_event(
        event=weekly,
        actor=mona,
        scope="this",
        occurrence_start=second,
        data={"start": (second + timedelta(hours=1)).replace(tzinfo=None)},
    )
    when = services.registration_date(weekly, second)

    assert when.source.parent_id == weekly.pk
    assert services.seats_by_date(weekly) == {second: {"confirmed": 1, "waiting": 0}}


def test_mail_and_cancel_page_name_the_registered_date_not_the_first(
    client, weekly, alice, django_capture_on_commit_callbacks
):
    third = dates_of(weekly)[2]
    with django_capture_on_commit_callbacks(execute=True):
        mine = services.register(event=weekly, user=alice, occurrence_start=third)
    expected = dateformat.format(third, "l j F Y, H\\hi")
    first = dateformat.format(dates_of(weekly)[0], "l j F Y")

    page = client.get(
        f"/agenda/{weekly.slug}/inscription/", {"jeton": services.cancel_token(mine)}
    )

    assert expected in mail.outbox[0].body
    assert first not in mail.outbox[0].body
    assert expected in page.content.decode()
