"""Land offers and groups seeking land: both wordings, the owner's page, contact."""

from datetime import date

import pytest

from habitat.ads.models import Ad, Category, Kind, Transaction
from habitat.matching import land
from habitat.matching.models import Conversation, GroupSearch


@pytest.fixture
def make_offer(db, bob):
    def make(*, author=bob, commune="69266", **fields):
        fields.setdefault("title", "Terrain communal")
        return Ad.objects.create(
            category=Category.LAND,
            kind=Kind.OFFER,
            body="Un terrain.",
            commune_id=commune,
            author=author,
            status="published",
            **fields,
        )

    return make


# (search, distance, what the group reads about the offer)
GROUP_READS = [
    (
        {},
        {"transaction": Transaction.LEASE, "surface_m2": 1500},
        12,
        ["à 12 km de votre projet", "Bail de longue durée", "1500 m²"],
    ),
    ({}, {}, 0, ["dans la commune de votre projet"]),
    ({}, {}, None, ["dans votre département"]),
    (
        {},
        {"call_deadline": date(2027, 3, 31)},
        4,
        ["à 4 km de votre projet", "appel à projets jusqu'au 31/03/2027"],
    ),
]
# (search, distance, what the offer's author reads about the group)
OWNER_READS = [
    (
        {"land_radius_km": 30, "tenures": ["cooperative"], "timeline": "2y"},
        12,
        [
            "projet à 12 km de votre terrain",
            "cherche un terrain à 30 km au plus",
            "habitat prévu en : coopérative d'habitants",
            "emménagement d'ici deux ans",
        ],
    ),
    (
        {"land_radius_km": 10, "tenures": [], "timeline": ""},
        0,
        [
            "projet dans la commune de votre terrain",
            "cherche un terrain à 10 km au plus",
        ],
    ),
    (
        {"land_radius_km": 50, "tenures": [], "timeline": ""},
        None,
        [
            "projet dans le département de votre terrain",
            "cherche un terrain à 50 km au plus",
        ],
    ),
]


@pytest.mark.parametrize(("search", "offer", "distance", "reasons"), GROUP_READS)
def test_group_reads_about_the_offer(search, offer, distance, reasons):
    ad = Ad(category=Category.LAND, kind=Kind.OFFER, **offer)

    assert land.reasons_for_group(ad, distance) == reasons


@pytest.mark.parametrize(("search", "distance", "reasons"), OWNER_READS)
def test_owner_reads_about_the_group(search, distance, reasons):
    group = GroupSearch(**search)

    assert land.reasons_for_owner(group, distance) == reasons


def test_owner_sees_groups_whose_land_radius_reaches_the_offer(
    client, bob, make_group, make_offer
):
    near = make_group(seeks_land=True, land_radius_km=30)
    make_group(seeks_land=True, land_radius_km=1)  # Lyon, offer about 8 km away
    make_group(seeks_land=False)
    offer = make_offer()
    client.force_login(bob)

    response = client.get(f"/mise-en-lien/foncier/{offer.pk}/groupes/")

    assert response.status_code == 200
    assert response.content.count(b'class="card match"') == 1
    assert near.project.name.encode() in response.content
    assert b"de votre terrain" in response.content
    assert b"de votre projet" not in response.content


def test_only_the_author_sees_the_groups_of_an_offer(client, alice, make_offer):
    offer = make_offer()
    client.force_login(alice)

    response = client.get(f"/mise-en-lien/foncier/{offer.pk}/groupes/")

    assert response.status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_owner_page_queries_do_not_grow(
    client, bob, make_group, make_offer, django_assert_num_queries, n
):
    for _ in range(n):
        make_group(seeks_land=True, land_radius_km=30)
    offer = make_offer()
    client.force_login(bob)
    url = f"/mise-en-lien/foncier/{offer.pk}/groupes/"
    client.get(url)

    with django_assert_num_queries(5):
        response = client.get(url)

    assert response.content.count(b'class="card match"') == n


def test_group_writes_to_the_land_offer_and_the_owner_answers(
    client, alice, bob, make_group, make_offer, django_capture_on_commit_callbacks
):
    make_group(editors=[alice], seeks_land=True, land_radius_km=30)
    offer = make_offer(author=bob)
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/mise-en-lien/ecrire/annonce/{offer.pk}/",
            {"body": "Notre groupe aimerait visiter le terrain."},
        )
    conversation = Conversation.objects.get(ad=offer)
    client.force_login(bob)
    inbox = client.get("/mise-en-lien/messages/").content
    client.post(conversation.get_absolute_url(), {"body": "Avec plaisir, mardi ?"})

    assert response["Location"] == conversation.get_absolute_url()
    assert "Annonce « Terrain communal »".encode() in inbox
    assert b"alice@example.org" not in inbox
    assert conversation.messages.count() == 2


def test_writing_about_ones_own_offer_is_refused_next_to_the_field(
    client, bob, make_offer
):
    offer = make_offer(author=bob)
    client.force_login(bob)

    response = client.post(
        f"/mise-en-lien/ecrire/annonce/{offer.pk}/", {"body": "Bonjour à moi-même."}
    )

    assert response.status_code == 200
    assert b"C&#x27;est votre propre annonce." in response.content
    assert not Conversation.objects.exists()


def test_export_and_deletion_cover_conversations_about_ads(alice, make_offer):
    from habitat.matching import privacy, services

    offer = make_offer()
    conversation = services.write_about_ad(
        person=alice, ad=offer, body="Notre groupe aimerait visiter le terrain."
    )
    services.block(conversation=conversation, user=alice)

    exported = privacy.export_user_data(alice)
    privacy.delete_account(user=alice)

    assert [c["group"] for c in exported["conversations"]] == [
        "Annonce « Terrain communal »"
    ]
    assert [b["group"] for b in exported["blocks"]] == ["Terrain communal"]
    assert conversation.messages.count() == 1
