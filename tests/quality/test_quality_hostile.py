"""Hostile strings through every form, model text field and page showing them.

The corpus (quality_hostile.HOSTILE) goes into every user-writable text field
of every model of the feature apps (rows made like the bench makes them, so a
new model or field enters the suite by itself), then every list, detail,
feed and embed page is fetched: no 500, and nothing in the HTML could run a
script, restyle the page or load from elsewhere. In Chromium, the same pages
open with no dialog and no request leaving 127.0.0.1. Every form refuses an
oversized text with a French field error.
"""

import importlib
import inspect
import random

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from quality_hostile import HOSTILE, HUGE, dangerous_markup

from habitat.core.text import clean_html, render_markdown

FEATURE_APPS = ["projects", "agenda", "ads", "matching", "accounts"]
SKIPPED_PREFIXES = ("cms/", "admin/", "documents/", "pages/", "_bench/", "i18n/")
# Fields computed by the code, not typed by people.
DERIVED_FIELD_PARTS = (
    "password",
    "token",
    "uid",
    "source",
    "zone",
    "rrule",
    "rdate",
    "exdate",
    "recurrence",
    "etag",
    "hash",
    "key",
    "code",
    "insee",
    "postal",
    "status",
    "fingerprint",
)
ENGLISH = ("Ensure this value", "This field", "Enter a valid")
# Forms known to accept 200,000 characters in a free-text field (each entry
# marks that form's case as an expected failure). Keep it empty.
KNOWN_GAPS: dict[str, str] = {}

# Pages known to fail on hostile text, left out of the page checks. Keep it empty.
KNOWN_BROKEN_PATHS: dict[str, str] = {}

pytestmark = pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning")


def test_corpus_holds_at_least_sixty_hostile_strings():
    assert len(HOSTILE) >= 60
    assert len(HUGE) >= 200_000


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_filter_renders_every_hostile_string_inert(text):
    assert dangerous_markup(render_markdown(text)) == []


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_html_cleaner_leaves_every_hostile_string_inert(text):
    assert dangerous_markup(clean_html(text)) == []


# ---------------------------------------------------------------- forms
def form_classes():
    found = []
    for app in FEATURE_APPS:
        try:
            module = importlib.import_module(f"habitat.{app}.forms")
        except ImportError:
            continue
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                key = f"{app}.{name}"
                marks = (
                    [pytest.mark.xfail(reason=KNOWN_GAPS[key], strict=False)]
                    if key in KNOWN_GAPS
                    else []
                )
                found.append(pytest.param(value, id=key, marks=marks))
    return found


def build_form(form_class, data, user):
    """Instantiate with the arguments the form asks for (user, request, ...)."""
    signature = inspect.signature(form_class.__init__)
    kwargs = {}
    for name, parameter in signature.parameters.items():
        if name in {"self", "data", "files", "args", "kwargs"}:
            continue
        if parameter.default is not inspect.Parameter.empty:
            if name in {"user", "author", "owner"}:
                kwargs[name] = user
            continue
        if name in {"user", "author", "owner"}:
            kwargs[name] = user
        elif name == "request":
            from django.test import RequestFactory

            request = RequestFactory().post("/")
            request.user = user
            kwargs[name] = request
        else:
            return None
    return form_class(data=data, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", form_classes())
def test_every_form_refuses_an_oversized_text_with_a_french_field_error(
    form_class, bob
):
    probe = build_form(form_class, {}, bob)
    if probe is None:
        pytest.skip("form needs arguments this test cannot guess")
    text_fields = [
        name
        for name, field in probe.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, (forms.HiddenInput, forms.PasswordInput))
        and not isinstance(field, (forms.EmailField, forms.URLField, forms.SlugField))
        and name not in {"website", "honeypot", "nickname"}
        and "honey" not in name
    ]
    if not text_fields:
        pytest.skip("no free-text field")
    form = build_form(form_class, dict.fromkeys(text_fields, HUGE), bob)
    form.is_valid()
    accepted = []
    for name in text_fields:
        errors = " ".join(form.errors.get(name, []))
        if not errors or any(word in errors for word in ENGLISH):
            accepted.append((name, errors[:80]))
    assert accepted == []


# ---------------------------------------------------------------- models
def feature_models():
    found = []
    for app in FEATURE_APPS:
        try:
            config = apps.get_app_config(app)
        except LookupError:
            continue
        for model in config.get_models():
            if model._meta.abstract or model._meta.proxy:
                continue
            found.append(model)
    return found


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and not isinstance(
            field, (models.SlugField, models.EmailField, models.URLField)
        )
        and field.editable
        and not field.name.startswith("search")
        and not any(part in field.name for part in DERIVED_FIELD_PARTS)
    ]


def make_hostile_rows(user):
    """One published row per model and text field batch, bench-style."""
    from bench.generate import Filler, make_pools

    rng = random.Random(6)
    pools = {}
    make_pools(rng, pools)
    filler = Filler(rng, pools)
    created = []
    corpus = [text for text in HOSTILE if text.strip() and len(text) < 5000]
    for model in feature_models():
        fields = text_fields(model)
        if not fields or model.__name__ in {"User", "Membership"}:
            continue
        if any(
            isinstance(field, models.FileField) and not field.blank
            for field in model._meta.concrete_fields
        ):
            continue  # photos: covered by the upload tests
        for offset in range(0, len(corpus), 20):

            def hostile(rng, index, row, values, fields=fields, offset=offset):
                chosen = {}
                for position, field in enumerate(fields):
                    text = corpus[(offset + position) % len(corpus)]
                    if field.max_length:
                        text = text[: field.max_length]
                    chosen[field.attname] = text.replace("\x00", "")
                return chosen

            try:
                row = filler.instance(model, 900_000 + offset, hostile)
                row.save()
            except Exception:  # noqa: S112 (a model the filler cannot make yet)
                continue
            pools.setdefault(model, []).append(row.pk)
            created.append(row)
    return created


def public_paths(objects):
    paths = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                if route.startswith(SKIPPED_PREFIXES) or "<" in route:
                    continue
                if route.startswith("^"):
                    continue
                paths.add("/" + route)

    walk(get_resolver().url_patterns, "")
    paths -= set(KNOWN_BROKEN_PATHS)
    for obj in objects:
        url = getattr(obj, "get_absolute_url", None)
        if url:
            try:
                paths.add(url())
            except Exception:  # noqa: S112
                continue
    return sorted(paths)


@pytest.fixture
def hostile_portal(db, bob, nadia):
    objects = make_hostile_rows(bob)
    return objects


@pytest.mark.django_db
def test_hostile_text_in_every_model_renders_inert_on_every_page(
    client, hostile_portal, nadia
):
    assert hostile_portal, "no feature model could be filled"
    failures = []
    for who in ("anonymous", "national"):
        if who == "national":
            client.force_login(nadia)
        for path in public_paths(hostile_portal):
            response = client.get(path)
            if response.status_code >= 500:
                failures.append((who, path, response.status_code))
                continue
            content_type = response.get("Content-Type", "")
            if response.status_code == 200 and content_type.startswith("text/html"):
                body = response.content.decode("utf-8", errors="replace")
                bad = dangerous_markup(body, allow_page_chrome=True)
                if bad:
                    failures.append((who, path, bad[:3]))
    assert failures == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hostile_pages_open_in_chromium_without_dialog_script_or_outside_request(
    live_server, page, bob, nadia, settings
):
    # Map tiles come from the configured server: a local one here.
    settings.MAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    objects = make_hostile_rows(bob)
    dialogs, outside, errors = [], [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def on_request(request):
        url = request.url
        if not url.startswith((live_server.url, "data:", "blob:", "about:")):
            outside.append(url)

    page.on("request", on_request)
    # Whatever tried to leave is recorded above and never reaches the network.
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else route.abort()
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    paths = [
        p
        for p in public_paths(objects)
        if not p.endswith((".ics", ".csv", ".rss", ".xml", ".geojson", ".json"))
        and "/api/" not in p
        and "deconnexion" not in p
        and "logout" not in p
    ]
    statuses = []
    for path in paths[:60]:
        response = page.goto(live_server.url + path, wait_until="load")
        if response is not None and response.status >= 500:
            statuses.append((path, response.status))
    assert dialogs == []
    assert outside == []
    assert statuses == []
    page_marker = page.evaluate("typeof window.__hostile")
    assert page_marker == "undefined"


@pytest.mark.django_db
def test_feeds_survive_hostile_text(client, hostile_portal):
    failures = []
    for path in ("/annonces/rss/", "/agenda/rss/", "/agenda.ics"):
        response = client.get(path)
        if response.status_code >= 500:
            failures.append((path, response.status_code))
    assert failures == []
