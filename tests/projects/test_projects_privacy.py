"""No public output ever carries a sheet's private contact details."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from habitat.moderation.models import Status

SECRET_EMAIL = b"tres.secret@prive.example"
SECRET_PHONE = b"07 98 76 54 32"
SECRET_ADDRESS = b"99 chemin Discret"


def test_public_outputs_never_hold_private_contact_details(client, make_project):
    project = make_project(
        name="La Ruche",
        contact_email=SECRET_EMAIL.decode(),
        contact_phone=SECRET_PHONE.decode(),
        contact_name="Personne Privée",
        address=SECRET_ADDRESS.decode(),
    )
    make_project(status=Status.PENDING, name="Secret en attente")

    outputs = [
        client.get("/projets/"),
        client.get("/projets/?q=ruche"),
        client.get(f"/projets/{project.slug}/"),
        client.get("/api/v1/projects/"),
        client.get(f"/api/v1/projects/{project.slug}/"),
        client.get("/projets/export.csv"),
        client.get("/projets/export.csv?excel=1"),
    ]

    for response in outputs:
        body = b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert SECRET_EMAIL not in body
        assert SECRET_PHONE not in body
        assert SECRET_ADDRESS not in body
        assert "Personne Privée".encode() not in body
        assert b"Secret en attente" not in body


def test_csv_export_is_utf8_with_an_excel_variant(client, make_project):
    make_project(name="Écolieu")

    plain = client.get("/projets/export.csv").content
    excel = client.get("/projets/export.csv?excel=1").content

    assert plain.startswith(b"slug,name,")
    assert "Écolieu".encode() in plain
    assert excel.startswith(b"\xef\xbb\xbfslug;name;")


def test_yearly_confirmation_mails_a_one_click_link(make_project):
    due = make_project(
        last_verified_at=timezone.now() - timedelta(days=400),
        contact_email="g@prive.example",
    )
    make_project(last_verified_at=timezone.now() - timedelta(days=10))

    call_command("send_confirmation_requests", stdout=None)

    assert [m.to for m in mail.outbox] == [["g@prive.example"]]
    assert f"/projets/{due.slug}/confirmer/" in mail.outbox[0].body
    call_command("send_confirmation_requests", stdout=None)
    assert len(mail.outbox) == 1  # not asked again the next day
