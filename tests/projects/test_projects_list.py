import pytest

from habitat.moderation.models import Status
from habitat.projects.filters import (
    department_choices,
    region_choices,
    region_departments,
)


def test_list_shows_published_sheets_only(client, make_project):
    make_project(name="La Ruche")
    make_project(name="Le Secret", status=Status.PENDING)

    response = client.get("/projets/")

    assert response.status_code == 200
    assert b'<a href="/projets/projet-' in response.content
    assert b">La Ruche</a>" in response.content
    assert b"Le Secret" not in response.content
    assert response.content.count(b"<h1") == 1


def test_page_out_of_range_is_404(client, make_project):
    make_project()

    assert client.get("/projets/?page=2").status_code == 404
    assert client.get("/projets/?page=abc").status_code == 404


def test_facet_counts_follow_the_other_filters(client, make_project):
    make_project(name="A", project_stage="idea", seeking_members=True, commune="69123")
    make_project(name="B", project_stage="idea", seeking_members=False, commune="35238")
    make_project(name="C", project_stage="works", seeking_members=True, commune="35238")

    from django.http import QueryDict

    from habitat.projects.filters import facet_counts
    from habitat.projects.models import Project

    facets, total = facet_counts(
        QueryDict("seeking_members=1&region=53"), Project.objects.all()
    )

    assert total == 1
    assert [v[:3] for v in facets["project_stage"]["values"]] == [
        ("works", "travaux", 1)
    ]
    assert [v[:3] for v in facets["region"]["values"]] == [
        ("84", "Auvergne-Rhône-Alpes", 1),
        ("53", "Bretagne", 1),
    ]
    assert facets["seeking_members"]["values"] == [
        ("1", "oui", 1, "region=53&seeking_members=1")
    ]
    assert facets["size"]["values"] == []
    assert [(v[0], v[2]) for v in facets["department"]["values"]] == [("35", 1)]


def test_filters_and_search_combine(client, make_project):
    make_project(
        name="Écolieu des Prés", legal_structures=["coop", "association"], dwellings=8
    )
    make_project(name="Écolieu du Bois", legal_structures=["sci"], dwellings=8)
    make_project(name="La Ruche", legal_structures=["coop"], dwellings=30)

    response = client.get("/projets/?q=ecolieu&legal=coop&size=6-12")

    assert b"des Pr\xc3\xa9s" in response.content
    assert b"du Bois" not in response.content
    assert b"La Ruche" not in response.content


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_constant(
    client, make_project, django_assert_num_queries, count
):
    for _ in range(count):
        make_project(legal_structures=["coop"])
    region_choices(), department_choices(), region_departments()  # warm, as in use

    with django_assert_num_queries(6):
        response = client.get("/projets/?legal=coop&region=84")

    assert response.status_code == 200


def test_bad_filter_values_never_give_a_500(client, make_project):
    make_project()

    page = client.get("/projets/?region=zz&size=abc&sort=bogus&q=%00%27")
    api = client.get("/api/v1/projects/?region=zz")

    assert page.status_code == 200
    assert api.status_code == 400
    assert set(api.json()["error"]) == {"code", "message", "fields"}


def test_each_filterset_filters_with_its_own_values(make_project):
    """Filters are copied shallowly per request (SharedCopy): a method filter
    must still call the filterset it belongs to, with that filterset's data."""
    from django.http import QueryDict

    from habitat.projects.filters import ProjectFilter
    from habitat.projects.models import Project

    make_project(name="Lyon", commune="69123", seeking_members=True)
    make_project(name="Rennes", commune="35238", seeking_members=False)
    published = Project.objects.published()

    lyon = ProjectFilter(QueryDict("region=84"), queryset=published)
    rennes = ProjectFilter(QueryDict("region=53"), queryset=published)
    seeking = ProjectFilter(QueryDict("seeking_members=1"), queryset=published)

    assert [p.name for p in rennes.qs] == ["Rennes"]
    assert [p.name for p in lyon.qs] == ["Lyon"]
    assert [p.name for p in seeking.qs] == ["Lyon"]
    assert lyon.filters["region"].parent is lyon
    assert getattr(ProjectFilter.base_filters["region"], "parent", None) is None


def test_bad_value_is_refused_by_each_copy_of_the_form(make_project):
    from django.http import QueryDict

    from habitat.projects.filters import ProjectFilter
    from habitat.projects.models import Project

    bad = ProjectFilter(
        QueryDict("stage=nope&region=zz"), queryset=Project.objects.all()
    )
    good = ProjectFilter(QueryDict("region=84"), queryset=Project.objects.all())

    assert not bad.is_valid()
    assert "region" in bad.errors
    assert good.is_valid()
    assert bad.form.fields["region"] is not good.form.fields["region"]


def test_choice_labels_follow_the_language(make_project):
    """get_FOO_display keeps one label dict per field: still translated."""
    from django.utils import translation

    project = make_project(project_stage="works")

    with translation.override("fr"):
        french = project.get_project_stage_display()
    with translation.override("en"):
        english = project.get_project_stage_display()

    assert french != english
    assert project.get_project_stage_display() in (french, english)
