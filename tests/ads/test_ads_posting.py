"""Posting ads: first ads moderated, spam limits, edits, photos, withdrawal."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from habitat.ads import services
from habitat.ads.models import Ad, Photo
from habitat.core.exceptions import HabitatError
from habitat.moderation.models import ModerationLog, Status

FORM = {
    "category": "dwelling",
    "kind": "offer",
    "title": "T2 libre à Lyon",
    "body": "Un T2 se libère dans notre habitat groupé.",
    "commune": "69123",
    "price": "650",
    "price_text": "charges comprises",
}


def data(**changes):
    from habitat.territories.models import Commune

    values = {**FORM, **changes}
    values["commune"] = Commune.objects.get(pk=values["commune"])
    values["price"] = None
    return values


def age(user, days):
    type(user).objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=days)
    )
    user.refresh_from_db()
    return user


def test_first_ad_of_a_new_account_waits_for_moderation(bob):
    ad = services.create_ad(author=bob, data=data())

    assert ad.status == Status.PENDING
    assert ad.department_id == "69"
    assert list(Ad.objects.visible()) == []


def test_ad_of_an_account_with_an_approved_ad_is_published_at_once(bob, make_ad):
    make_ad(author=bob)

    ad = services.create_ad(author=bob, data=data())

    assert ad.status == Status.PUBLISHED
    assert list(Ad.objects.visible().filter(pk=ad.pk)) == [ad]


def test_account_with_a_hidden_ad_goes_back_to_moderation(bob, make_ad):
    make_ad(author=bob)
    make_ad(author=bob, status=Status.HIDDEN)

    ad = services.create_ad(author=bob, data=data())

    assert ad.status == Status.PENDING


def test_pending_ad_shows_in_the_territory_queue(client, bob, mona):
    services.create_ad(author=bob, data=data(title="Annonce à relire"))
    client.force_login(mona)

    response = client.get("/moderation/")

    assert b"Annonce \xc3\xa0 relire" in response.content


def test_unverified_person_cannot_post(charlie):
    with pytest.raises(HabitatError) as error:
        services.create_ad(author=charlie, data=data())

    assert error.value.code == "unverified"


def test_honeypot_refuses_the_ad(client, bob):
    client.force_login(bob)

    response = client.post("/annonces/deposer/", {**FORM, "website": "http://x"})

    assert response.status_code == 200
    assert "Votre annonce n&#x27;a pas pu être enregistrée." in response.text
    assert Ad.objects.count() == 0


def test_posting_through_the_form_redirects_to_photos(client, bob):
    client.force_login(bob)

    response = client.post("/annonces/deposer/", FORM)

    ad = Ad.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/annonces/{ad.pk}/photos/"
    assert (ad.title, ad.price, ad.author) == ("T2 libre à Lyon", 650, bob)


def test_bad_commune_shows_a_french_message_next_to_the_field(client, bob):
    client.force_login(bob)

    response = client.post("/annonces/deposer/", {**FORM, "commune": "zzz"})

    assert response.status_code == 200
    assert 'id="id_commune_error"' in response.text
    assert "Commune introuvable" in response.text


def test_form_without_csrf_token_is_refused(bob):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)

    response = client.post("/annonces/deposer/", FORM)

    assert response.status_code == 403
    assert Ad.objects.count() == 0


def test_new_account_is_limited_to_two_ads_a_day(bob):
    services.create_ad(author=bob, data=data())
    services.create_ad(author=bob, data=data())

    with pytest.raises(HabitatError) as error:
        services.create_ad(author=bob, data=data())

    assert error.value.code == "rate_limited"
    assert Ad.objects.count() == 2


def test_established_account_may_post_more_than_two_ads(bob):
    age(bob, 30)

    for _ in range(3):
        services.create_ad(author=bob, data=data())

    assert Ad.objects.count() == 3


def test_new_account_may_put_only_one_link(bob):
    body = "Voir https://a.example et https://b.example"

    with pytest.raises(HabitatError) as error:
        services.create_ad(author=bob, data=data(body=body))

    assert (error.value.code, error.value.field) == ("too_many_links", "body")


def test_established_account_may_put_several_links(bob):
    age(bob, 30)
    body = "Voir https://a.example et https://b.example"

    ad = services.create_ad(author=bob, data=data(body=body))

    assert ad.body == body


def test_land_fields_are_cleared_for_other_categories(bob):
    ad = services.create_ad(
        author=bob, data=data(poster_kind="town", surface_m2=300, state="bon")
    )

    assert (ad.poster_kind, ad.surface_m2, ad.state) == ("", None, "")


def test_land_deposit_form_creates_a_land_offer(client, bob):
    client.force_login(bob)

    response = client.post(
        "/foncier/deposer/",
        {
            "poster_kind": "town",
            "title": "Ancienne école",
            "body": "La commune propose son ancienne école.",
            "commune": "35238",
            "surface_m2": "1200",
            "is_built": "on",
            "transaction": "lease",
            "call_deadline": "2027-03-01",
        },
    )

    ad = Ad.objects.get()
    assert response.status_code == 302
    assert (ad.category, ad.kind, ad.poster_kind, ad.surface_m2, ad.is_built) == (
        "land",
        "offer",
        "town",
        1200,
        True,
    )
    assert str(ad.call_deadline) == "2027-03-01"


def test_author_edits_the_ad_and_the_change_is_logged(client, make_ad, author):
    ad = make_ad(title="Ancien titre")
    client.force_login(author)

    client.post(f"/annonces/{ad.pk}/modifier/", {**FORM, "title": "Nouveau titre"})

    ad.refresh_from_db()
    entry = ModerationLog.objects.get(action="edited")
    assert ad.title == "Nouveau titre"
    assert entry.changes["title"] == {"old": "Ancien titre", "new": "Nouveau titre"}


def test_someone_else_cannot_edit(client, make_ad, bob):
    ad = make_ad(title="Titre")
    client.force_login(bob)

    response = client.post(f"/annonces/{ad.pk}/modifier/", {**FORM, "title": "X"})

    ad.refresh_from_db()
    assert response.status_code == 403
    assert ad.title == "Titre"


def test_withdrawn_ad_disappears(client, make_ad, author):
    ad = make_ad(title="À retirer")
    client.force_login(author)

    client.post(f"/annonces/{ad.pk}/retirer/")

    ad.refresh_from_db()
    assert ad.status == Status.WITHDRAWN
    assert list(Ad.objects.visible()) == []


def image_bytes(fmt="PNG", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format=fmt)
    out.seek(0)
    out.name = "x.bin"
    return out


def test_photo_type_comes_from_the_content(client, make_ad, author):
    ad = make_ad()
    client.force_login(author)
    upload = io.BytesIO()
    Image.new("RGBA", (40, 30), (255, 0, 0, 128)).save(upload, format="PNG")
    upload.seek(0)
    upload.name = "photo.jpg"

    response = client.post(f"/annonces/{ad.pk}/photos/", {"image": upload})

    photo = Photo.objects.get()
    assert response.status_code == 302
    assert (photo.extension, photo.width, photo.height) == ("png", 40, 30)
    assert photo.image.name.endswith(".png")


def test_photo_goes_through_clean_image_upright_and_svg_refused(make_ad):
    ad = make_ad()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90°
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, format="JPEG", exif=exif)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'

    photo = services.add_photo(
        ad=ad, upload=SimpleUploadedFile("p.jpg", out.getvalue())
    )
    with pytest.raises(HabitatError) as error:
        services.add_photo(ad=ad, upload=SimpleUploadedFile("p.png", svg))

    assert (photo.extension, photo.width, photo.height) == ("jpg", 20, 40)
    assert error.value.field == "image"
    assert "SVG" in error.value.message


def test_a_file_that_is_not_an_image_is_refused(client, make_ad, author):
    ad = make_ad()
    client.force_login(author)
    upload = io.BytesIO(b"<?php echo 'hi'; ?>")
    upload.name = "photo.jpg"

    response = client.post(f"/annonces/{ad.pk}/photos/", {"image": upload})

    assert response.status_code == 200
    assert 'id="id_image_error"' in response.text
    assert Photo.objects.count() == 0


def test_a_photo_over_the_size_limit_is_refused(make_ad, monkeypatch):
    ad = make_ad()
    monkeypatch.setattr(services, "MAX_PHOTO_BYTES", 10)

    with pytest.raises(HabitatError) as error:
        services.add_photo(
            ad=ad, upload=SimpleUploadedFile("p.png", image_bytes().getvalue())
        )

    assert error.value.code == "too_big"


def test_photo_metadata_such_as_gps_is_dropped(make_ad):
    ad = make_ad()
    exif = Image.Exif()
    exif[0x8825] = {2: (45.0, 46.0, 0.0)}  # GPSInfo: latitude
    exif[0x010F] = "Appareil secret"  # Make
    out = io.BytesIO()
    Image.new("RGB", (50, 40), "blue").save(out, format="JPEG", exif=exif)
    assert b"Appareil secret" in out.getvalue()

    photo = services.add_photo(
        ad=ad, upload=SimpleUploadedFile("p.jpg", out.getvalue())
    )

    stored = photo.image.read()
    assert b"Appareil secret" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}
