"""The relay: writing, answering, pseudonyms, e-mails, limits, blocks, reports."""

import pytest
from django.core import mail

from habitat.core.exceptions import HabitatError
from habitat.matching import engine, services
from habitat.matching.models import Block, Conversation, Match, Message
from habitat.moderation.models import Report


@pytest.fixture
def group(make_group, alice):
    return make_group(editors=[alice])


@pytest.fixture
def findable_bob(make_seeker, bob, group):
    profile = make_seeker(bob, findable=True, pseudonym="Hirondelle")
    engine.recompute_for_seeker(profile)
    return profile


def test_person_writes_to_group_and_editors_get_an_email_without_the_text(
    client, bob, alice, group, django_capture_on_commit_callbacks
):
    client.force_login(bob)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/mise-en-lien/ecrire/{group.project.slug}/",
            {"body": "Bonjour, votre projet m'intéresse beaucoup."},
        )

    conversation = Conversation.objects.get()
    assert response["Location"] == f"/mise-en-lien/messages/{conversation.pk}/"
    assert (conversation.person, conversation.started_by) == (bob, bob)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Bob" in mail.outbox[0].body
    assert "intéresse" not in mail.outbox[0].body
    assert "bob@example.org" not in mail.outbox[0].body


def test_editor_answers_and_neither_email_is_shown(client, bob, alice, group):
    conversation = services.write_to_group(
        person=bob, project=group.project, body="Bonjour !"
    )
    client.force_login(alice)

    client.post(f"/mise-en-lien/messages/{conversation.pk}/", {"body": "Bienvenue"})
    client.force_login(bob)
    page = client.get(f"/mise-en-lien/messages/{conversation.pk}/").content

    assert list(conversation.messages.values_list("body", "from_person")) == [
        ("Bonjour !", True),
        ("Bienvenue", False),
    ]
    assert b"alice@example.org" not in page
    assert b"Bienvenue" in page


def test_shared_email_becomes_visible_to_the_other_side(client, bob, alice, group):
    conversation = services.write_to_group(
        person=bob, project=group.project, body="Bonjour !"
    )
    client.force_login(bob)

    client.post(f"/mise-en-lien/messages/{conversation.pk}/partager-mon-adresse/")
    client.force_login(alice)
    page = client.get(f"/mise-en-lien/messages/{conversation.pk}/").content

    assert b"bob@example.org" in page


def test_outsider_cannot_read_a_conversation(client, bob, charlie, group):
    conversation = services.write_to_group(
        person=bob, project=group.project, body="Bonjour !"
    )
    client.force_login(charlie)

    response = client.get(f"/mise-en-lien/messages/{conversation.pk}/")

    assert response.status_code == 404


def test_unverified_account_cannot_write(client, charlie, group):
    client.force_login(charlie)

    response = client.post(
        f"/mise-en-lien/ecrire/{group.project.slug}/", {"body": "Bonjour"}
    )

    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_group_sees_a_findable_person_under_pseudonym_until_they_write(
    client, bob, alice, group, findable_bob
):
    client.force_login(alice)
    matches_page = client.get(f"/mise-en-lien/groupes/{group.project.slug}/").content

    client.post(
        f"/mise-en-lien/groupes/{group.project.slug}/ecrire/{findable_bob.pk}/",
        {"body": "Bonjour, seriez-vous intéressé ?"},
    )
    conversation = Conversation.objects.get()
    before = client.get(f"/mise-en-lien/messages/{conversation.pk}/").content
    services.reply(conversation=conversation, sender=bob, body="Oui !")
    after = client.get(f"/mise-en-lien/messages/{conversation.pk}/").content

    assert b"Hirondelle" in matches_page
    assert b"Bob" not in matches_page
    assert (b"Hirondelle" in before, b"Bob" in before) == (True, False)
    assert b"Bob" in after


def test_person_who_is_not_findable_is_not_shown_to_the_group(
    client, bob, alice, group, make_seeker
):
    profile = make_seeker(bob, pseudonym="Discret")
    engine.recompute_for_seeker(profile)
    client.force_login(alice)

    page = client.get(f"/mise-en-lien/groupes/{group.project.slug}/").content
    write = client.get(
        f"/mise-en-lien/groupes/{group.project.slug}/ecrire/{profile.pk}/"
    )

    assert b"Discret" not in page
    assert "Et 1 personne qui préfère rester discrète".encode() in page
    assert write.status_code == 404


def test_group_matches_page_is_for_editors_only(client, bob, group):
    client.force_login(bob)

    response = client.get(f"/mise-en-lien/groupes/{group.project.slug}/")

    assert response.status_code == 403


def test_new_account_is_limited_in_first_contacts_per_day(
    bob, make_group, settings, aged
):
    settings.HABITAT_FIRST_CONTACTS_PER_DAY = 2
    aged(bob, 2)
    groups = [make_group(editors=[]) for _ in range(3)]
    for search in groups:
        search.project.editors.add(
            type(bob).objects.create_user(email=f"ed{search.pk}@example.org")
        )
    services.write_to_group(person=bob, project=groups[0].project, body="Un")
    services.write_to_group(person=bob, project=groups[1].project, body="Deux")

    with pytest.raises(HabitatError) as error:
        services.write_to_group(person=bob, project=groups[2].project, body="Trois")

    assert error.value.code == "rate_limited"
    assert Conversation.objects.filter(started_by=bob).count() == 2


def test_limit_counts_only_first_contacts_not_replies(bob, group, settings, aged):
    settings.HABITAT_FIRST_CONTACTS_PER_DAY = 1
    aged(bob, 2)
    services.write_to_group(person=bob, project=group.project, body="Un")

    services.write_to_group(person=bob, project=group.project, body="Deux")

    assert Message.objects.count() == 2


def test_older_account_has_no_first_contact_limit(bob, make_group, settings, aged):
    settings.HABITAT_FIRST_CONTACTS_PER_DAY = 1
    aged(bob, 30)
    groups = [make_group() for _ in range(2)]
    for search in groups:
        search.project.editors.add(
            type(bob).objects.create_user(email=f"ed{search.pk}@example.org")
        )

    for search in groups:
        services.write_to_group(person=bob, project=search.project, body="Bonjour")

    assert Conversation.objects.filter(started_by=bob).count() == 2


def test_block_stops_messages_both_ways_and_removes_the_match(
    client, bob, alice, group, findable_bob
):
    conversation = services.write_to_group(
        person=bob, project=group.project, body="Bonjour"
    )
    client.force_login(alice)

    client.post(f"/mise-en-lien/messages/{conversation.pk}/bloquer/")
    engine.recompute_for_seeker(findable_bob)

    assert Block.objects.filter(person=bob, project=group.project).count() == 1
    assert not Match.objects.filter(seeker=findable_bob).exists()
    with pytest.raises(HabitatError):
        services.reply(conversation=conversation, sender=bob, body="Encore")
    with pytest.raises(HabitatError):
        services.write_to_group(person=bob, project=group.project, body="Encore")


def test_report_lets_the_territory_moderator_read_that_message_only(
    client, bob, alice, group, mona, otto
):
    conversation = services.write_to_group(
        person=bob, project=group.project, body="Message insultant"
    )
    other = services.reply(conversation=conversation, sender=bob, body="Autre")
    message = conversation.messages.first()
    client.force_login(alice)

    client.post(
        f"/mise-en-lien/messages/{conversation.pk}/signaler/{message.pk}/",
        {"reason": "Insultes"},
    )
    client.force_login(mona)
    reported = client.get(f"/mise-en-lien/messages-signales/{message.pk}/")
    not_reported = client.get(f"/mise-en-lien/messages-signales/{other.pk}/")
    thread = client.get(f"/mise-en-lien/messages/{conversation.pk}/")
    client.force_login(otto)
    elsewhere = client.get(f"/mise-en-lien/messages-signales/{message.pk}/")

    assert Report.objects.get().reason == "Insultes"
    assert (reported.status_code, b"Message insultant" in reported.content) == (
        200,
        True,
    )
    assert not_reported.status_code == 403
    assert thread.status_code == 404
    assert elsewhere.status_code == 403


def test_empty_message_is_refused_next_to_the_field(client, bob, group):
    client.force_login(bob)

    response = client.post(
        f"/mise-en-lien/ecrire/{group.project.slug}/", {"body": "   "}
    )

    assert response.status_code == 200
    assert b"Ce champ est obligatoire." in response.content
    assert not Conversation.objects.exists()
