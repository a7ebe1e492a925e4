import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from habitat.accounts.models import User


def test_two_spellings_of_one_address_are_one_account(db):
    User.objects.create_user(
        email="Camille.Martin@Example.org", password="x-long-password"
    )

    assert User.objects.get_by_natural_key("  camille.martin@example.ORG ").email == (
        "camille.martin@example.org"
    )
    with pytest.raises(Exception):  # noqa: B017 - unique constraint, any backend
        User.objects.create_user(email="CAMILLE.martin@example.org", password="y")


def test_signup_refuses_an_address_already_used_in_other_case(client, alice):
    response = client.post(
        "/comptes/signup/",
        {
            "email": "ALICE@example.org",
            "password1": "un-mot-de-passe-sur",
            "password2": "un-mot-de-passe-sur",
        },
    )

    assert response.status_code == 200
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1
    assert b'aria-invalid="true"' in response.content


def test_signup_sends_a_verification_email_and_keeps_extra_fields(client, db):
    response = client.post(
        "/comptes/signup/",
        {
            "email": "Nouvelle@Example.org",
            "password1": "un-mot-de-passe-sur",
            "password2": "un-mot-de-passe-sur",
            "display_name": "Nouvelle",
            "motive": "dreaming",
        },
    )

    user = User.objects.get(email="nouvelle@example.org")
    assert response.status_code == 302
    assert (user.display_name, user.motive, user.email_verified) == (
        "Nouvelle",
        "dreaming",
        False,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle@example.org"]


def test_confirming_the_email_marks_the_person_verified(client, charlie):
    address = EmailAddress.objects.create(
        user=charlie, email=charlie.email, primary=True
    )
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(address).key

    client.post(f"/comptes/confirm-email/{key}/")

    charlie.refresh_from_db()
    assert charlie.email_verified is True


def test_login_page_has_one_labelled_email_field(client, db):
    response = client.get("/comptes/login/")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert '<label for="id_login">' in body


def test_dashboard_requires_login(client, db):
    response = client.get("/espace/")

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")


def test_profile_saves_a_commune_by_insee_code(client, alice):
    client.force_login(alice)

    response = client.post(
        "/espace/profil/",
        {"display_name": "Alice B.", "commune": "42218", "motive": ""},
    )

    alice.refresh_from_db()
    assert response.status_code == 302
    assert (alice.display_name, alice.commune_id) == ("Alice B.", "42218")


def test_profile_refuses_an_unknown_commune_next_to_the_field(client, alice):
    client.force_login(alice)

    response = client.post(
        "/espace/profil/", {"display_name": "Alice", "commune": "99999", "motive": ""}
    )

    alice.refresh_from_db()
    assert response.status_code == 200
    assert alice.commune_id is None
    assert b"Commune introuvable" in response.content


def test_public_name_never_reveals_the_email_address(db):
    user = User.objects.create_user(
        email="secret.person@example.org", password="x-long-password"
    )

    assert user.public_name == "membre du réseau"
    assert "secret" not in str(user)
