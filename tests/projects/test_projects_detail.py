import pytest
from django.core import mail

from habitat.moderation.models import Report, Status
from habitat.projects.services import merge_projects


def test_sheet_shows_public_fields_and_commune_point(client, make_project):
    project = make_project(
        name="La Ruche",
        description="Un **jardin** <script>x()</script>",
        latitude=45.1234567,
        longitude=4.7654321,
        address="12 rue Secrète",
    )

    response = client.get(f"/projets/{project.slug}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert "<strong>jardin</strong>" in body
    assert "<script>x()" not in body
    assert 'data-lat="45.767690"' in body  # Lyon's point, not the precise one
    assert "45.1234567" not in body
    assert "12 rue Secrète" not in body


def test_precise_point_is_shown_when_the_group_chooses(client, make_project):
    project = make_project(latitude=45.5, longitude=4.5, show_precise_location=True)

    response = client.get(f"/projets/{project.slug}/")

    assert 'data-lat="45.500000"' in response.content.decode()


def test_unpublished_sheet_is_404_for_outsiders_and_visible_to_editors(
    client, make_project, alice, bob
):
    project = make_project(status=Status.PENDING, editors=[alice])

    client.force_login(bob)
    assert client.get(f"/projets/{project.slug}/").status_code == 404
    client.force_login(alice)
    assert client.get(f"/projets/{project.slug}/").status_code == 200


def test_old_unconfirmed_sheet_shows_possibly_obsolete(client, make_project):
    from datetime import timedelta

    from django.utils import timezone

    old = make_project(last_verified_at=timezone.now() - timedelta(days=19 * 30))
    fresh = make_project(last_verified_at=timezone.now() - timedelta(days=30))

    assert (
        "possiblement obsolète" in client.get(f"/projets/{old.slug}/").content.decode()
    )
    assert (
        "possiblement obsolète"
        not in client.get(f"/projets/{fresh.slug}/").content.decode()
    )


def test_relay_mails_the_group_with_reply_to_only(client, make_project):
    project = make_project(contact_email="groupe@prive.example")

    response = client.post(
        f"/projets/{project.slug}/contact/",
        {
            "name": "Zoé",
            "email": "zoe@visiteuse.example",
            "message": "Bonjour, peut-on visiter en mai ?",
        },
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["groupe@prive.example"]
    assert sent.reply_to == ["zoe@visiteuse.example"]
    assert "zoe@visiteuse.example" not in sent.body
    assert "peut-on visiter en mai" in sent.body
    page = client.get(f"/projets/{project.slug}/").content.decode()
    assert "groupe@prive.example" not in page
    assert "zoe@visiteuse.example" not in page


def test_relay_honeypot_sends_nothing(client, make_project):
    project = make_project()

    response = client.post(
        f"/projets/{project.slug}/contact/",
        {
            "name": "Bot",
            "email": "bot@spam.example",
            "message": "Achetez nos produits miracles",
            "nickname": "x",
        },
    )

    assert response.status_code == 302
    assert mail.outbox == []


def test_relay_is_rate_limited_per_ip(client, make_project):
    project = make_project()
    data = {
        "name": "Zoé",
        "email": "zoe@visiteuse.example",
        "message": "Bonjour, peut-on visiter en mai ?",
    }

    statuses = [
        client.post(f"/projets/{project.slug}/contact/", data).status_code
        for _ in range(6)
    ]

    assert statuses == [302, 302, 302, 302, 302, 429]
    assert len(mail.outbox) == 5


def test_report_goes_to_the_territory(client, make_project, bob):
    project = make_project()
    client.force_login(bob)

    client.post(
        f"/projets/{project.slug}/signaler/", {"reason": "Le projet est arrêté."}
    )

    report = Report.objects.get()
    assert (report.department_code, report.reason) == ("69", "Le projet est arrêté.")


def test_merged_sheet_redirects_to_the_kept_one(client, make_project, mona):
    kept = make_project(name="La Ruche")
    duplicate = make_project(name="La Ruche (doublon)")
    merge_projects(source=duplicate, target=kept, actor=mona)

    response = client.get(f"/projets/{duplicate.slug}/")

    assert response.status_code == 301
    assert response["Location"] == f"/projets/{kept.slug}/"


@pytest.mark.parametrize("path", ["/projets/proposer/"])
def test_forms_need_a_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]
