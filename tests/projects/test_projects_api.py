import json

import pytest

from habitat.moderation.models import Status
from habitat.projects.filters import department_choices, region_choices
from habitat.projects.models import Project


def test_api_lists_published_sheets_with_filters_and_search(client, make_project):
    make_project(name="Écolieu des Prés", project_stage="idea")
    make_project(name="Écolieu du Bois", project_stage="works")
    make_project(name="Écolieu caché", status=Status.PENDING)

    response = client.get("/api/v1/projects/?q=ecolieu&project_stage=idea")

    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 1
    assert data["results"][0]["name"] == "Écolieu des Prés"
    assert data["results"][0]["place"]["insee"] == "69123"


def test_api_bad_page_is_a_json_404(client, make_project):
    make_project()

    response = client.get("/api/v1/projects/?page=9")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("count", [1, 3])
def test_api_list_query_count_is_constant(
    client, make_project, django_assert_num_queries, count
):
    for _ in range(count):
        make_project()
    region_choices(), department_choices()  # cached geography, as in use

    with django_assert_num_queries(2):
        response = client.get("/api/v1/projects/")

    assert response.json()["count"] == count


def test_api_detail_has_an_etag_and_no_private_field(client, make_project):
    project = make_project(contact_email="secret@prive.example", address="1 rue Cachée")

    response = client.get(f"/api/v1/projects/{project.slug}/")

    assert response["ETag"] == f'"{project.pk}-1"'
    assert b"secret@prive.example" not in response.content
    assert b"rue Cach" not in response.content
    assert "contact_email" not in response.json()


def patch(client, project, data, if_match=None):
    headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
    return client.patch(
        f"/api/v1/projects/{project.slug}/",
        data=json.dumps(data),
        content_type="application/json",
        **headers,
    )


def test_editor_patches_with_a_fresh_etag(client, make_project, alice):
    project = make_project(editors=[alice], name="La Ruche")
    client.force_login(alice)

    response = patch(client, project, {"name": "La Grande Ruche"}, f'"{project.pk}-1"')

    assert response.status_code == 200
    assert response["ETag"] == f'"{project.pk}-2"'
    assert Project.objects.get(pk=project.pk).name == "La Grande Ruche"


def test_patch_with_a_stale_etag_is_412_and_saves_nothing(client, make_project, alice):
    project = make_project(editors=[alice], name="La Ruche")
    client.force_login(alice)
    patch(client, project, {"name": "Première"}, f'"{project.pk}-1"')

    response = patch(client, project, {"name": "Seconde"}, f'"{project.pk}-1"')

    assert response.status_code == 412
    assert response.json()["error"]["code"] == "stale_version"
    assert Project.objects.get(pk=project.pk).name == "Première"


def test_patch_without_if_match_is_428(client, make_project, alice):
    project = make_project(editors=[alice])
    client.force_login(alice)

    response = patch(client, project, {"name": "X"})

    assert response.status_code == 428


def test_editor_of_another_group_gets_403_in_the_api(client, make_project, alice, bob):
    make_project(editors=[alice])
    other = make_project(editors=[bob], name="Chez Bob")
    hidden = make_project(editors=[bob], status=Status.PENDING)
    client.force_login(alice)

    assert (
        patch(client, other, {"name": "Piraté"}, f'"{other.pk}-1"').status_code == 403
    )
    assert (
        patch(client, hidden, {"name": "Piraté"}, f'"{hidden.pk}-1"').status_code == 404
    )
    assert Project.objects.get(pk=other.pk).name == "Chez Bob"


def test_anonymous_cannot_patch(client, make_project):
    project = make_project(name="La Ruche")

    response = patch(client, project, {"name": "X"}, f'"{project.pk}-1"')

    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).name == "La Ruche"


def test_schema_documents_the_project_errors(client):
    response = client.get("/api/schema/?format=json")

    paths = response.json()["paths"]
    patch_responses = paths["/api/v1/projects/{slug}/"]["patch"]["responses"]
    assert {"412", "428", "403"} <= set(patch_responses)


def test_fast_list_items_match_the_documented_serializer(client, make_project):
    from habitat.projects.api import ProjectListSerializer

    make_project(
        name="Précis", latitude=45.5, longitude=4.5, show_precise_location=True
    )
    make_project(
        name="Commune", latitude=45.5, longitude=4.5, legal_structures=["coop"]
    )

    items = client.get("/api/v1/projects/").json()["results"]

    expected = ProjectListSerializer(
        Project.objects.order_by("name", "id"), many=True
    ).data
    assert items == json.loads(json.dumps(expected))
