"""Whole-page cache for anonymous visitors, shared by every process.

A view opts in with `@anonymous_cache`. `AnonymousPageCacheMiddleware`, first
in MIDDLEWARE, then answers a GET from the cache before any other middleware
runs, with the exact bytes and headers (security headers, CSP, gzip) that the
full stack produced the first time.

What is never stored or served:
- a request carrying a session cookie (perhaps signed in; messages live in
  the session) or an Authorization header;
- a response that set a cookie, used the CSRF token (`get_token`: the page
  would hand one visitor's token to another), is not a 200, is streamed, is
  marked private/no-store, or varies on anything but the encoding, the
  language and the cookie (handled by the key below).

The key is (path and query string, language, gzip accepted). Entries carry
the content version they were built under: `bump()` changes it on every
committed change of content (see `_on_change`), so one write invalidates
every page in every process. A page is stored the second time one process
builds it: one-off URLs (cache busters, rare filters) cost no cache writes.
Stored pages are also kept in each process's memory (32 MB at most), so a
hit costs one read of the version key and no transfer of the page.
A deploy changes `RELEASE` (code, templates and static files), so pages of
the previous release are never served.
"""

import hashlib
import logging
import uuid
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language_from_request

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
TIMEOUT = 10 * 60
MAX_BODY = 2_000_000  # larger outputs keep their own cache (map.py)
ALLOWED_VARY = {"accept-encoding", "accept-language", "cookie"}
# Models whose rows change without changing any public page.
IGNORED_MODELS = {
    "sessions.session",
    "core.searchterm",
    "admin.logentry",
    "contenttypes.contenttype",
    "django_tasks_database.dbtaskresult",
    "core.outboxmail",
    "matching.match",  # private: never on a page served to anonymous visitors
}
_SEEN_LIMIT = 20_000
LOCAL_LIMIT_BYTES = 32_000_000
# Pages also kept in this process: a hit then reads only the version.
_local: dict[str, tuple] = {}
_local_bytes = [0]


def _keep_local(key: str, entry: tuple) -> None:
    size = len(entry[3])
    if _local_bytes[0] + size > LOCAL_LIMIT_BYTES:
        _local.clear()
        _local_bytes[0] = 0
    _local[key] = entry
    _local_bytes[0] += size


def _release() -> str:
    """Changes when the code, templates or static files change (a deploy):
    pages cached by the previous release are then never served."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR) / "habitat"
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".js", ".css", ".mo"):
            digest.update(f"{path}:{path.stat().st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


RELEASE = _release()
_seen: set[str] = set()


def anonymous_cache(view):
    """Mark `view` as cacheable whole for anonymous visitors."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.anonymous_cache = True
    return wrapper


# -- Version ----------------------------------------------------------------


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = uuid.uuid4().hex[:12]
        if not cache.add(VERSION_KEY, current, None):
            current = cache.get(VERSION_KEY, current)
    return current


def bump() -> None:
    """Invalidate every cached page (all processes: the cache is shared)."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex[:12], None)
    except DatabaseError:  # the cache table is not there yet (migrations)
        logger.debug("Page cache version not bumped: no cache table")


def _on_change(sender, raw=False, update_fields=None, **kwargs):
    if raw or sender._meta.label_lower in IGNORED_MODELS:
        return
    if sender.__name__.startswith("Historical"):
        return  # simple_history rows: the model itself also changed
    if update_fields and set(update_fields) <= {"last_login"}:
        return
    transaction.on_commit(bump)


post_save.connect(_on_change, dispatch_uid="pagecache-save", weak=False)
m2m_changed.connect(_on_change, dispatch_uid="pagecache-m2m", weak=False)


def connect_deletes() -> None:
    """Listen to deletions model by model (called from CoreConfig.ready).

    A post_delete receiver for every sender would turn each bulk
    `queryset.delete()` of the project (matches, search terms, sessions) into
    a row-by-row delete with one signal per row; ignored models keep
    Django's fast delete."""
    from django.apps import apps

    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED_MODELS or model.__name__.startswith("Historical"):
            continue
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"pagecache-delete-{label}"
        )


# -- Middleware -------------------------------------------------------------


def _cacheable_request(request) -> bool:
    if request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "anonymous_cache", False)


def _key(request) -> str:
    gzip_ok = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    language = get_language_from_request(request)
    raw = f"{RELEASE}|{request.get_full_path()}|{language}|{int(gzip_ok)}"
    return "pagecache:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if len(response.content) > MAX_BODY:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if request.META.get("CSRF_COOKIE_USED"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-store", "no-cache"}:
        return False
    vary = {
        part.strip().lower()
        for part in cc_delim_re.split(response.get("Vary", ""))
        if part.strip()
    }
    return vary <= ALLOWED_VARY


def _replay(request, entry) -> HttpResponse:
    status, headers, body = entry
    etag = dict(headers).get("ETag")
    if etag and request.META.get("HTTP_IF_NONE_MATCH") == etag:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response


class AnonymousPageCacheMiddleware:
    """Serve and store `@anonymous_cache` pages (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        entry = _local.get(key)
        if entry is None:
            # One round trip for the version and the page (a miss, mostly).
            found = cache.get_many([VERSION_KEY, key])
            current, entry = found.get(VERSION_KEY), found.get(key)
            if entry is not None and entry[0] == current:
                _keep_local(key, entry)
        else:
            current = cache.get(VERSION_KEY)
            if entry[0] != current:
                entry = cache.get(key)
                if entry is not None and entry[0] == current:
                    _keep_local(key, entry)
        if entry is not None and current is not None and entry[0] == current:
            return _replay(request, entry[1:])

        current = current or version()
        response = self.get_response(request)
        if _storable(request, response):
            # Remembered with the version: after a change (or a cache flush)
            # a page is again stored on its second build only.
            seen = f"{key}:{current}"
            if seen in _seen:
                headers = [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in ("set-cookie", "content-length")
                ]
                entry = (current, response.status_code, headers, response.content)
                cache.set(key, entry, TIMEOUT)
                _keep_local(key, entry)
                _seen.discard(seen)
            else:
                if len(_seen) >= _SEEN_LIMIT:
                    _seen.clear()
                _seen.add(seen)
        return response
