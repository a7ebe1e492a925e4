"""Public outputs: privacy of authors, query counts, filters, errors."""

import pytest

from habitat.ads.models import Ad
from habitat.moderation.models import Status

PUBLIC_URLS = [
    "/annonces/",
    "/annonces/rss/",
    "/foncier/",
    "/foncier/carte.json",
    "/api/v1/ads/",
    "/api/v1/land-offers/",
]


@pytest.fixture
def both_ads(make_ad, author):
    author.display_name = ""
    author.save()
    return [make_ad(title="Logement"), make_ad(title="Terrain", land=True)]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_author_address_is_never_in_public_outputs(client, both_ads, url):
    response = client.get(url)

    assert response.status_code == 200
    assert b"secret.author" not in response.content
    assert b"prive.example" not in response.content
    assert b"Terrain" in response.content


def test_author_address_is_not_on_the_detail_page(client, both_ads, bob):
    client.force_login(bob)

    for ad in both_ads:
        response = client.get(ad.get_absolute_url())

        assert response.status_code == 200
        assert b"secret.author" not in response.content
        assert b"prive.example" not in response.content


def test_unpublished_ads_are_in_no_public_output(client, make_ad):
    make_ad(title="Brouillon secret", land=True, status=Status.PENDING)
    make_ad(title="Brouillon secret", land=True, status=Status.REJECTED)

    for url in PUBLIC_URLS:
        assert b"Brouillon secret" not in client.get(url).content, url


def test_pending_ad_detail_is_404_to_others_and_visible_to_its_author(
    client, make_ad, author
):
    ad = make_ad(status=Status.PENDING)

    assert client.get(f"/annonces/{ad.pk}/").status_code == 404
    client.force_login(author)
    assert client.get(f"/annonces/{ad.pk}/").status_code == 200


def test_detail_url_without_slug_redirects_to_the_canonical_one(client, make_ad):
    ad = make_ad(title="Grange à Lyon")

    response = client.get(f"/annonces/{ad.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"/annonces/{ad.pk}-grange-a-lyon/"


@pytest.mark.parametrize(
    "url",
    [
        "/annonces/",
        "/foncier/",
        "/annonces/rss/",
        "/foncier/carte.json",
        "/api/v1/ads/",
        "/api/v1/land-offers/",
    ],
)
def test_query_count_does_not_grow_with_items(
    client, make_ad, django_assert_num_queries, url
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_ad(land=True)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    cache.clear()
    make_ad(land=True)
    make_ad(land=True)

    with django_assert_num_queries(len(one)):
        response = client.get(url)

    assert response.status_code == 200


def test_list_page_makes_a_fixed_number_of_queries(
    client, make_ad, django_assert_num_queries
):
    make_ad()
    with django_assert_num_queries(5):
        client.get("/annonces/")
    make_ad()
    make_ad()

    with django_assert_num_queries(5):
        response = client.get("/annonces/")

    assert response.context["page_obj"].paginator.count == 3


def test_out_of_range_page_is_404(client, make_ad):
    make_ad()

    assert client.get("/annonces/?page=2").status_code == 404
    assert client.get("/annonces/?page=abc").status_code == 404
    assert client.get("/foncier/?page=9").status_code == 404


def test_bad_api_filter_is_a_400_with_the_json_error_shape(client):
    response = client.get("/api/v1/ads/?category=castle&price_min=cheap")

    body = response.json()
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid"
    assert body["error"]["message"] == "Certaines valeurs sont invalides."
    assert set(body["error"]["fields"]) == {"category", "price_min"}


def test_bad_api_page_is_a_404_json(client, make_ad):
    make_ad()

    response = client.get("/api/v1/ads/?page=5")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Page introuvable."


def test_list_filters_by_category_region_price_and_words(client, make_ad):
    make_ad(title="Grange bretonne", land=True, commune="35238", price=50000)
    make_ad(title="Grange lyonnaise", land=True, commune="69123", price=50000)
    make_ad(title="Grange chère", land=True, commune="35238", price=900000)
    make_ad(title="Logement breton", commune="35238")

    response = client.get(
        "/annonces/?category=land&region=53&price_max=100000&q=GRANGE"
    )

    titles = [ad.title for ad in response.context["page_obj"]]
    assert titles == ["Grange bretonne"]


def test_api_filters_by_department_and_kind(client, make_ad):
    make_ad(title="Offre à Rennes", commune="35238")
    make_ad(title="Demande à Rennes", commune="35238", kind="request")
    make_ad(title="Offre à Lyon")

    body = client.get("/api/v1/ads/?department=35&kind=offer").json()

    assert [item["title"] for item in body["results"]] == ["Offre à Rennes"]
    assert body["results"][0]["commune"]["insee"] == "35238"


def test_land_offer_api_lists_public_land_fields_only(client, make_ad):
    ad = make_ad(title="École", land=True, surface_m2=900, constraints="PLU")

    item = client.get("/api/v1/land-offers/").json()["results"][0]

    assert item["id"] == ad.pk
    assert (item["poster_kind"], item["surface_m2"], item["constraints"]) == (
        "town",
        900,
        "PLU",
    )
    assert "author" not in item
    assert "status" not in item


def test_api_is_documented_in_the_schema(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    ads = schema["paths"]["/api/v1/ads/"]["get"]
    assert "/api/v1/land-offers/" in schema["paths"]
    assert {"200", "400", "404"} <= set(ads["responses"])
    assert {p["name"] for p in ads["parameters"]} >= {"category", "region", "q", "page"}


def test_ad_body_markdown_is_sanitised(client, make_ad):
    ad = make_ad(body="<script>alert(1)</script> **gras**")

    response = client.get(ad.get_absolute_url())

    assert b"<script>alert(1)" not in response.content
    assert b"<strong>gras</strong>" in response.content


def test_every_ads_page_has_one_h1(client, make_ad, author):
    ad = make_ad(land=True)
    client.force_login(author)

    for url in [
        "/annonces/",
        "/foncier/",
        ad.get_absolute_url(),
        "/annonces/deposer/",
        "/foncier/deposer/",
        "/annonces/mes-annonces/",
        f"/annonces/{ad.pk}/photos/",
        f"/annonces/{ad.pk}/modifier/",
    ]:
        assert client.get(url).content.count(b"<h1") == 1, url


def test_ads_queryset_counts(make_ad):
    make_ad(land=True)
    make_ad()

    assert (Ad.objects.visible().count(), Ad.objects.land_offers().count()) == (2, 1)


def test_my_ads_page_query_count_does_not_grow(
    client, make_ad, author, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(author)
    make_ad()
    with CaptureQueriesContext(connection) as one:
        client.get("/annonces/mes-annonces/")
    make_ad()
    make_ad()

    with django_assert_num_queries(len(one)):
        response = client.get("/annonces/mes-annonces/")

    assert response.context["page_obj"].paginator.count == 3
