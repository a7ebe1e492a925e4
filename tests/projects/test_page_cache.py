"""The anonymous whole-page cache (habitat/core/pagecache.py) on the directory."""

import pytest

from habitat.core import pagecache
from habitat.moderation.models import Status


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    pagecache._seen.clear()
    yield
    pagecache._seen.clear()


def get_three_times(client, url, **headers):
    """The first two requests build the page (stored on the second)."""
    return [client.get(url, **headers) for _ in range(3)]


def test_anonymous_list_is_served_from_the_cache_without_queries(
    client, make_project, django_assert_num_queries
):
    make_project(name="La Ruche")
    client.get("/projets/")
    client.get("/projets/")

    with django_assert_num_queries(0):  # locmem cache in tests; one read on PG
        response = client.get("/projets/")

    assert response.status_code == 200
    assert b">La Ruche</a>" in response.content
    assert "csrftoken" not in response.cookies
    assert response["Content-Security-Policy"]


def test_anonymous_pages_carry_no_csrf_token(client, make_project):
    make_project()

    response = client.get("/projets/")

    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies


def test_a_published_change_invalidates_the_cached_page(
    client, make_project, django_capture_on_commit_callbacks
):
    project = make_project(name="La Ruche")
    get_three_times(client, "/projets/")

    with django_capture_on_commit_callbacks(execute=True):
        project.name = "La Grande Ruche"
        project.save()
    response = client.get("/projets/")

    assert b">La Grande Ruche</a>" in response.content


def test_a_new_pending_sheet_never_shows_in_the_cached_page(
    client, make_project, django_capture_on_commit_callbacks
):
    make_project(name="La Ruche")
    get_three_times(client, "/projets/")

    with django_capture_on_commit_callbacks(execute=True):
        make_project(name="Le Secret", status=Status.PENDING)
    response = client.get("/projets/")

    assert b"Le Secret" not in response.content
    assert b"prive.example" not in response.content


def test_signed_in_pages_are_neither_served_nor_stored(
    client, make_project, alice, django_assert_num_queries
):
    make_project(name="La Ruche")
    get_three_times(client, "/projets/")
    client.force_login(alice)

    signed_in = client.get("/projets/")
    client.logout()
    client.cookies.clear()
    anonymous = client.get("/projets/")

    assert b"Se d\xc3\xa9connecter" in signed_in.content
    assert b"Se d\xc3\xa9connecter" not in anonymous.content
    assert b"csrfmiddlewaretoken" not in anonymous.content


def test_signed_in_page_never_enters_the_cache(client, make_project, alice):
    make_project(name="La Ruche")
    client.force_login(alice)
    get_three_times(client, "/projets/")
    client.logout()
    client.cookies.clear()

    response = client.get("/projets/")

    assert b"Se d\xc3\xa9connecter" not in response.content


def test_languages_and_encodings_are_kept_apart(client, make_project):
    make_project(name="La Ruche")
    get_three_times(client, "/projets/", HTTP_ACCEPT_ENCODING="gzip")
    get_three_times(client, "/projets/")

    english = client.get("/projets/", HTTP_ACCEPT_LANGUAGE="en")
    plain = client.get("/projets/")
    gzipped = client.get("/projets/", HTTP_ACCEPT_ENCODING="gzip")

    assert english["Content-Language"] == "en"
    assert plain["Content-Language"] == "fr"
    assert "Content-Encoding" not in plain
    assert gzipped["Content-Encoding"] == "gzip"


def test_pages_with_a_csrf_form_are_not_stored(client, make_project):
    project = make_project(name="La Ruche")
    url = project.get_absolute_url()
    responses = get_three_times(client, url)

    assert all(b"csrfmiddlewaretoken" in r.content for r in responses)
    assert all(r.context is not None for r in responses)  # none replayed


def test_map_data_is_cached_whole_with_its_etag(
    client, make_project, django_assert_num_queries
):
    make_project(name="La Ruche")
    first = get_three_times(client, "/api/v1/projects/map/points/")[-1]

    with django_assert_num_queries(0):
        again = client.get(
            "/api/v1/projects/map/points/", HTTP_IF_NONE_MATCH=first["ETag"]
        )

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_session_holders_skip_the_cache(client, make_project):
    make_project(name="La Ruche")
    get_three_times(client, "/projets/")
    client.cookies["sessionid"] = "whatever"

    response = client.get("/projets/")

    assert response.status_code == 200
    assert response.context is not None  # rendered, not replayed


def test_cached_pages_hold_no_private_contact(client, make_project):
    make_project(name="La Ruche", contact_email="secret@prive.example")
    for url in ("/projets/", "/carte/", "/api/v1/projects/map/points/"):
        responses = get_three_times(client, url)

        for response in responses:
            assert b"secret@prive.example" not in response.content
            assert b"06 12 34 56 78" not in response.content


def test_list_query_count_is_the_same_for_1_and_50_sheets(
    client, make_project, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_project(name="Seule", group_stage="seeking_residents")
    client.get("/projets/?seeking_members=1")  # warm the geography choices

    with CaptureQueriesContext(connection) as one:
        client.get("/projets/?region=84&group_stage=seeking_residents&_b=1")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(49):
            make_project(name=f"Projet {n}", group_stage="seeking_residents")
    with CaptureQueriesContext(connection) as fifty:
        response = client.get("/projets/?region=84&group_stage=seeking_residents&_b=2")

    assert response.content.count(b'class="card"') == 20
    assert len(fifty) == len(one)


def test_facet_counts_are_cached_until_a_sheet_changes(
    client, make_project, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_project(name="A", seeking_members=True)
    client.get("/projets/?seeking_members=1&_b=0")

    with django_assert_num_queries(1):  # the 20 rows; counts from the cache
        client.get("/projets/?seeking_members=1&_b=1")
    with django_capture_on_commit_callbacks(execute=True):
        make_project(name="B", seeking_members=True)
    response = client.get("/projets/?seeking_members=1&_b=2")

    assert "2 projets" in response.content.decode()


def test_bulk_deletes_of_private_and_derived_rows_stay_fast():
    """The page cache listens to deletions model by model: matches, search
    terms and the outbox keep Django's single-query delete."""
    from django.db.models.deletion import Collector

    from habitat.core.models import OutboxMail, SearchTerm
    from habitat.matching.models import Match

    collector = Collector(using="default")
    for model in (Match, SearchTerm, OutboxMail):
        assert collector.can_fast_delete(model.objects.all()), model


def test_a_deleted_sheet_leaves_the_cached_page(
    client, make_project, django_capture_on_commit_callbacks
):
    project = make_project(name="La Ruche")
    get_three_times(client, "/projets/")

    with django_capture_on_commit_callbacks(execute=True):
        project.delete()
    response = client.get("/projets/")

    assert b"La Ruche" not in response.content
