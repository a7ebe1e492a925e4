"""The public map point stored on each sheet, and the compact data built
from it by the database (SQL) and by Python."""

import json

import pytest
from django.core.management import call_command

from habitat.moderation.models import Status
from habitat.projects import map as project_map
from habitat.projects.models import Project
from habitat.projects.services import refresh_map_points
from habitat.territories.models import Commune

LYON, RENNES = "69123", "35238"


def centre(insee):
    commune = Commune.objects.get(pk=insee)
    return commune.latitude, commune.longitude


def stored(project):
    project.refresh_from_db()
    return project.map_latitude, project.map_longitude


def test_stored_point_is_the_commune_centre_unless_the_precise_one_is_shown(
    make_project,
):
    hidden = make_project(latitude=45.7, longitude=4.8)
    shown = make_project(latitude=45.7, longitude=4.8, show_precise_location=True)

    assert stored(hidden) == centre(LYON)
    assert stored(shown) == (45.7, 4.8)
    assert (shown.public_latitude, shown.public_longitude) == (45.7, 4.8)


def test_stored_point_follows_a_change_of_commune(make_project):
    project = make_project()
    moved = make_project()

    project.commune = Commune.objects.get(pk=RENNES)
    project.save()
    moved.commune_id = RENNES
    moved.save(update_fields=["commune_id"])

    assert stored(project) == centre(RENNES)
    assert stored(moved) == centre(RENNES)


def test_stored_point_follows_the_precise_point_and_the_choice_to_show_it(
    make_project,
):
    project = make_project(latitude=45.7, longitude=4.8)

    project.show_precise_location = True
    project.save(update_fields=["show_precise_location"])
    shown = stored(project)
    project.latitude, project.longitude = 45.75, 4.85
    project.save(update_fields=["latitude", "longitude"])
    moved = stored(project)
    project.show_precise_location = False
    project.save(update_fields=["show_precise_location"])

    assert shown == (45.7, 4.8)
    assert moved == (45.75, 4.85)
    assert stored(project) == centre(LYON)


def test_sheet_without_commune_nor_shown_point_has_no_stored_point(make_project):
    project = make_project(commune=None, latitude=45.7, longitude=4.8)

    assert stored(project) == (None, None)
    assert project_map._compact_document()["points"] == []


def test_stored_points_follow_communes_moved_by_the_geography_load(make_project):
    project = make_project()
    official = centre(LYON)
    Commune.objects.filter(pk=LYON).update(latitude=1.5, longitude=2.5)
    refresh_map_points()
    moved = stored(project)

    call_command("load_geography", "--no-outlines", verbosity=0)

    assert moved == (1.5, 2.5)
    assert stored(project) == official


def test_refresh_writes_only_the_points_that_changed(make_project):
    make_project()
    make_project(commune=RENNES)
    Project.objects.filter(commune_id=RENNES).update(map_latitude=None)

    assert refresh_map_points() == 1
    assert refresh_map_points() == 0


def test_refresh_places_rows_loaded_without_save(make_project):
    Project.objects.bulk_create(
        [Project(name="En masse", slug="en-masse", commune_id=RENNES)]
    )

    refresh_map_points()

    assert stored(Project.objects.get(slug="en-masse")) == centre(RENNES)


def test_rounding_is_half_away_from_zero_on_the_decimal_form():
    # Python's round() reads the binary value: round(47.27455, 4) == 47.2745.
    assert project_map.round4(47.27455) == 47.2746
    assert project_map.round4(-0.76705) == -0.7671
    assert project_map.round4(45.0) == 45.0


@pytest.mark.parametrize("count", [1, 3])
def test_sql_compact_document_equals_the_python_document(make_project, count):
    for n in range(count):
        make_project(project_stage="works", commune=RENNES if n else LYON)
    tie = make_project(
        latitude=47.27455, longitude=-0.76705, show_precise_location=True
    )
    make_project(commune=None)
    make_project(status=Status.PENDING)

    body = json.loads(project_map._compact_body_sql())

    assert body == project_map._compact_document()
    assert [tie.pk, 47.2746, -0.7671, -1] in body["points"]
    assert len(body["points"]) == count + 1
    assert [p[0] for p in body["points"]] == sorted(p[0] for p in body["points"])


def test_sql_compact_document_of_an_empty_directory_has_no_point(db):
    body = json.loads(project_map._compact_body_sql())

    assert body == {"stages": project_map.STAGES, "points": []}


def test_restore_places_sheets_of_an_archive_without_stored_points(
    make_project, tmp_path
):
    project = make_project()
    Project.objects.update(map_latitude=None, map_longitude=None)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    call_command("restore", str(archive), yes=True, verbosity=0)

    assert stored(project) == centre(LYON)
