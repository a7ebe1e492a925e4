"""Expiry and hiding take effect by date and status, with no job having run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from habitat.ads.models import Ad
from habitat.moderation import services as moderation
from habitat.moderation.models import Status

YESTERDAY = timedelta(days=-1)


@pytest.fixture
def expired_and_live(make_ad):
    expired = make_ad(title="Annonce expirée", land=True)
    Ad.objects.filter(pk=expired.pk).update(expires_at=timezone.now() + YESTERDAY)
    live = make_ad(title="Annonce en ligne", land=True)
    return expired, live


def test_queryset_visible_excludes_expired_ads(expired_and_live):
    expired, live = expired_and_live

    assert list(Ad.objects.visible()) == [live]
    assert list(Ad.objects.land_offers()) == [live]


def test_expired_ad_is_hidden_from_the_list(client, expired_and_live):
    response = client.get("/annonces/")

    assert b"Annonce en ligne" in response.content
    assert b"Annonce expir" not in response.content


def test_expired_land_offer_is_hidden_from_the_land_page(client, expired_and_live):
    response = client.get("/foncier/")

    assert b"Annonce en ligne" in response.content
    assert b"Annonce expir" not in response.content


def test_expired_ad_is_hidden_from_the_api(client, expired_and_live):
    _, live = expired_and_live

    ads = client.get("/api/v1/ads/").json()
    land = client.get("/api/v1/land-offers/").json()

    assert [item["id"] for item in ads["results"]] == [live.pk]
    assert [item["id"] for item in land["results"]] == [live.pk]


def test_expired_ad_is_hidden_from_rss(client, expired_and_live):
    response = client.get("/annonces/rss/")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert b"Annonce en ligne" in response.content
    assert b"Annonce expir" not in response.content


def test_expired_ad_is_hidden_from_map_data(client, expired_and_live):
    _, live = expired_and_live

    features = client.get("/foncier/carte.json").json()["features"]

    assert [f["properties"]["title"] for f in features] == ["Annonce en ligne"]


def test_map_data_changes_at_once_when_an_offer_expires(client, make_ad):
    ad = make_ad(title="Bientôt expirée", land=True)
    assert len(client.get("/foncier/carte.json").json()["features"]) == 1

    Ad.objects.filter(pk=ad.pk).update(expires_at=timezone.now() + YESTERDAY)

    assert client.get("/foncier/carte.json").json()["features"] == []


def test_expired_ad_detail_is_404_for_the_public(client, expired_and_live):
    expired, _ = expired_and_live

    response = client.get(f"/annonces/{expired.pk}/")

    assert response.status_code == 404


def test_hidden_ad_is_gone_from_list_feed_and_api(client, make_ad, mona):
    ad = make_ad(title="Annonce douteuse")

    moderation.decide(obj=ad, decision="hide", actor=mona, reason="Arnaque probable")

    assert b"Annonce douteuse" not in client.get("/annonces/").content
    assert b"Annonce douteuse" not in client.get("/annonces/rss/").content
    assert client.get("/api/v1/ads/").json()["count"] == 0
    assert client.get(f"/annonces/{ad.pk}/").status_code == 404


def test_hiding_tells_the_author_with_the_reason(
    make_ad, mona, mailoutbox, django_capture_on_commit_callbacks
):
    ad = make_ad(title="Annonce douteuse")

    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(
            obj=ad, decision="hide", actor=mona, reason="Arnaque probable"
        )

    ad.refresh_from_db()
    assert ad.status == Status.HIDDEN
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["secret.author@prive.example"]
    assert "Arnaque probable" in mailoutbox[0].body


def test_moderator_hides_from_the_detail_page(client, make_ad, mona, mailoutbox):
    ad = make_ad(title="Annonce douteuse")
    client.force_login(mona)

    response = client.post(
        f"/moderation/ads.ad/{ad.pk}/decision/",
        {"decision": "hide", "reason": "Hors sujet", "next": f"/annonces/{ad.pk}/"},
    )

    ad.refresh_from_db()
    assert response.status_code == 302
    assert ad.status == Status.HIDDEN
    assert ad.moderation_reason == "Hors sujet"


def test_moderator_of_another_region_cannot_hide(client, make_ad, otto):
    ad = make_ad(title="Annonce à Lyon")
    client.force_login(otto)

    response = client.post(
        f"/moderation/ads.ad/{ad.pk}/decision/",
        {"decision": "hide", "reason": "Hors sujet"},
    )

    ad.refresh_from_db()
    assert response.status_code == 403
    assert ad.status == Status.PUBLISHED
