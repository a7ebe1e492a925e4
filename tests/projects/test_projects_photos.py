"""The sheet's photos page: upload through clean_image, captions, order, removal."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from habitat.moderation.models import ModerationLog, Status
from habitat.projects import services
from habitat.projects.models import Photo

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps_turned(width=40, height=20) -> bytes:
    """A landscape JPEG whose EXIF says "rotate 90°" and carries a position."""
    image = Image.new("RGB", (width, height), "red")
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (45.0, 45.0, 0.0), 3: "E", 4: (4.0, 50.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo_post(content=None, **fields):
    data = {
        "caption": "La salle commune",
        "credit": "Alice",
        "licence": "CC BY 4.0",
        "image": upload(content or jpeg_with_gps_turned()),
    }
    data.update(fields)
    return data


def add(project, actor, **fields):
    data = {"caption": "Le jardin", "credit": "Alice", "licence": "CC BY-SA 4.0"}
    data.update(fields)
    return services.add_photo(
        project=project, upload=upload(jpeg_with_gps_turned()), actor=actor, **data
    )


@pytest.fixture
def sheet(make_project, alice):
    return make_project(editors=[alice])


def test_editor_adds_a_photo_without_metadata_and_upright(client, sheet, alice):
    client.force_login(alice)

    response = client.post(f"/projets/{sheet.slug}/photos/", photo_post())

    assert response.status_code == 302
    photo = Photo.objects.get(project=sheet)
    stored = Image.open(photo.image.open("rb"))
    assert (photo.caption, photo.credit, photo.licence) == (
        "La salle commune",
        "Alice",
        "CC BY 4.0",
    )
    assert stored.size == (20, 40)  # EXIF orientation applied to the pixels
    assert dict(stored.getexif()) == {}  # no GPS position, no EXIF at all
    assert not photo.image.name.endswith("photo.jpg")  # name from the content


def test_photo_is_shown_on_the_sheet_with_credit_and_licence(client, sheet, alice):
    add(sheet, alice)

    html = client.get(f"/projets/{sheet.slug}/").content.decode()

    assert 'alt="Le jardin"' in html
    assert "© Alice" in html
    assert "(CC BY-SA 4.0)" in html


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "photo.jpg",
            "Les images SVG ne sont pas acceptées",
        ),
        (b"not an image at all", "photo.png", "pas une image reconnue"),
    ],
)
def test_refused_file_gets_a_french_error_and_saves_nothing(
    client, sheet, alice, content, name, message
):
    client.force_login(alice)

    response = client.post(
        f"/projets/{sheet.slug}/photos/", photo_post(image=upload(content, name))
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Photo.objects.count() == 0


def test_decompression_bomb_is_refused(client, sheet, alice):
    bomb = io.BytesIO()
    Image.new("1", (9000, 9000)).save(bomb, format="PNG")
    client.force_login(alice)

    response = client.post(
        f"/projets/{sheet.slug}/photos/",
        photo_post(image=upload(bomb.getvalue(), "bomb.png", "image/png")),
    )

    assert response.status_code == 400
    assert "L’image est trop grande" in response.content.decode()
    assert Photo.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"licence": "Tous droits réservés"}, "Sélectionnez un choix valide"),
        ({"credit": ""}, "Indiquez l&#x27;auteur ou l&#x27;autrice de la photo"),
        ({"caption": ""}, "Ce champ est obligatoire"),
    ],
)
def test_licence_credit_and_caption_are_checked(client, sheet, alice, fields, message):
    client.force_login(alice)

    response = client.post(f"/projets/{sheet.slug}/photos/", photo_post(**fields))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Photo.objects.count() == 0


def test_cc0_photo_needs_no_credit(sheet, alice):
    photo = add(sheet, alice, credit="", licence="CC0 1.0")

    assert (photo.credit, photo.licence) == ("", "CC0 1.0")


def test_caption_change_is_kept_in_the_history_and_audit_trail(client, sheet, alice):
    photo = add(sheet, alice)
    client.force_login(alice)

    response = client.post(
        f"/projets/{sheet.slug}/photos/{photo.pk}/",
        {
            f"photo-{photo.pk}-caption": "Le potager",
            f"photo-{photo.pk}-credit": "Bob",
            f"photo-{photo.pk}-licence": "CC0 1.0",
        },
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption, photo.credit, photo.licence) == (
        "Le potager",
        "Bob",
        "CC0 1.0",
    )
    assert [h.caption for h in photo.history.order_by("history_id")] == [
        "Le jardin",
        "Le potager",
    ]
    reasons = list(
        sheet.history.exclude(history_change_reason=None)
        .order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )
    assert reasons == ["photo ajoutée : Le jardin", "photo modifiée : Le potager"]
    logs = ModerationLog.objects.filter(object_id=str(sheet.pk))
    assert [log.changes["photos"] for log in logs.order_by("id")] == [
        "photo ajoutée",
        "photo modifiée",
    ]
    assert {log.department_code for log in logs} == {"69"}


def test_bad_caption_edit_is_shown_next_to_the_field(client, sheet, alice):
    photo = add(sheet, alice)
    client.force_login(alice)

    response = client.post(
        f"/projets/{sheet.slug}/photos/{photo.pk}/",
        {f"photo-{photo.pk}-caption": "", f"photo-{photo.pk}-licence": "CC0 1.0"},
    )

    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    photo.refresh_from_db()
    assert photo.caption == "Le jardin"


def test_photos_are_reordered(client, sheet, alice):
    first, second, third = (add(sheet, alice, caption=c) for c in "ABC")
    client.force_login(alice)

    client.post(
        f"/projets/{sheet.slug}/photos/{third.pk}/deplacer/", {"direction": "up"}
    )
    client.post(
        f"/projets/{sheet.slug}/photos/{first.pk}/deplacer/", {"direction": "down"}
    )

    assert [p.caption for p in sheet.photos.all()] == ["C", "A", "B"]
    assert [p.position for p in sheet.photos.all()] == [1, 2, 3]


def test_removed_photo_and_its_file_are_gone(
    client, sheet, alice, django_capture_on_commit_callbacks
):
    photo = add(sheet, alice)
    storage, name = photo.image.storage, photo.image.name
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/projets/{sheet.slug}/photos/{photo.pk}/supprimer/")

    assert response.status_code == 302
    assert Photo.objects.count() == 0
    assert not storage.exists(name)
    assert photo.history.latest().history_type == "-"


def test_edit_form_links_to_the_photos_page(client, sheet, alice):
    client.force_login(alice)

    html = client.get(f"/projets/{sheet.slug}/modifier/").content.decode()

    assert f'href="/projets/{sheet.slug}/photos/"' in html


def test_territory_moderator_may_manage_photos(client, sheet, mona):
    client.force_login(mona)

    response = client.post(f"/projets/{sheet.slug}/photos/", photo_post())

    assert response.status_code == 302
    assert Photo.objects.get().project == sheet


@pytest.mark.parametrize("method", ["get", "add", "edit", "move", "delete"])
def test_editor_of_another_sheet_gets_403_and_changes_nothing(
    client, make_project, sheet, alice, bob, method
):
    make_project(editors=[bob])
    photo = add(sheet, alice)
    client.force_login(bob)
    base = f"/projets/{sheet.slug}/photos/"
    calls = {
        "get": lambda: client.get(base),
        "add": lambda: client.post(base, photo_post()),
        "edit": lambda: client.post(
            f"{base}{photo.pk}/",
            {
                f"photo-{photo.pk}-caption": "Piraté",
                f"photo-{photo.pk}-licence": "CC0 1.0",
            },
        ),
        "move": lambda: client.post(f"{base}{photo.pk}/deplacer/", {"direction": "up"}),
        "delete": lambda: client.post(f"{base}{photo.pk}/supprimer/"),
    }

    response = calls[method]()

    assert response.status_code == 403
    assert [(p.pk, p.caption) for p in Photo.objects.all()] == [(photo.pk, "Le jardin")]


def test_photo_of_another_sheet_is_404(client, make_project, sheet, alice, bob):
    other = make_project(editors=[bob])
    photo = add(other, bob)
    client.force_login(alice)

    response = client.post(f"/projets/{sheet.slug}/photos/{photo.pk}/supprimer/")

    assert response.status_code == 404
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_pending_sheet_photos_page_is_404_for_outsiders(client, make_project, bob):
    pending = make_project(status=Status.PENDING)
    client.force_login(bob)

    assert client.get(f"/projets/{pending.slug}/photos/").status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, sheet):
    response = client.get(f"/projets/{sheet.slug}/photos/")

    assert response.status_code == 302
    assert "/connexion/" in response.url or "login" in response.url


def test_moderation_queue_diff_lists_photos_and_skips_photo_records(
    make_project, alice
):
    pending = make_project(status=Status.PENDING, editors=[alice])
    pending.name = "Nouveau nom"
    pending._change_reason = "edited"
    pending.save()
    add(pending, alice, caption="La cour")

    changes = services.project_diff(pending)

    assert [change["field"] for change in changes] == ["name", "photos"]
    assert changes[-1]["new"] == "La cour (CC BY-SA 4.0)"
