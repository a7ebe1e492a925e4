"""The map page, its embed and the snippet generator."""

import pytest


def test_map_page_lists_results_beside_the_map_with_tile_settings(
    client, make_project, settings
):
    settings.MAP_TILE_URL = "/tiles/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Tuiles de test"
    make_project(name="La Ruche", project_stage="works")
    make_project(name="Le Clos", status="pending")

    response = client.get("/carte/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'data-tile-url="/tiles/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="Tuiles de test"' in html
    assert 'data-points-url="/api/v1/projects/map/points/"' in html
    assert "La Ruche" in html
    assert "Le Clos" not in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "<script>" not in html and "style=" not in html


def test_map_filters_narrow_the_list_and_the_points_url(client, make_project):
    make_project(name="En travaux", project_stage="works")
    make_project(name="Une idée", project_stage="idea")

    html = client.get("/carte/?project_stage=works").content.decode()

    assert "En travaux" in html
    assert "Une idée" not in html
    assert 'data-points-url="/api/v1/projects/map/points/?project_stage=works"' in html


def test_map_page_out_of_range_is_404(client, make_project):
    make_project()

    assert client.get("/carte/?page=9").status_code == 404


def test_embed_may_be_framed_by_any_site(client, make_project):
    make_project(name="La Ruche")

    response = client.get("/carte/embed/?region=84&project_stage=works")

    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert client.get("/carte/")["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


def test_snippet_page_builds_an_iframe_for_the_chosen_filters(client, db):
    response = client.get("/carte/integrer/?region=84&project_stage=works")

    html = response.content.decode()
    assert html.count("<h1") == 1
    assert (
        "&lt;iframe src=&quot;http://testserver/carte/embed/"
        "?region=84&amp;amp;project_stage=works&quot;"
    ) in html


@pytest.mark.parametrize("count", [1, 3])
def test_map_page_query_count_does_not_grow(
    client, make_project, django_assert_num_queries, count
):
    for _ in range(count):
        make_project()
    client.get("/carte/")  # warm the choices of the filters

    with django_assert_num_queries(2):
        client.get("/carte/")
