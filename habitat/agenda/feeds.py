"""Subscription feeds: ICS (whole agenda, per organisation, per event) and RSS.

Calendar programs poll these, so an ICS feed is built once per feed version
(bumped on any event change) and filter set, kept in the cache with its ETag
and Last-Modified, and answered with 304 when the client already has it.
"""

import hashlib

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date, parse_http_date_safe

from habitat.accounts.models import Organisation
from habitat.core.exceptions import HabitatError
from habitat.core.text import strip_control

from . import ics, queries, services
from .models import Event

CACHE_SECONDS = 24 * 3600
CLIENT_MAX_AGE = 300


def _cached(key: str, build) -> tuple[bytes, str, str, int]:
    version = services.feed_version()
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    cache_key = f"agenda:feed:{version}:{digest}"
    entry = cache.get(cache_key)
    if entry is None:
        body = build().encode("utf-8")
        etag = f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()[:32]}"'
        built_at = int(timezone.now().timestamp())
        entry = (body, etag, http_date(built_at), built_at)
        cache.set(cache_key, entry, CACHE_SECONDS)
    return entry


def _not_modified(request, etag: str, built_at: int) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and built_at <= since


def calendar_response(request, key: str, build, filename: str):
    body, etag, last_modified, built_at = _cached(key, build)
    if _not_modified(request, etag, built_at):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = f"public, max-age={CLIENT_MAX_AGE}"
    return response


def agenda_ics(request):
    """GET /agenda.ics?region=84&type=open-day: the filtered agenda."""
    try:
        filters = queries.parse_filters(request.GET)
    except HabitatError as error:
        return HttpResponseBadRequest(
            error.message, content_type="text/plain; charset=utf-8"
        )

    def build():
        events = list(queries.feed_events(filters))
        return ics.build_feed(events, name="Agenda de l'habitat participatif")

    return calendar_response(request, f"all?{filters.cache_key()}", build, "agenda.ics")


def organisation_ics(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    filters = queries.Filters(organisateur=organisation.slug)

    def build():
        events = list(queries.feed_events(filters))
        return ics.build_feed(events, name=organisation.name)

    return calendar_response(request, f"org?{slug}", build, f"{slug}.ics")


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
