"""Map data: compact points, marker details, GeoJSON, viewport clusters."""

import gzip
import json

import pytest

from habitat.moderation.models import Status
from habitat.projects import map as project_map
from habitat.projects.filters import (
    department_choices,
    region_choices,
    region_departments,
)
from habitat.projects.models import Project
from habitat.territories.models import Commune

PRIVATE = [b"prive.example", b"06 12 34 56 78", b"Rue secr"]


def point_of(insee, digits=4):
    commune = Commune.objects.get(pk=insee)
    return round(commune.latitude, digits), round(commune.longitude, digits)


def points(client, query=""):
    response = client.get(f"/api/v1/projects/map/points/{query}")
    assert response.status_code == 200
    return json.loads(response.content)["points"]


def test_compact_points_hold_id_commune_point_and_stage(client, make_project):
    project = make_project(project_stage="works", latitude=45.1, longitude=4.9)

    assert points(client) == [[project.pk, *point_of("69123"), 3]]


def test_precise_point_is_used_only_when_the_group_chose_it(client, make_project):
    project = make_project(
        latitude=45.71234, longitude=4.91234, show_precise_location=True
    )

    assert points(client) == [[project.pk, 45.7123, 4.9123, -1]]


def test_map_outputs_hold_no_private_field_and_no_unpublished_sheet(
    client, make_project
):
    make_project(name="Visible", address="1 Rue secrète")
    hidden = make_project(name="Caché", status=Status.PENDING)

    outputs = [
        client.get("/api/v1/projects/map/points/").content,
        client.get("/api/v1/projects/map/points/?project_stage=works").content,
        client.get("/api/v1/projects.geojson").content,
        client.get("/api/v1/projects/clusters/?bbox=-180,-90,180,90&zoom=18").content,
    ]

    for raw in outputs:
        assert not [p for p in PRIVATE if p in raw]
        assert f"[{hidden.pk},".encode() not in raw
        assert "Caché".encode() not in raw
    assert client.get(f"/api/v1/projects/map/{hidden.pk}/").status_code == 404


def test_gzipped_bytes_and_etag_are_served_and_revalidated(client, make_project):
    make_project()

    response = client.get("/api/v1/projects/map/points/", HTTP_ACCEPT_ENCODING="gzip")
    again = client.get(
        "/api/v1/projects/map/points/",
        HTTP_IF_NONE_MATCH=response["ETag"],
        HTTP_ACCEPT_ENCODING="gzip",
    )
    plain = client.get(
        "/api/v1/projects/map/points/", HTTP_IF_NONE_MATCH=response["ETag"]
    )

    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["stages"][0] == "idea"
    assert again.status_code == 304
    assert plain.status_code == 200
    assert plain["ETag"] != response["ETag"]


def test_a_change_to_a_sheet_rebuilds_the_map_data(
    client, make_project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project = make_project(project_stage="idea")
    before = client.get("/api/v1/projects/map/points/")

    with django_capture_on_commit_callbacks(execute=True):
        project.project_stage = "lived_in"
        project.save()
    after = client.get("/api/v1/projects/map/points/")
    with django_capture_on_commit_callbacks(execute=True):
        project.delete()

    assert json.loads(before.content)["points"][0][3] == 0
    assert json.loads(after.content)["points"][0][3] == 4
    assert after["ETag"] != before["ETag"]
    assert points(client) == []


def test_geojson_change_is_visible_after_the_commit(
    client, make_project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project = make_project(name="Avant")
    client.get("/api/v1/projects.geojson")

    with django_capture_on_commit_callbacks(execute=True):
        project.name = "Après"
        project.save()
    document = json.loads(client.get("/api/v1/projects.geojson").content)

    assert [f["properties"]["name"] for f in document["features"]] == ["Après"]


def test_geojson_feature_has_public_fields_and_the_commune_point(
    client, make_project, settings
):
    settings.SITE_URL = "https://habitat.example"
    project = make_project(
        name="Les Lucioles", dwellings=12, website="https://a.example"
    )

    response = client.get("/api/v1/projects.geojson")

    feature = json.loads(response.content)["features"][0]
    assert response["Content-Type"] == "application/geo+json"
    lat, lng = point_of("69123", 5)
    assert feature["geometry"] == {"type": "Point", "coordinates": [lng, lat]}
    assert feature["properties"]["name"] == "Les Lucioles"
    assert feature["properties"]["url"] == (
        f"https://habitat.example/projets/{project.slug}/"
    )
    assert feature["properties"]["insee"] == "69123"
    assert feature["properties"]["dwellings"] == 12
    assert "contact_email" not in feature["properties"]


def test_filtered_points_follow_the_directory_filters(client, make_project):
    kept = make_project(project_stage="works")
    make_project(project_stage="idea", commune="35238")

    assert [p[0] for p in points(client, "?project_stage=works")] == [kept.pk]
    assert [p[0] for p in points(client, "?region=84")] == [kept.pk]


def test_marker_details_give_name_link_and_place(client, make_project):
    project = make_project(name="La Ruche", short_description="Court.")

    details = client.get(f"/api/v1/projects/map/{project.pk}/").json()

    assert details == {
        "id": project.pk,
        "name": "La Ruche",
        "url": f"/projets/{project.slug}/",
        "commune": "Lyon",
        "short_description": "Court.",
        "project_stage": "",
        "group_stage": "",
    }


def test_clusters_group_points_of_a_cell_and_keep_lone_points(client, make_project):
    for _ in range(3):
        make_project()  # Lyon
    lone = make_project(commune="35238")  # Rennes

    document = client.get("/api/v1/projects/clusters/?bbox=-5,42,8,51&zoom=6").json()

    assert document["total"] == 4
    assert document["clusters"] == [[*point_of("69123"), 3]]
    assert document["points"] == [[lone.pk, *point_of("35238"), -1]]


@pytest.mark.parametrize("query", ["", "?bbox=1,2,3&zoom=5", "?bbox=0,0,1,1&zoom=x"])
def test_clusters_with_bad_parameters_answer_400_in_the_api_error_shape(client, query):
    response = client.get(f"/api/v1/projects/clusters/{query}")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["bbox", "zoom"]


def test_clusters_stay_small_for_a_whole_world_viewport(client, make_project):
    project_map._arrays["version"] = None

    response = client.get("/api/v1/projects/clusters/?bbox=-180,-90,180,90&zoom=14")

    assert len(response.json()["clusters"]) <= project_map.MAX_CELLS


@pytest.mark.parametrize("count", [1, 3])
def test_map_endpoints_query_count_does_not_grow(
    client, make_project, django_assert_num_queries, count
):
    for _ in range(count):
        make_project()
    project_map.invalidate()
    region_choices(), department_choices(), region_departments()  # cached geography

    with django_assert_num_queries(1):
        client.get("/api/v1/projects/map/points/")
    with django_assert_num_queries(1):
        client.get("/api/v1/projects.geojson")
    with django_assert_num_queries(1):
        client.get("/api/v1/projects/map/points/?project_stage=works")
    with django_assert_num_queries(1):
        client.get("/api/v1/projects/clusters/?bbox=-5,42,8,51&zoom=6")
    with django_assert_num_queries(0):
        client.get("/api/v1/projects/map/points/")


def test_rebuild_after_a_bulk_load_shows_rows_that_sent_no_signal(client, make_project):
    first = make_project()
    client.get("/api/v1/projects/map/points/")
    Project.objects.bulk_create(
        [Project(name="En masse", slug="en-masse", status="published",
                 commune_id="35238")]
    )  # fmt: skip
    stale = points(client)

    project_map.rebuild_map_data()

    assert [p[0] for p in stale] == [first.pk]
    assert len(points(client)) == 2
    assert client.get("/api/v1/projects.map.json").json()["points"] == points(client)


def test_free_text_filter_is_served_without_caching_a_variant(client, make_project):
    kept = make_project(name="Les Castors")
    make_project(name="La Ruche")

    found = points(client, "?q=castors")

    assert [p[0] for p in found] == [kept.pk]
