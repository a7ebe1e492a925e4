"""Reads shared by the pages, the feeds and the API: filters and windows."""

import heapq
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from habitat.core.exceptions import HabitatError
from habitat.territories.models import Department, Region

from . import recurrence
from .models import Event, EventState, EventType
from .search import search_events

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


# Geography changes only when load_geography runs: read from the shared cache.
GEOGRAPHY_TIMEOUT = 60 * 60


def geography() -> dict:
    """The région → départements mapping and the filters' choices, in one
    entry of the shared cache (one read for a page's filters)."""

    def build():
        mapping: dict[str, list[str]] = {}
        departments = []
        for code, name, region in Department.objects.order_by("code").values_list(
            "code", "name", "region_id"
        ):
            mapping.setdefault(region, []).append(code)
            departments.append((code, f"{code} – {name}"))
        return {
            "region_departments": mapping,
            "regions": list(
                Region.objects.order_by("name").values_list("code", "name")
            ),
            "departments": departments,
        }

    return cache.get_or_set("agenda:geography", build, GEOGRAPHY_TIMEOUT)


def forget_geography(**kwargs) -> None:
    """After a geography load: the next page reads the new lists."""
    transaction.on_commit(lambda: cache.delete("agenda:geography"))


def region_departments() -> dict[str, list[str]]:
    """Codes of the départements of each région (filters without a join)."""
    return geography()["region_departments"]


def region_choices() -> list[tuple[str, str]]:
    return geography()["regions"]


def department_choices() -> list[tuple[str, str]]:
    return geography()["departments"]


def apply_filters(queryset, filters: Filters):
    if filters.region:
        # By département codes: no join, and the planner estimates it well.
        codes = region_departments().get(filters.region, [])
        queryset = queryset.filter(department_id__in=codes)
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
    if filters.q:
        # The shared index: no accents, case or endings, same on every database.
        queryset = search_events(queryset, filters.q)
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


# What a row of a list shows (rendering.row_html) and expanding needs.
ROW = (
    "id",
    "slug",
    "title",
    "kind",
    "state",
    "time_zone",
    "all_day",
    "start",
    "end",
    "start_date",
    "end_date",
    "rrule",
    "exdates",
    "recurrence_id",
    "parent_id",
    "online",
    "image",
    "image_alt",
    "image_credit",
    "commune__name",
    "commune__department_id",
    "organiser__name",
)


_ATTRS = tuple("image_name" if name == "image" else name for name in ROW[:-3])


class Named:
    """A commune or organiser as a row shows it (`.name`, `.department_id`)."""

    __slots__ = ("name", "department_id")

    def __init__(self, name, department_id=None):
        self.name = name
        self.department_id = department_id


class ListedEvent:
    """An event (or override) of a listing page, from a values_list row.

    It answers what `rendering.row_html` and `recurrence.expand` ask of an
    Event, without the cost of three model instances per row (an Event,
    its commune, its organiser): on a page of twenty, more than the query.
    """

    __slots__ = (*_ATTRS, "commune", "organiser", "override_list", "zone")

    def __init__(self, row):
        for name, value in zip(_ATTRS, row, strict=False):
            setattr(self, name, value)
        commune_name, department, organiser = row[-3:]
        self.commune = Named(commune_name, department) if commune_name else None
        self.organiser = Named(organiser) if organiser else None
        self.override_list = []
        self.zone = ZoneInfo(self.time_zone)

    pk = property(lambda self: self.id)
    local_start = property(lambda self: self.start.astimezone(self.zone))
    local_end = property(lambda self: self.end.astimezone(self.zone))
    is_cancelled = property(lambda self: self.state == EventState.CANCELLED)

    @property
    def image(self):
        """As `Event.image`: false without a file, `.url` from its storage."""
        field = Event._meta.get_field("image")
        return field.attr_class(None, field, self.image_name)

    def get_kind_display(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def get_absolute_url(self) -> str:
        return reverse("agenda:detail", args=[self.slug])


KIND_LABELS = dict(EventType.choices)


def listed_events(ids, series=()) -> list:
    """The events of a page of ids, in that order, with what a row shows,
    and the overrides of those of them that are series (`series`, ids): one
    query for both, read as plain rows (`ListedEvent`).

    The page itself is chosen by an id-only query (see `views._listing_page`):
    the joins and the wide rows are fetched for these twenty events only.
    """
    wanted = Q(pk__in=ids)
    if series:
        wanted |= Q(parent_id__in=series)
    found = {}
    overrides: dict[int, list] = {}
    for row in Event.objects.filter(wanted).order_by().values_list(*ROW):
        event = ListedEvent(row)
        if event.parent_id in series and event.id not in ids:
            overrides.setdefault(event.parent_id, []).append(event)
        else:
            found[event.id] = event
    events = [found[pk] for pk in ids if pk in found]
    for event in events:
        event.override_list = overrides.get(event.id, [])
    return events


def next_occurrences(events, now: datetime) -> list[dict]:
    """{"event", "occurrence"} rows: each event with its next occurrence."""
    horizon = now + timedelta(days=400)
    rows = []
    for event in events:
        found = recurrence.expand(event, now, horizon, overrides=overrides_of(event))
        rows.append({"event": event, "occurrence": found[0] if found else None})
    return rows


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


# What expanding a series needs: the rest is fetched for the shown page only.
TIMING = (
    "id",
    "start",
    "end",
    "all_day",
    "start_date",
    "end_date",
    "time_zone",
    "rrule",
    "exdates",
    "parent_id",
    "recurrence_id",
)


class Timing:
    """The dates of an event or override, as recurrence.expand reads them:
    built from a values_list row, much cheaper than a model instance."""

    __slots__ = TIMING + ("zone",)

    def __init__(self, row):
        for name, value in zip(TIMING, row, strict=True):
            setattr(self, name, value)
        self.zone = ZoneInfo(self.time_zone)

    @property
    def pk(self):
        return self.id

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.zone)


class OccurrencePage:
    """Occurrences of a window in order, for a paginator.

    Single events are counted and ordered by the database (their occurrence
    is their row); only series are expanded here, from light rows, and
    merged in. Slicing loads the full events (and overrides) of that slice
    only, so a page costs five queries whatever the window holds.
    """

    def __init__(self, events, start: datetime, end: datetime):
        self.window = (start, end)
        self.singles = events.filter(rrule="").order_by("start", "id")
        series = [
            Timing(row)
            for row in events.exclude(rrule="").order_by().values_list(*TIMING)
        ]
        overrides: dict[int, list] = {}
        if series:
            found = Event.objects.filter(
                parent_id__in=[row.id for row in series]
            ).values_list(*TIMING)
            for row in found:
                override = Timing(row)
                overrides.setdefault(override.parent_id, []).append(override)
        occurrences = []
        for row in series:
            occurrences.extend(
                recurrence.expand(row, start, end, overrides=overrides.get(row.id, []))
            )
        occurrences.sort(key=_order)
        self.series_occurrences = occurrences
        self._count = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = len(self.series_occurrences) + self.singles.count()
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.rows(index)
        return self.rows(slice(index, index + 1))[0]

    def rows(self, index: slice) -> list:
        stop = index.stop if index.stop is not None else len(self)
        singles = [
            recurrence.Occurrence(row, row.local_start, row.local_end)
            for row in map(Timing, self.singles.values_list(*TIMING)[:stop])
        ]
        merged = heapq.merge(self.series_occurrences, singles, key=_order)
        chosen = [
            recurrence.Occurrence(o.event, o.start, o.end, o.recurrence_id, o.override)
            for o in list(merged)[index]
        ]
        ids = {occurrence.event.pk for occurrence in chosen}
        ids.update(o.override.pk for o in chosen if o.override is not None)
        full = (
            Event.objects.select_related("commune__department", "organiser")
            .defer(*LIGHT, "commune__department__outline")
            .in_bulk(ids)
        )
        for occurrence in chosen:
            occurrence.event = full[occurrence.event.pk]
            if occurrence.override is not None:
                occurrence.override = full[occurrence.override.pk]
        return chosen


def _order(occurrence):
    return (occurrence.start, occurrence.event.pk)
