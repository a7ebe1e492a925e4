"""The staff upload page: permissions, preview, mapping, dry run, report."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from habitat.projects.importers import views as import_views
from habitat.projects.models import Project

DATA = Path(__file__).parent.parent / "data" / "projects"


def upload(client, name="export-excel-fr.csv", **extra):
    content = (DATA / name).read_bytes()
    return client.post(
        "/projets/import/", {"file": SimpleUploadedFile(name, content), **extra}
    )


def job_of(response) -> str:
    return re.search(r'name="job" value="([^"]+)"', response.content.decode())[1]


def columns(response) -> dict:
    html = response.content.decode()
    headers = re.findall(r'name="header" value="([^"]*)"', html)
    return {f"map_{i}": "" for i in range(len(headers))} | {"header": headers}


@pytest.fixture
def staff(db):
    from tests.conftest import make_user

    return make_user("staff@example.org", is_staff=True)


def test_upload_page_is_for_staff_and_national_team_only(client, bob, nadia, staff):
    assert client.get("/projets/import/").status_code == 302

    client.force_login(bob)
    assert client.get("/projets/import/").status_code == 403
    assert upload(client).status_code == 403

    client.force_login(nadia)
    assert client.get("/projets/import/").status_code == 200
    client.force_login(staff)
    assert client.get("/projets/import/").status_code == 200
    assert Project.objects.count() == 0


def test_preview_shows_first_rows_detected_format_and_mapping(client, staff):
    client.force_login(staff)

    response = upload(client)

    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "40 lignes" in html
    assert "Encodage cp1252, séparateur « ; »" in html
    assert "<td>La Ferme des Quatre Vents</td>" in html
    assert '<option value="name" selected>' in html
    assert Project.objects.count() == 0


def test_dry_run_writes_nothing_and_shows_the_report(client, staff):
    client.force_login(staff)
    preview = upload(client)
    form = {
        "job": job_of(preview),
        "action": "dry_run",
        "format": "csv",
        "encoding": "cp1252",
        "delimiter": ";",
        "header": re.findall(
            r'name="header" value="([^"]*)"', preview.content.decode()
        ),
    }
    form |= {f"map_{i}": f for i, f in enumerate(
        ["name", "commune_name", "postal_code", "department", "stage",
         "legal_structures", "dwellings", "website", "contact"]
    )}  # fmt: skip

    response = client.post("/projets/import/", form, follow=True)

    html = response.content.decode()
    assert "Simulation : 40 lignes lues, 40 créées" in html
    assert Project.objects.count() == 0


def test_import_then_report_row_by_row(client, staff):
    client.force_login(staff)
    preview = upload(client, name="bazar-entries.json")
    html = preview.content.decode()
    headers = re.findall(r'name="header" value="([^"]*)"', html)
    selected = dict(
        re.findall(
            r'<select name="(map_\d+)".*?<option value="([^"]*)" selected', html, re.S
        )
    )

    response = client.post(
        "/projets/import/",
        {"job": job_of(preview), "action": "import", "format": "bazar",
         "header": headers, **selected},
        follow=True,
    )  # fmt: skip

    html = response.content.decode()
    assert "60 lignes lues, 60 créées" in html
    assert "Code postal à 4 chiffres complété : 1300 → 01300." in html
    assert Project.objects.count() == 60


def test_unreadable_file_gives_a_message_next_to_the_field(client, staff):
    client.force_login(staff)

    response = client.post(
        "/projets/import/",
        {"file": SimpleUploadedFile("x.json", b"{not json"), "format": "bazar"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "JSON illisible" in html
    assert 'id="id_file_error"' in html


def test_large_file_goes_to_the_task_and_the_status_url_reports_done(
    client, staff, monkeypatch
):
    monkeypatch.setattr(import_views, "INLINE_LIMIT", 10)
    client.force_login(staff)
    preview = upload(client, name="export-libreoffice.csv")
    job = job_of(preview)

    response = client.post(
        "/projets/import/",
        {"job": job, "action": "import", **columns(preview), "map_0": "name",
         "map_1": "commune_name", "map_2": "postal_code", "map_3": "insee"},
    )  # fmt: skip
    status = client.get(f"/projets/import/{job}/?format=json").json()

    assert response["Location"] == f"/projets/import/{job}/"
    assert status == {"state": "done", "progress": [50, 50], "error": ""}
    assert Project.objects.count() == 25


def test_someone_elses_job_is_not_found(client, staff, nadia):
    client.force_login(staff)
    job = job_of(upload(client))

    client.force_login(nadia)

    assert client.get(f"/projets/import/{job}/").status_code == 404
