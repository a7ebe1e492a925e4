import pytest

from habitat.core import search
from habitat.projects.models import Project


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("habitats", ["Habitat des Prés"]),
        ("ecolieu", ["Écolieu du Moulin"]),
        ("coeur", ["Le Cœur du Village"]),
        ("l'oasis", ["L’Oasis de Saint-Clair"]),
        ("L’OASIS", ["L’Oasis de Saint-Clair"]),
        ("moul", ["Écolieu du Moulin"]),
        ("village coeur", ["Le Cœur du Village"]),
        ("oasis moulin", []),
        (
            "",
            [
                "Habitat des Prés",
                "Le Cœur du Village",
                "L’Oasis de Saint-Clair",
                "Écolieu du Moulin",
            ],
        ),
    ],
)
def test_search_is_folded_stemmed_and_prefixed(make_project, query, expected):
    for name in [
        "Habitat des Prés",
        "Écolieu du Moulin",
        "Le Cœur du Village",
        "L’Oasis de Saint-Clair",
    ]:
        make_project(name=name)

    found = search.search(Project.objects.all(), query)

    assert sorted(p.name for p in found) == expected


def test_search_matches_the_commune_name(make_project):
    make_project(name="Les Tilleuls", commune="35238")
    make_project(name="La Ruche", commune="69123")

    found = search.search(Project.objects.all(), "rennes")

    assert [p.name for p in found] == ["Les Tilleuls"]


def test_search_index_follows_changes_and_deletion(make_project):
    project = make_project(name="La Ruche")
    project.name = "Le Grand Chêne"
    project.save()

    assert list(search.search(Project.objects.all(), "ruche")) == []
    assert list(search.search(Project.objects.all(), "chene")) == [project]
    project.delete()
    assert list(search.search(Project.objects.all(), "chene")) == []


def test_search_query_never_uses_like(make_project, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_project(name="Habitat des Prés")
    with CaptureQueriesContext(connection) as ctx:
        list(search.search(Project.objects.all(), "habitat pr"))

    assert not [q for q in ctx.captured_queries if "LIKE" in q["sql"].upper()]


def test_prefix_range_covers_digits_and_final_z():
    assert search._successor("abz") == "ac"
    assert search._successor("a9") == "aa"
    assert search.parse("l'Oasis d'Écolieux qu'il") == (["oasis", "ecoli"], "il")


def test_reindex_rebuilds_bulk_created_sheets(
    make_project, django_assert_max_num_queries
):
    from habitat.core.models import SearchTerm

    make_project(name="La Ruche")
    make_project(name="Le Moulin")
    SearchTerm.objects.all().delete()

    with django_assert_max_num_queries(6):
        written = search.reindex(Project)

    assert written > 0
    assert [p.name for p in search.search(Project.objects.all(), "moulin")] == [
        "Le Moulin"
    ]
