"""Reads shared by the pages, the feeds and the API: filters and windows."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q
from django.utils import timezone

from habitat.core.exceptions import HabitatError
from habitat.core.text import fold

from . import recurrence
from .models import Event, EventType

PARIS = ZoneInfo("Europe/Paris")
FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=365)
FILTER_NAMES = (
    "region",
    "departement",
    "type",
    "organisateur",
    "calendrier",
    "du",
    "au",
    "en_ligne",
    "q",
)


@dataclass
class Filters:
    region: str = ""
    departement: str = ""
    type: str = ""
    organisateur: str = ""
    calendrier: str = ""
    du: date | None = None
    au: date | None = None
    en_ligne: bool = False
    q: str = ""

    def as_params(self) -> dict:
        params = {}
        for name in FILTER_NAMES:
            value = getattr(self, name)
            if value in (None, "", False):
                continue
            params[name] = "1" if value is True else str(value)
        return params

    def cache_key(self) -> str:
        return "&".join(f"{k}={v}" for k, v in sorted(self.as_params().items()))


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise HabitatError("Date invalide : utilisez le format AAAA-MM-JJ.", field=name)


def parse_filters(params) -> Filters:
    """Filters from a query string; a bad value raises HabitatError."""
    kind = (params.get("type") or "").strip()
    if kind and kind not in EventType.values:
        raise HabitatError("Type d'événement inconnu.", field="type")
    filters = Filters(
        region=(params.get("region") or "").strip()[:3],
        departement=(params.get("departement") or "").strip().upper()[:3],
        type=kind,
        organisateur=(params.get("organisateur") or "").strip()[:160],
        calendrier=(params.get("calendrier") or "").strip()[:160],
        du=_date(params.get("du", ""), "du"),
        au=_date(params.get("au", ""), "au"),
        en_ligne=(params.get("en_ligne") or "") in ("1", "true", "on", "oui"),
        q=(params.get("q") or "").strip()[:100],
    )
    if filters.du and filters.au and filters.au < filters.du:
        raise HabitatError("La date de fin précède la date de début.", field="au")
    return filters


def apply_filters(queryset, filters: Filters):
    if filters.region:
        queryset = queryset.filter(department__region_id=filters.region)
    if filters.departement:
        queryset = queryset.filter(department_id=filters.departement)
    if filters.type:
        queryset = queryset.filter(kind=filters.type)
    if filters.organisateur:
        queryset = queryset.filter(organiser__slug=filters.organisateur)
    if filters.calendrier:
        queryset = queryset.filter(calendars__slug=filters.calendrier)
    if filters.en_ligne:
        queryset = queryset.filter(online=True)
    if filters.du:
        queryset = queryset.filter(
            last_end__gt=datetime.combine(filters.du, time(), PARIS)
        )
    if filters.au:
        queryset = queryset.filter(
            start__lt=datetime.combine(filters.au + timedelta(days=1), time(), PARIS)
        )
    for word in fold(filters.q).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def public_events(filters: Filters | None = None):
    queryset = Event.objects.series().published()
    return apply_filters(queryset, filters) if filters else queryset


def feed_window(now=None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - FEED_PAST, now + FEED_FUTURE


def feed_events(filters: Filters, now=None):
    """Published events of a feed's window, with what their text needs."""
    start, end = feed_window(now)
    return (
        public_events(filters)
        .overlapping(start, end)
        .only("time_zone", "all_day", "ics_fragment", "start", "id")
        .order_by("start", "id")
    )


LIGHT = ("ics_fragment", "search_text")


def with_overrides(queryset):
    """Prefetch moved/cancelled occurrences into a plain list (no clones)."""
    return queryset.defer(*LIGHT).prefetch_related(
        Prefetch(
            "overrides",
            queryset=Event.objects.defer(*LIGHT),
            to_attr="override_list",
        )
    )


def overrides_of(event) -> list:
    found = getattr(event, "override_list", None)
    return found if found is not None else list(event.overrides.all())


def occurrences_between(events, start: datetime, end: datetime) -> list:
    """Every occurrence of `events` (overrides prefetched) in [start, end)."""
    found = []
    for event in events:
        found.extend(
            recurrence.expand(event, start, end, overrides=overrides_of(event))
        )
    found.sort(key=lambda occurrence: (occurrence.start, occurrence.event.pk))
    return found


def upcoming_for_project(project, limit: int = 5) -> list:
    """Next occurrences of published events held at or organised by a project."""
    now = timezone.now()
    events = with_overrides(
        public_events()
        .upcoming(now)
        .filter(Q(project=project) | Q(organiser_project=project))
        .select_related("commune")[: limit * 2]
    )
    return occurrences_between(events, now, now + FEED_FUTURE)[:limit]
