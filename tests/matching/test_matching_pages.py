"""Pages of the mise en lien: home, profile, matches, group pages."""

import re

import pytest

from habitat.matching.models import Match, SeekerProfile

H1 = re.compile(rb"<h1[\s>]")


def test_home_explains_and_invites_to_sign_up(client, db):
    response = client.get("/mise-en-lien/")

    assert response.status_code == 200
    assert len(H1.findall(response.content)) == 1
    assert "Créer un compte et décrire ce que je cherche".encode() in response.content


def test_home_offers_the_profile_to_a_logged_in_person(client, bob):
    client.force_login(bob)

    response = client.get("/mise-en-lien/")

    assert "Décrire ce que je cherche".encode() in response.content


def test_profile_form_saves_the_zone_and_shows_explained_matches(
    client, bob, alice, make_group, django_capture_on_commit_callbacks
):
    make_group(editors=[alice], price_min=200_000)
    client.force_login(bob)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/mise-en-lien/mon-profil/",
            {
                "commune_1": "69387",
                "radius_km": "20",
                "adults": "2",
                "children": "1",
                "ages_text": "38, 41, 7",
                "budget_purchase": "250000",
                "tenures": ["cooperative"],
                "timeline": "2y",
                "notify_frequency": "never",
            },
        )
    page = client.get("/mise-en-lien/mes-correspondances/")

    assert response.status_code == 302
    profile = SeekerProfile.objects.get(user=bob)
    assert (profile.ages, profile.department_codes) == ([38, 41, 7], "")
    assert Match.objects.filter(seeker=profile).count() == 1
    assert b"budget compatible" in page.content
    assert "à 2 km de votre zone".encode() in page.content


def test_profile_without_territory_shows_the_error_next_to_the_field(client, bob):
    client.force_login(bob)

    response = client.post(
        "/mise-en-lien/mon-profil/",
        {
            "radius_km": "20",
            "adults": "1",
            "children": "0",
            "notify_frequency": "never",
        },
    )

    assert response.status_code == 200
    assert (
        "Indiquez au moins une commune ou un département.".encode() in response.content
    )
    assert not SeekerProfile.objects.filter(user=bob).exists()


def test_bad_age_is_refused_in_french_without_a_500(client, bob):
    client.force_login(bob)

    response = client.post(
        "/mise-en-lien/mon-profil/",
        {
            "commune_1": "69387",
            "radius_km": "20",
            "adults": "1",
            "children": "0",
            "ages_text": "douze",
            "notify_frequency": "never",
        },
    )

    assert response.status_code == 200
    assert "« douze » n&#x27;est pas un âge valide.".encode() in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/mise-en-lien/mon-profil/",
        "/mise-en-lien/mes-correspondances/",
        "/mise-en-lien/messages/",
        "/mise-en-lien/mes-donnees/",
    ],
)
def test_private_pages_ask_to_log_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")


def test_group_reads_about_the_person_and_the_person_about_the_group(
    client, alice, bob, make_group, make_seeker, recompute
):
    group = make_group(editors=[alice], price_min=200_000, wants_children=True)
    make_seeker(
        bob, findable=True, pseudonym="Colibri", budget_purchase=250_000, children=1
    )
    recompute()

    client.force_login(alice)
    for_group = client.get(f"/mise-en-lien/groupes/{group.project.slug}/").content
    client.force_login(bob)
    for_person = client.get("/mise-en-lien/mes-correspondances/").content

    assert "souhaite habiter à 2 km de votre commune".encode() in for_group
    assert b"famille avec enfants : ce que vous recherchez" in for_group
    assert b"de votre zone" not in for_group
    assert "à 2 km de votre zone".encode() in for_person
    assert b"c&#x27;est votre cas" in for_person
