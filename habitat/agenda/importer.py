"""Import of ICS calendars (files or subscription URLs) into the agenda.

Idempotent by (source, UID): an event seen again is updated (or left alone
when its content did not change), an event gone from the feed is withdrawn,
a VEVENT with a RECURRENCE-ID replaces its occurrence. icalendar unfolds the
lines before unescaping the text. Every text is reduced to plain text (HTML
and scripts removed) before it is stored; attendees, organisers' addresses,
alarms and vendor properties are never read.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import requests
from django.db import transaction
from django.utils import timezone
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from habitat.core.exceptions import HabitatError
from habitat.core.text import fold, html_to_text
from habitat.moderation.models import ModerationLog, Status
from habitat.moderation.services import log_action

from . import recurrence, services
from .models import Event, EventState, EventType, Source

logger = logging.getLogger(__name__)

DEFAULT_ZONE = "Europe/Paris"
FETCH_TIMEOUT = 20
MAX_FEED_BYTES = 10 * 1024 * 1024
USER_AGENT = "HabitatEnsemble-Agenda/1.0 (+https://habitat-ensemble.fr)"

KIND_WORDS = [
    ("rencontres nationales", EventType.NATIONAL_MEETING),
    ("rencontres regionales", EventType.REGIONAL_MEETING),
    ("rencontre regionale", EventType.REGIONAL_MEETING),
    ("portes ouvertes", EventType.OPEN_DAY),
    ("porte ouverte", EventType.OPEN_DAY),
    ("assemblee generale", EventType.GENERAL_ASSEMBLY),
    ("ag ", EventType.GENERAL_ASSEMBLY),
    ("chantier", EventType.BUILDING_SITE),
    ("atelier", EventType.WORKSHOP),
    ("formation", EventType.TRAINING),
    ("reunion d information", EventType.INFO_MEETING),
    ("permanence", EventType.INFO_MEETING),
    ("visite", EventType.VISIT),
]
_POSTAL_AND_NAME = re.compile(r"\b(\d{5})\s+([^,\n]+)")
_DTSTAMP = re.compile(rb"DTSTAMP[^\r\n]*\r\n")


@dataclass
class ReportLine:
    uid: str
    title: str
    action: str  # created, updated, unchanged, withdrawn, refused
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "uid": self.uid,
            "title": self.title,
            "action": self.action,
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    source: str
    lines: list[ReportLine] = field(default_factory=list)

    def add(self, uid, title, action, reason="") -> None:
        self.lines.append(ReportLine(uid, title, action, reason))

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def summary(self) -> dict:
        actions = ("created", "updated", "unchanged", "withdrawn", "refused")
        return {action: self.count(action) for action in actions}


class Refused(Exception):
    """One event of a feed cannot be imported; the message says why."""


def plain(value) -> str:
    """Text of an iCalendar property, stripped of any HTML."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return html_to_text(str(value))


def resolve_zone(tzid: str | None) -> str | None:
    """IANA name for a TZID, Windows names (Outlook) included."""
    if not tzid:
        return None
    tzid = tzid.strip().strip('"')
    candidates = [tzid, WINDOWS_TO_OLSON.get(tzid)]
    if "/" in tzid:
        # "/mozilla.org/20050126_1/Europe/Paris" style prefixes.
        candidates.append("/".join(tzid.split("/")[-2:]))
    for candidate in candidates:
        if not candidate:
            continue
        try:
            ZoneInfo(candidate)
            return candidate
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return None


def _categories(component) -> list[str]:
    found = []
    values = component.get("CATEGORIES")
    if values is None:
        return found
    for value in values if isinstance(values, list) else [values]:
        found.extend(str(category) for category in getattr(value, "cats", [value]))
    return found


def guess_kind(summary: str, categories: list[str]) -> str:
    for text in [*categories, summary]:
        folded = fold(text) + " "
        for words, kind in KIND_WORDS:
            if folded.startswith(words) or f" {words}" in f" {folded}":
                return kind
    return EventType.OTHER


class CommuneFinder:
    """Commune of a LOCATION text, memoised for one import."""

    def __init__(self):
        self.cache = {}

    def __call__(self, location: str):
        if location in self.cache:
            return self.cache[location]
        commune = None
        from habitat.territories.search import resolve_commune

        match = _POSTAL_AND_NAME.search(location)
        if match:
            commune, _warnings = resolve_commune(
                postal_code=match.group(1), name=match.group(2).strip()
            )
        else:
            for part in [p.strip() for p in location.split(",") if p.strip()]:
                if fold(part) in {"france", "en ligne", "visio"}:
                    continue
                commune, _warnings = resolve_commune(postal_code="", name=part)
                if commune:
                    break
        self.cache[location] = commune
        return commune


class Reader:
    """Turns VEVENTs into the fields of Event, for one calendar."""

    def __init__(self, calendar, source: Source):
        self.source = source
        self.default_zone = resolve_zone(str(calendar.get("X-WR-TIMEZONE", ""))) or (
            DEFAULT_ZONE
        )
        self.find_commune = CommuneFinder()

    def moment(self, prop, zone_name: str):
        """(value in the event zone or a date, zone named by the property)."""
        value = prop.dt
        if isinstance(value, datetime):
            named = resolve_zone(prop.params.get("TZID"))
            if value.tzinfo is None:
                value = value.replace(tzinfo=ZoneInfo(named or self.default_zone))
            return value.astimezone(ZoneInfo(zone_name)), named
        if isinstance(value, date):
            return value, None
        raise Refused("date illisible")

    def event_zone(self, component, commune) -> str:
        start = component.get("DTSTART")
        named = resolve_zone(start.params.get("TZID")) if start is not None else None
        if component.get("RRULE") is not None:
            if named:
                return named
            value = start.dt
            if isinstance(value, datetime) and value.tzinfo is not None:
                return "UTC"
            return self.default_zone
        if commune is not None:
            return commune.time_zone
        return named or self.default_zone

    def fields(self, component) -> dict:
        if component.get("DTSTART") is None:
            raise Refused("DTSTART manquant")
        title = plain(component.get("SUMMARY"))[:200]
        if not title:
            raise Refused("titre (SUMMARY) manquant")

        location = plain(component.get("LOCATION"))
        commune = self.find_commune(location) if location else None
        zone = self.event_zone(component, commune)
        data = {
            "title": title,
            "description": plain(component.get("DESCRIPTION")),
            "kind": guess_kind(title, _categories(component)),
            "state": EventState.CANCELLED
            if str(component.get("STATUS", "")).upper() == "CANCELLED"
            else EventState.SCHEDULED,
            "address": location[:300],
            "commune": commune,
            "time_zone": zone,
        }
        conference = str(component.get("X-GOOGLE-CONFERENCE", "")).strip()
        if conference.startswith("https://"):
            data["online"], data["online_url"] = True, conference[:500]
        elif not location and "visio" in fold(title):
            data["online"] = True

        start, _named = self.moment(component["DTSTART"], zone)
        end = None
        if component.get("DTEND") is not None:
            end, _named = self.moment(component["DTEND"], zone)
        elif component.get("DURATION") is not None:
            end = start + component["DURATION"].dt

        if isinstance(start, datetime):
            if isinstance(end, date) and not isinstance(end, datetime):
                end = datetime.combine(end, time(), ZoneInfo(zone))
            end = end or start  # RFC 5545: no DTEND means it ends as it starts
            if end < start:
                raise Refused("la fin précède le début")
            data.update(all_day=False, start=start, end=end)
        else:
            if isinstance(end, datetime):
                end = end.date()
            last = (end - timedelta(days=1)) if end and end > start else start
            data.update(all_day=True, start_date=start, end_date=last)

        rule = component.get("RRULE")
        if isinstance(rule, list):
            rule = rule[0]
        data["rrule"] = ""
        if rule is not None:
            try:
                data["rrule"] = recurrence.normalize_rrule(
                    rule.to_ical().decode(),
                    zone=ZoneInfo(zone),
                    all_day=data["all_day"],
                )
            except HabitatError as error:
                raise Refused(error.message)
        data["exdates"] = self.exdates(component, zone, data["all_day"])
        return data

    def exdates(self, component, zone: str, all_day: bool) -> list[str]:
        values = component.get("EXDATE")
        if values is None:
            return []
        keys = []
        for group in values if isinstance(values, list) else [values]:
            for item in group.dts:
                moment = item.dt
                if isinstance(moment, datetime):
                    if moment.tzinfo is None:
                        moment = moment.replace(tzinfo=ZoneInfo(zone))
                    moment = moment.astimezone(ZoneInfo(zone))
                    keys.append(
                        recurrence.exdate_key(moment.date() if all_day else moment)
                    )
                else:
                    keys.append(moment.isoformat())
        return sorted(set(keys))

    def recurrence_id(self, component, event) -> datetime:
        prop = component["RECURRENCE-ID"]
        value = prop.dt
        if isinstance(value, datetime):
            if value.tzinfo is None:
                named = resolve_zone(prop.params.get("TZID")) or event.time_zone
                value = value.replace(tzinfo=ZoneInfo(named))
            return value.astimezone(event.zone)
        return datetime.combine(value, time(), event.zone)


def _fingerprint(components) -> str:
    raw = b"".join(component.to_ical() for component in components)
    return hashlib.sha256(_DTSTAMP.sub(b"", raw)).hexdigest()


def _assign(event, data: dict) -> None:
    for name in (
        "title",
        "description",
        "kind",
        "state",
        "address",
        "commune",
        "online",
        "online_url",
        "rrule",
        "exdates",
    ):
        if name in data:
            setattr(event, name, data[name])
    event.time_zone = data["time_zone"]
    if data["all_day"]:
        event.set_dates(data["start_date"], data["end_date"])
    else:
        event.all_day = False
        event.start, event.end = data["start"], data["end"]
        event.start_date = event.end_date = None


def parse_calendar(payload) -> icalendar.Calendar:
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    try:
        calendars = icalendar.Calendar.from_ical(payload, multiple=True)
    except (ValueError, IndexError, KeyError) as exc:
        raise HabitatError(f"Fichier iCalendar illisible : {exc}", field="file")
    if not calendars:
        raise HabitatError("Aucun calendrier dans ce fichier.", field="file")
    return calendars[0]


@transaction.atomic
def import_calendar(
    *, source: Source, payload, trusted=None, actor=None
) -> ImportReport:
    """Import every VEVENT of an ICS payload for `source`.

    Side effects: events created, updated or withdrawn (never deleted),
    occurrences overridden, one IMPORTED/WITHDRAWN line per event in the
    moderation log, the source's last report saved, feeds bumped.
    """
    calendar = parse_calendar(payload)
    trusted = source.trusted if trusted is None else trusted
    reader = Reader(calendar, source)
    report = ImportReport(source=source.name)

    groups: dict[str, list] = {}
    for component in calendar.walk("VEVENT"):
        uid = str(component.get("UID", "")).strip()
        if not uid:
            report.add("", plain(component.get("SUMMARY")), "refused", "UID manquant")
            continue
        groups.setdefault(uid, []).append(component)

    existing = {
        event.source_uid: event
        for event in Event.objects.filter(source=source, parent=None).select_related(
            "commune__department", "organiser"
        )
    }
    for uid, components in groups.items():
        masters = [c for c in components if c.get("RECURRENCE-ID") is None]
        overrides = [c for c in components if c.get("RECURRENCE-ID") is not None]
        title = plain((masters or components)[0].get("SUMMARY"))[:200]
        if not masters:
            report.add(uid, title, "refused", "occurrence modifiée sans sa série")
            continue
        try:
            action = _import_one(
                reader, source, uid, masters[0], overrides, existing.get(uid), trusted
            )
        except Refused as refusal:
            report.add(uid, title, "refused", str(refusal))
            continue
        report.add(uid, title, action)

    for uid, event in existing.items():
        if uid not in groups and event.status != Status.WITHDRAWN:
            event.status = Status.WITHDRAWN
            services.refresh_event(event)
            log_action(
                obj=event,
                action=ModerationLog.Action.WITHDRAWN,
                actor=actor,
                reason=f"Retiré du calendrier source « {source.name} ».",
            )
            report.add(uid, event.title, "withdrawn", "absent du calendrier source")

    source.last_report = [line.as_dict() for line in report.lines]
    source.save(update_fields=["last_report"])
    logger.info("Import %s: %s", source.name, report.summary)
    return report


def _import_one(reader, source, uid, master, overrides, event, trusted) -> str:
    fingerprint = _fingerprint([master, *overrides])
    if event is not None and event.source_hash == fingerprint:
        if event.status == Status.WITHDRAWN:
            pass
        else:
            return "unchanged"

    data = reader.fields(master)
    created = event is None
    if created:
        event = Event(
            source=source, source_uid=uid[:255], organiser=source.organisation
        )
    _assign(event, data)
    event.source_hash = fingerprint
    if created or event.status == Status.WITHDRAWN:
        event.status = Status.PUBLISHED if trusted else Status.PENDING
        event.published_at = timezone.now() if trusted else None
    if created:
        event.slug = services.unique_slug(event.title, event.local_start)
    else:
        event.sequence += 1
    if not event.rrule:
        event.exdates = []
    services.refresh_event(event, render=False)
    if created:
        event.calendars.set(
            list(source.calendars.all()) or services.default_calendars(event)
        )
        log_action(
            obj=event,
            action=ModerationLog.Action.IMPORTED,
            reason=f"Importé de « {source.name} ».",
        )

    _import_overrides(reader, event, overrides)
    services.refresh_event(event)
    return "created" if created else "updated"


def _import_overrides(reader, event, components) -> None:
    current = {override.recurrence_id: override for override in event.overrides.all()}
    kept = set()
    for component in components:
        try:
            original = reader.recurrence_id(component, event)
            data = reader.fields(component)
        except Refused:
            continue
        data["rrule"], data["exdates"] = "", []
        override = current.get(original) or Event(
            parent=event,
            recurrence_id=original,
            source=event.source,
            organiser=event.organiser,
            status=event.status,
            published_at=event.published_at,
        )
        _assign(override, data)
        override.status, override.published_at = event.status, event.published_at
        services.refresh_event(override, render=False)
        kept.add(override.pk)
    for override in current.values():
        if override.pk not in kept:
            override.delete()


def fetch_source(*, source: Source) -> ImportReport | None:
    """Fetch a subscription with a conditional request and import it.

    Returns None when the server answers 304 Not Modified.
    Side effects: the source's ETag, Last-Modified and fetch time saved.
    """
    if not source.url:
        raise HabitatError("Cette source n'a pas d'adresse d'abonnement.", field="url")
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    try:
        response = requests.get(
            source.url, headers=headers, timeout=FETCH_TIMEOUT, stream=True
        )
        if response.status_code == 304:
            source.last_fetched_at = timezone.now()
            source.save(update_fields=["last_fetched_at"])
            logger.info("Import %s: not modified", source.name)
            return None
        response.raise_for_status()
        payload = response.raw.read(MAX_FEED_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        logger.warning("Import %s: fetch failed (%s)", source.name, exc)
        raise HabitatError(f"Calendrier injoignable : {exc}", field="url")
    if len(payload) > MAX_FEED_BYTES:
        raise HabitatError("Calendrier trop volumineux (10 Mo au plus).", field="url")

    report = import_calendar(source=source, payload=payload)
    source.etag = response.headers.get("ETag", "")[:200]
    source.last_modified = response.headers.get("Last-Modified", "")[:100]
    source.last_fetched_at = timezone.now()
    source.save(update_fields=["etag", "last_modified", "last_fetched_at"])
    return report
