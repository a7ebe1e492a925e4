"""Shared fixtures: the geography (loaded once per test session) and personas.

Personas, used across the suite:
- alice: verified person, editor of project A's group (set up by feature tests)
- bob: verified person, member of nothing
- charlie: unverified outsider
- mona: moderator of the Auvergne-Rhône-Alpes association (région 84)
- otto: moderator of the Bretagne association (région 53)
- nadia: national team (moderates everywhere)
"""

import os
import shutil

import pytest
from django.core.management import call_command

from habitat.accounts.models import Membership, Organisation, User

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_geography", "--no-outlines", verbosity=0)
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _plain_settings(settings, tmp_path):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    from django.core.cache import cache

    cache.clear()


def make_user(email, *, verified=True, **extra):
    return User.objects.create_user(
        email=email, password="correct-horse-battery", email_verified=verified, **extra
    )


def association(name, *, regions=(), departments=(), national=False):
    organisation = Organisation.objects.create(
        name=name,
        kind=Organisation.Kind.NATIONAL if national else Organisation.Kind.ASSOCIATION,
        is_national=national,
    )
    organisation.regions.set(regions)
    organisation.departments.set(departments)
    return organisation


@pytest.fixture
def alice(db):
    return make_user("alice@example.org", display_name="Alice")


@pytest.fixture
def bob(db):
    return make_user("bob@example.org", display_name="Bob")


@pytest.fixture
def charlie(db):
    return make_user("charlie@example.org", verified=False, display_name="Charlie")


@pytest.fixture
def aura_association(db):
    return association("Habitat participatif Auvergne-Rhône-Alpes", regions=["84"])


@pytest.fixture
def bretagne_association(db):
    return association("Habitat participatif Bretagne", regions=["53"])


@pytest.fixture
def national_team(db):
    return association("Coordination nationale", national=True)


@pytest.fixture
def mona(aura_association):
    user = make_user("mona@example.org", display_name="Mona")
    Membership.objects.create(
        user=user, organisation=aura_association, role="moderator"
    )
    return user


@pytest.fixture
def otto(bretagne_association):
    user = make_user("otto@example.org", display_name="Otto")
    Membership.objects.create(
        user=user, organisation=bretagne_association, role="moderator"
    )
    return user


@pytest.fixture
def nadia(national_team):
    user = make_user("nadia@example.org", display_name="Nadia")
    Membership.objects.create(user=user, organisation=national_team, role="admin")
    return user


def chromium_path():
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


def pytest_collection_modifyitems(config, items):
    """Skip what this run cannot do, and say so.

    Browser tests need Debian's chromium: skipped loudly on a user's machine,
    failed in CI. Tests marked postgres_only or sqlite_only run on that
    database only (CI runs the suite on both).
    """
    from django.conf import settings

    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    skip_db = pytest.mark.skip(
        reason="PostgreSQL seulement" if on_sqlite else "SQLite seulement"
    )
    skip_browser = pytest.mark.skip(
        reason="Chromium absent : installez le paquet Debian 'chromium' pour les tests navigateur"
    )
    for item in items:
        if ("postgres_only" in item.keywords and on_sqlite) or (
            "sqlite_only" in item.keywords and not on_sqlite
        ):
            item.add_marker(skip_db)
        if "browser" in item.keywords and not chromium_path() and not IN_CI:
            item.add_marker(skip_browser)


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped and not chromium_path() and not IN_CI:
        terminalreporter.write_line(
            f"ATTENTION : {len(skipped)} test(s) ignoré(s) : Chromium absent "
            "(apt-get install chromium).",
            yellow=True,
        )


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _geography_after_flush(request):
    """Transactional tests flush every table; put the geography back."""
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and bool(
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if not marked and not {"transactional_db", "live_server"} & set(
        request.fixturenames
    ):
        return
    request.getfixturevalue("transactional_db")
    from habitat.territories.models import Commune

    if not Commune.objects.exists():
        call_command("load_geography", "--no-outlines", verbosity=0)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium est requis en CI (paquet Debian 'chromium').")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()
