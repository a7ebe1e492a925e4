"""Subscription feeds: ICS (whole agenda, per organisation, per event) and RSS.

Calendar programs poll these, so an ICS feed is built once per feed version
(bumped on any event change) and filter set, and kept gzip-compressed in the
shared cache with its ETag and Last-Modified; each process also keeps the
latest entries in memory, so answering from cache is one version lookup.
Clients that accept gzip get the stored bytes as they are (Content-Encoding:
gzip, weak ETag as GZipMiddleware would give); the others get them
decompressed. A client that already has the feed gets a 304.
"""

import gzip
import hashlib
import threading
from collections import OrderedDict
from typing import NamedTuple

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.http import http_date, parse_http_date_safe

from habitat.accounts.models import Organisation
from habitat.core.exceptions import HabitatError
from habitat.core.text import strip_control

from . import ics, queries, services
from .models import Event

CACHE_SECONDS = 24 * 3600
CLIENT_MAX_AGE = 300
GZIP_LEVEL = 6
# Compressed bytes a process keeps in memory (the whole agenda is ~1-2 MB).
LOCAL_MAX_BYTES = 32 * 1024 * 1024


class FeedEntry(NamedTuple):
    gzipped: bytes
    etag: str  # strong, of the uncompressed body
    last_modified: str
    built_at: int
    length: int  # uncompressed size


_local: OrderedDict[str, FeedEntry] = OrderedDict()
_local_lock = threading.Lock()


def _remember(key: str, entry: FeedEntry) -> None:
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        total = sum(len(item.gzipped) for item in _local.values())
        while total > LOCAL_MAX_BYTES and len(_local) > 1:
            _old_key, old = _local.popitem(last=False)
            total -= len(old.gzipped)


def _recall(key: str) -> FeedEntry | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
        return entry


def forget_local() -> None:
    """Empty this process's memory of feeds (tests)."""
    with _local_lock:
        _local.clear()


def make_entry(body: bytes) -> FeedEntry:
    built_at = int(timezone.now().timestamp())
    return FeedEntry(
        gzipped=gzip.compress(body, GZIP_LEVEL, mtime=0),
        etag=f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()[:32]}"',
        last_modified=http_date(built_at),
        built_at=built_at,
        length=len(body),
    )


def _cached(key: str, build) -> FeedEntry:
    version = services.feed_version()
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    cache_key = f"agenda:feed:gz:{version}:{digest}"
    entry = _recall(cache_key)
    if entry is not None:
        return entry
    stored = cache.get(cache_key)
    entry = FeedEntry(*stored) if stored is not None else None
    if entry is None:
        entry = make_entry(build().encode("utf-8"))
        # A plain tuple: the cache outlives any rename of this module's class.
        cache.set(cache_key, tuple(entry), CACHE_SECONDS)
    _remember(cache_key, entry)
    return entry


def accepts_gzip(request) -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _sep, params = part.partition(";")
        if coding.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.replace(" ", "").lower().removeprefix("q=")
        try:
            return not params.strip() or float(quality) > 0
        except ValueError:
            return True
    return False


def _not_modified(request, etag: str, built_at: int) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag.removeprefix("W/") in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and built_at <= since


def calendar_response(request, key: str, build, filename: str):
    entry = _cached(key, build)
    compressed = accepts_gzip(request)
    # Like GZipMiddleware: the compressed representation has a weak ETag.
    etag = f"W/{entry.etag}" if compressed else entry.etag
    if _not_modified(request, etag, entry.built_at):
        response = HttpResponse(status=304)
    elif compressed:
        response = HttpResponse(
            entry.gzipped, content_type="text/calendar; charset=utf-8"
        )
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(
            gzip.decompress(entry.gzipped), content_type="text/calendar; charset=utf-8"
        )
    if response.status_code == 200:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Content-Length"] = str(len(response.content))
    response["ETag"] = etag
    response["Last-Modified"] = entry.last_modified
    response["Cache-Control"] = f"public, max-age={CLIENT_MAX_AGE}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def build_agenda_feed(filters, *, name="Agenda de l'habitat participatif") -> str:
    """The VCALENDAR text of a filtered agenda (the real build path).

    Plain rows, no model instances: the stored fragments are concatenated;
    an event without one (not rendered yet) is loaded and rendered."""
    rows = list(
        queries.feed_events(filters).values_list(
            "id", "time_zone", "all_day", "ics_fragment"
        )
    )
    missing = [pk for pk, _zone, _all_day, fragment in rows if not fragment]
    rendered = {}
    if missing:
        for event in Event.objects.filter(pk__in=missing).select_related("commune"):
            rendered[event.pk] = ics.render_fragment(event)
    zones = {zone for _pk, zone, all_day, _fragment in rows if not all_day}
    return ics.assemble(
        name, zones, [fragment or rendered[pk] for pk, _z, _a, fragment in rows]
    )


def agenda_ics(request):
    """GET /agenda.ics?region=84&type=open-day: the filtered agenda."""
    try:
        filters = queries.parse_filters(request.GET)
    except HabitatError as error:
        return HttpResponseBadRequest(
            error.message, content_type="text/plain; charset=utf-8"
        )

    return calendar_response(
        request,
        f"all?{filters.cache_key()}",
        lambda: build_agenda_feed(filters),
        "agenda.ics",
    )


def organisation_ics(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    filters = queries.Filters(organisateur=organisation.slug)

    return calendar_response(
        request,
        f"org?{slug}",
        lambda: build_agenda_feed(filters, name=organisation.name),
        f"{slug}.ics",
    )


def event_ics(request, slug):
    event = Event.objects.series().published().filter(slug=slug).first()
    if event is None:
        raise Http404

    def build():
        return ics.build_feed([event], name=event.title)

    return calendar_response(request, f"event?{slug}", build, f"{slug}.ics")


class UpcomingEventsFeed(Feed):
    title = "Agenda de l'habitat participatif"
    link = "/agenda/"
    description = "Les prochains événements du réseau de l'habitat participatif."

    def get_object(self, request):
        try:
            return queries.parse_filters(request.GET)
        except HabitatError:
            raise Http404

    def items(self, filters):
        return (
            queries.public_events(filters)
            .upcoming()
            .select_related("commune")
            .order_by("start", "id")[:50]
        )

    def item_title(self, item):
        prefix = "[Annulé] " if item.is_cancelled else ""
        return strip_control(f"{prefix}{item.title} – {item.local_start:%d/%m/%Y}")

    def item_description(self, item):
        place = item.address or (item.commune.name if item.commune else "")
        # Readers render descriptions as HTML: escape the plain text first.
        return escape(strip_control(f"{place}\n\n{item.description[:500]}".strip()))

    def item_pubdate(self, item):
        return item.published_at

    def item_guid(self, item):
        return item.uid

    item_guid_is_permalink = False
