"""iCalendar output (RFC 5545) built with the icalendar library.

Each event keeps its VEVENT text (with the VEVENTs of its moved or cancelled
occurrences) in `Event.ics_fragment`, rendered when the event is saved; a
feed is then the concatenation of fragments plus one VTIMEZONE per zone used.
icalendar folds at 75 octets without cutting a UTF-8 character and escapes
text values.
"""

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from .models import EventState

PRODID = "-//Habitat Ensemble//Agenda//FR"
STATUS = {
    EventState.SCHEDULED: "CONFIRMED",
    EventState.POSTPONED: "TENTATIVE",
    EventState.CANCELLED: "CANCELLED",
}
POSTPONED_PREFIX = "Reporté : "
POSTPONED_NOTE = "Événement reporté : la nouvelle date sera annoncée sur le site."


def _location(event) -> str:
    parts = [event.address]
    if event.commune_id and event.commune and event.commune.name not in event.address:
        parts.append(event.commune.name)
    return ", ".join(part for part in parts if part)


def _vevent(event, *, series=None) -> icalendar.Event:
    component = icalendar.Event()
    master = series or event
    component.add("uid", master.uid)
    component.add("dtstamp", (event.updated_at or datetime.now(UTC)).astimezone(UTC))
    if event.all_day:
        component.add("dtstart", event.start_date)
        component.add("dtend", event.end_date + timedelta(days=1))
    else:
        component.add("dtstart", event.local_start)
        component.add("dtend", event.local_end)
    if series is not None:
        original = event.recurrence_id.astimezone(series.zone)
        component.add("recurrence-id", original.date() if series.all_day else original)
    elif event.rrule:
        component.add("rrule", icalendar.vRecur.from_ical(event.rrule))
        for value in event.exdates or []:
            if event.all_day:
                component.add(
                    "exdate", datetime.fromisoformat(value).date(), {"VALUE": "DATE"}
                )
            else:
                component.add(
                    "exdate", datetime.fromisoformat(value).replace(tzinfo=event.zone)
                )
    # A postponed event stays in subscribers' calendars, as TENTATIVE rather
    # than CANCELLED: most programs strike out, hide or even delete cancelled
    # events, and people then lose track of one that will come back. Calendar
    # programs show no STATUS by default, so the summary and description say
    # "Reporté" where everyone looks.
    summary, description = event.title, event.description
    if event.state == EventState.POSTPONED:
        summary = f"{POSTPONED_PREFIX}{event.title}"
        description = POSTPONED_NOTE + (f"\n\n{description}" if description else "")
    component.add("summary", summary)
    if description:
        component.add("description", description)
    location = _location(event)
    if event.online and not location:
        location = event.online_url or "En ligne"
    if location:
        component.add("location", location)
    if event.commune_id and event.commune and event.commune.latitude is not None:
        component.add("geo", (event.commune.latitude, event.commune.longitude))
    component.add("url", settings.SITE_URL + master.get_absolute_url())
    component.add("status", STATUS.get(event.state, "CONFIRMED"))
    component.add("categories", [event.get_kind_display()])
    component.add("sequence", event.sequence)
    if event.updated_at:
        component.add("last-modified", event.updated_at.astimezone(UTC))
    return component


def render_fragment(event, overrides=None) -> str:
    """VEVENT text of an event and of its overridden occurrences."""
    if overrides is None:
        overrides = list(event.overrides.all()) if event.pk and event.rrule else []
    parts = [_vevent(event).to_ical().decode()]
    for override in overrides:
        parts.append(_vevent(override, series=event).to_ical().decode())
    return "".join(parts)


@lru_cache(maxsize=64)
def vtimezone(zone: str) -> str:
    """VTIMEZONE text for an IANA zone, covering the years feeds show."""
    component = icalendar.Timezone.from_tzinfo(
        ZoneInfo(zone),
        first_date=datetime(1970, 1, 1).date(),
        last_date=datetime(2038, 1, 1).date(),
    )
    return component.to_ical().decode()


def _header(name: str) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    calendar.add("refresh-interval", timedelta(hours=4), {"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT4H")
    text = calendar.to_ical().decode()
    return text[: -len("END:VCALENDAR\r\n")]


def build_feed(events, *, name: str) -> str:
    """A whole VCALENDAR from events whose fragments are rendered."""
    zones = {event.time_zone for event in events if not event.all_day}
    return assemble(
        name, zones, [event.ics_fragment or render_fragment(event) for event in events]
    )


def assemble(name: str, zones, fragments) -> str:
    """Header, one VTIMEZONE per zone used, the VEVENT fragments, footer."""
    parts = [_header(name)]
    parts.extend(vtimezone(zone) for zone in sorted(zones))
    parts.extend(fragments)
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts)


def rebuild_fragments(batch_size: int = 500) -> int:
    """Render every series' VEVENT text and last end again, in batches.

    For bulk loads (bulk_create sends no signal, so no fragment is rendered)
    such as the bench data; then every cached feed is invalidated."""
    from . import recurrence, services
    from .models import FAR_FUTURE, Event

    ids = list(Event.objects.series().order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(ids), batch_size):
        events = list(
            Event.objects.filter(pk__in=ids[offset : offset + batch_size])
            .select_related("commune")
            .prefetch_related("overrides")
        )
        for event in events:
            overrides = list(event.overrides.all())
            event.last_end = max(
                [recurrence.last_end(event, FAR_FUTURE)]
                + [override.end for override in overrides]
            )
            event.ics_fragment = render_fragment(event, overrides)
        Event.objects.bulk_update(events, ["ics_fragment", "last_end"])
    services.bump_feed_version()
    return len(ids)
