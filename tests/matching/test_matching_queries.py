"""Every list page of the mise en lien costs the same queries for 1 or 3 items."""

import pytest

from habitat.matching import engine, services


@pytest.fixture
def users(db):
    from habitat.accounts.models import User

    return [
        User.objects.create_user(
            email=f"p{n}@example.org", password="x", email_verified=True
        )
        for n in range(3)
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_my_matches_page_queries_do_not_grow(
    client, bob, make_group, make_seeker, django_assert_num_queries, n
):
    for _ in range(n):
        make_group()
    engine.recompute_for_seeker(make_seeker(bob))
    client.force_login(bob)
    client.get("/mise-en-lien/mes-correspondances/")

    with django_assert_num_queries(6):
        response = client.get("/mise-en-lien/mes-correspondances/")

    assert response.content.count(b'class="card match"') == n


@pytest.mark.parametrize("n", [1, 3])
def test_group_matches_page_queries_do_not_grow(
    client, alice, users, make_group, make_seeker, django_assert_num_queries, n
):
    search = make_group(editors=[alice])
    for user in users[:n]:
        make_seeker(user, findable=True, pseudonym=f"Pseudo {user.pk}")
    engine.recompute_for_group(search)
    client.force_login(alice)
    url = f"/mise-en-lien/groupes/{search.project.slug}/"
    client.get(url)

    with django_assert_num_queries(9):
        response = client.get(url)

    assert response.content.count(b'class="card match"') == n


@pytest.mark.parametrize("n", [1, 3])
def test_inbox_queries_do_not_grow(
    client, bob, make_group, users, django_assert_num_queries, n
):
    for user in users[:n]:
        search = make_group(editors=[user])
        services.write_to_group(person=bob, project=search.project, body="Bonjour")
    client.force_login(bob)
    client.get("/mise-en-lien/messages/")

    with django_assert_num_queries(5):
        response = client.get("/mise-en-lien/messages/")

    assert response.content.count(b'class="card') == n


@pytest.mark.parametrize("n", [1, 3])
def test_conversation_queries_do_not_grow_with_messages(
    client, bob, alice, make_group, django_assert_num_queries, n
):
    search = make_group(editors=[alice])
    conversation = services.write_to_group(
        person=bob, project=search.project, body="Premier"
    )
    for _ in range(n - 1):
        services.reply(conversation=conversation, sender=alice, body="Réponse")
    client.force_login(bob)
    url = f"/mise-en-lien/messages/{conversation.pk}/"
    client.get(url)

    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.content.count(b'<li class="card ') == n


@pytest.mark.parametrize("n", [1, 3])
def test_group_land_page_queries_do_not_grow(
    client, alice, make_group, django_assert_num_queries, n, bob
):
    from habitat.ads.models import Ad, Category, Kind

    search = make_group(editors=[alice], seeks_land=True)
    for index in range(n):
        Ad.objects.create(
            category=Category.LAND,
            kind=Kind.OFFER,
            title=f"Terrain {index}",
            body="Un terrain.",
            commune_id="69266",
            author=bob,
            status="published",
        )
    client.force_login(alice)
    url = f"/mise-en-lien/groupes/{search.project.slug}/foncier/"
    client.get(url)

    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.content.count(b'class="card match"') == n
    assert response.content.count(b" km de votre projet") == n
