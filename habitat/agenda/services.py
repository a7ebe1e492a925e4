"""Writes to the agenda: proposing, editing series, registrations.

Every write ends with `refresh_event()`, which recomputes what the reads and
feeds rely on (département, zone, last end, the VEVENT text) and bumps the
feed version so cached feeds are rebuilt.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.db.models import Count, F
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify

from habitat.core.exceptions import HabitatError
from habitat.core.text import fold
from habitat.moderation.models import ModerationLog, Status
from habitat.moderation.services import log_action

from . import recurrence
from .ics import render_fragment
from .models import FAR_FUTURE, Calendar, Event, EventState, Registration
from .rules import publishes_directly

logger = logging.getLogger(__name__)

FEED_VERSION_KEY = "agenda:feed-version"
DEFAULT_ZONE = "Europe/Paris"
EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "state",
    "commune",
    "address",
    "online",
    "online_url",
    "organiser",
    "audience",
    "price",
    "registration_url",
    "capacity",
    "project",
    "organiser_project",
    "image",
    "image_alt",
    "image_credit",
)


def feed_version() -> int:
    version = cache.get(FEED_VERSION_KEY)
    if version is None:
        # A fresh cache starts from the clock so no stale feed can match.
        version = int(timezone.now().timestamp() * 1000)
        cache.add(FEED_VERSION_KEY, version, None)
        version = cache.get(FEED_VERSION_KEY, version)
    return version


def bump_feed_version() -> None:
    """Invalidate every cached feed and API answer."""
    try:
        cache.incr(FEED_VERSION_KEY)
    except ValueError:
        feed_version()


def unique_slug(title: str, start: datetime) -> str:
    base = slugify(f"{title} {start:%Y-%m-%d}")[:180] or "evenement"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def default_calendars(event) -> list[Calendar]:
    """National calendar, the région's and the organiser's (created on demand)."""
    calendars = [
        Calendar.objects.get_or_create(
            slug="national",
            defaults={"name": "Agenda national", "kind": Calendar.Kind.NATIONAL},
        )[0]
    ]
    if event.commune_id:
        region = event.commune.department.region
        calendars.append(
            Calendar.objects.get_or_create(
                slug=f"region-{region.code}",
                defaults={
                    "name": f"Agenda {region.name}",
                    "kind": Calendar.Kind.REGION,
                    "region": region,
                },
            )[0]
        )
    if event.organiser_id:
        calendars.append(
            Calendar.objects.get_or_create(
                slug=f"org-{event.organiser.slug}"[:160],
                defaults={
                    "name": event.organiser.name,
                    "kind": Calendar.Kind.ORGANISATION,
                    "organisation": event.organiser,
                },
            )[0]
        )
    return calendars


def refresh_event(event, *, render=True) -> None:
    """Recompute département, last end and VEVENT text, then save."""
    if event.commune_id:
        event.department_id = event.commune.department_id
    event.search_text = fold(
        " ".join([event.title, event.address, event.description[:2000]])
    )
    if event.parent_id:
        event.last_end = event.end
    else:
        event.last_end = recurrence.last_end(event, FAR_FUTURE)
        if event.pk:
            for override in event.overrides.all():
                event.last_end = max(event.last_end, override.end)
    event.save()
    if render:
        target = event.parent if event.parent_id else event
        target.ics_fragment = render_fragment(target)
        if event.parent_id:
            target.last_end = max(target.last_end, event.end)
        Event.objects.filter(pk=target.pk).update(
            ics_fragment=target.ics_fragment, last_end=target.last_end
        )
    transaction.on_commit(bump_feed_version)


def zone_for(commune, explicit: str = "") -> str:
    if explicit:
        return explicit
    return commune.time_zone if commune is not None else DEFAULT_ZONE


def set_times(event, data: dict) -> None:
    """Apply start/end (local naive datetimes) or dates (all-day) from `data`."""
    event.time_zone = zone_for(data.get("commune"), data.get("time_zone", ""))
    zone = ZoneInfo(event.time_zone)
    if data.get("all_day"):
        first, last = (
            data.get("start_date"),
            data.get("end_date") or data.get("start_date"),
        )
        if not isinstance(first, date):
            raise HabitatError("Indiquez le premier jour.", field="start_date")
        if last < first:
            raise HabitatError(
                "Le dernier jour ne peut pas précéder le premier.", field="end_date"
            )
        event.set_dates(first, last)
        return
    start, end = data.get("start"), data.get("end")
    if not isinstance(start, datetime):
        raise HabitatError("Indiquez la date et l'heure de début.", field="start")
    if end is None:
        end = start + timedelta(hours=2)
    start = start.replace(tzinfo=zone) if start.tzinfo is None else start
    end = end.replace(tzinfo=zone) if end.tzinfo is None else end
    if end < start:
        raise HabitatError("La fin ne peut pas précéder le début.", field="end")
    event.all_day = False
    event.start, event.end = start, end
    event.start_date = event.end_date = None


def _set_image(event, value) -> None:
    """A new image (already cleaned by core.uploads), False to remove it."""
    if value is False:
        event.image = ""
        event.image_alt = event.image_credit = ""
    elif isinstance(value, File) and not isinstance(value, FieldFile):
        event.image.save(value.name, value, save=False)


def _apply(event, data: dict) -> None:
    nullable = {"capacity", "organiser", "commune", "project", "organiser_project"}
    for name in EDITABLE_FIELDS:
        if name in data and name != "image":
            value = data[name]
            if value is None and name not in nullable:
                value = ""
            setattr(event, name, value)
    _set_image(event, data.get("image"))
    if event.project_id and not event.commune_id:
        event.commune = event.project.commune
    if not (event.title or "").strip():
        raise HabitatError("Donnez un titre à l'événement.", field="title")
    if event.online and not event.online_url and not event.commune_id:
        raise HabitatError(
            "Indiquez le lien de connexion de l'événement en ligne.",
            field="online_url",
        )
    if not event.online and not event.commune_id:
        raise HabitatError(
            "Indiquez la commune, ou cochez « en ligne ».", field="commune"
        )


@transaction.atomic
def propose_event(*, author, data: dict, calendars=None) -> Event:
    """A verified person proposes an event.

    Side effects: the event is published directly when the author edits the
    organiser (or is on the national team), else it waits in the territory's
    moderation queue; one ModerationLog line; the feeds' version bumped.
    """
    if not author.has_perm("agenda.propose_event"):
        raise HabitatError(
            "Confirmez votre adresse e-mail avant de proposer un événement.",
            code="forbidden",
        )
    event = Event(author=author)
    _apply(event, data)
    if event.organiser_project and not author.has_perm(
        "projects.change_project", event.organiser_project
    ):
        raise HabitatError(
            "Seuls les éditeurs du projet publient en son nom.",
            field="organiser_project",
        )
    if event.organiser and not publishes_directly(author, event.organiser):
        if not event.organiser.memberships.filter(user=author).exists():
            raise HabitatError(
                "Vous ne pouvez proposer un événement qu'au nom d'une "
                "organisation dont vous êtes membre.",
                field="organiser",
            )
    set_times(event, data)
    event.rrule = recurrence.normalize_rrule(
        data.get("rrule", ""), zone=event.zone, all_day=event.all_day
    )
    event.slug = unique_slug(event.title, event.local_start)
    direct = publishes_directly(author, event.organiser) or bool(
        event.organiser_project
        and author.has_perm("projects.change_project", event.organiser_project)
    )
    event.status = Status.PUBLISHED if direct else Status.PENDING
    event.published_at = timezone.now() if direct else None
    refresh_event(event)
    event.calendars.set(calendars or default_calendars(event))
    log_action(
        obj=event,
        action=ModerationLog.Action.APPROVED
        if direct
        else ModerationLog.Action.SUBMITTED,
        actor=author,
    )
    logger.info("Event %s proposed (%s)", event.pk, event.status)
    return event


def _check_can_change(actor, event) -> None:
    if not actor.has_perm("agenda.change_event", event):
        raise HabitatError(
            "Vous ne pouvez pas modifier cet événement.", code="forbidden"
        )


def _changes(before: dict, event) -> dict:
    return {
        key: {"old": str(value), "new": str(getattr(event, key))}
        for key, value in before.items()
        if value != getattr(event, key)
    }


@transaction.atomic
def update_event(
    *, event, actor, data: dict, scope: str = "all", occurrence_start=None
) -> Event:
    """Change an event, or for a series one occurrence / this and following.

    `scope` is "this" (an override row for the occurrence that starts at
    `occurrence_start`), "following" (the series ends before it and a new
    series starts there, with the overrides after it) or "all". When the
    dates of a series move, the keys naming them (registrations, overrides,
    EXDATEs) move by the same wall-clock shift.
    Side effects: an EDITED line in the moderation log, feeds bumped; when
    the changed dates are cancelled, postponed or moved, one
    `tasks.notify_registrants` queued after the commit, which e-mails their
    confirmed and waiting registrants.
    """
    _check_can_change(actor, event)
    if event.rrule and scope in ("this", "following"):
        if occurrence_start is None:
            raise HabitatError("Choisissez l'occurrence à modifier.", field="scope")
        if scope == "this":
            return _update_occurrence(event, actor, data, occurrence_start)
        return _split_series(event, actor, data, occurrence_start)

    before = {name: getattr(event, name) for name in EDITABLE_FIELDS + ("start",)}
    before_local_start = event.local_start
    before_zone, before_rrule = event.zone, event.rrule
    _apply(event, data)
    if any(key in data for key in ("start", "start_date", "all_day")):
        set_times(event, data)
    if "rrule" in data:
        event.rrule = recurrence.normalize_rrule(
            data["rrule"], zone=event.zone, all_day=event.all_day
        )
    shift = _wall_clock_shift(before_local_start, event)
    # A series moved as a whole takes its dates' keys along (registrations,
    # overrides, EXDATEs), so they keep naming the same occurrences.
    if before_rrule and event.rrule and shift:
        _shift_series_keys(event, before_zone, shift)
    event.sequence += 1
    refresh_event(event)
    if event.capacity and (before["capacity"] or 0) < event.capacity:
        fill_seats(event)
    kind = _change_kind(event, before["state"], before["start"])
    if kind:
        _notify_registrants(event, kind)
    log_action(
        obj=event,
        action=ModerationLog.Action.EDITED,
        actor=actor,
        changes=_changes(before, event),
    )
    return event


def _change_kind(source, state_before: str, start_before: datetime) -> str | None:
    """What registrants must hear about: cancelled, postponed, moved or nothing."""
    if source.state != state_before and source.state in (
        EventState.CANCELLED,
        EventState.POSTPONED,
    ):
        return source.state
    if source.start != start_before and source.state != EventState.CANCELLED:
        return "moved"
    return None


def _wall_clock_shift(local_start_before: datetime, event) -> timedelta:
    """How far the local start moved (a series' dates all move by this)."""
    return event.local_start.replace(tzinfo=None) - local_start_before.replace(
        tzinfo=None
    )


def _shift_key(moment: datetime, old_zone: ZoneInfo, event, shift) -> datetime:
    """An occurrence's original start once its series moved by `shift`: the
    same wall-clock move in every date, so the local hour survives summer
    time; all-day series keep their keys at local midnight."""
    local = moment.astimezone(old_zone).replace(tzinfo=None) + shift
    if event.all_day:
        return datetime.combine(local.date(), time(), event.zone)
    return local.replace(tzinfo=event.zone)


def _shift_exdate(value: str, event, shift) -> str:
    local = datetime.fromisoformat(value).replace(tzinfo=None) + shift
    return recurrence.exdate_key(local.date() if event.all_day else local)


def _shift_series_keys(event, old_zone: ZoneInfo, shift: timedelta) -> None:
    """Move the keys of a series' dates by the wall-clock `shift` of its start.

    Registrations and overrides are named by the original start of their
    occurrence and EXDATEs by its local start: left behind, they would name
    dates the series no longer has. One UPDATE per date, latest first when
    the series moves later (earliest first when earlier), so that a key never
    lands on one not yet moved (the unique constraints are checked per row).
    """
    event.exdates = [_shift_exdate(value, event, shift) for value in event.exdates]
    later = shift > timedelta(0)

    def moves(keys):
        pairs = [(key, _shift_key(key, old_zone, event, shift)) for key in keys]
        return sorted(pairs, key=lambda pair: pair[0], reverse=later)

    registration_keys = set(
        Registration.objects.filter(event=event)
        .exclude(occurrence_start=None)
        .values_list("occurrence_start", flat=True)
    )
    for old, new in moves(registration_keys):
        Registration.objects.filter(event=event, occurrence_start=old).update(
            occurrence_start=new
        )
    override_keys = set(
        Event.objects.filter(parent=event).values_list("recurrence_id", flat=True)
    )
    for old, new in moves(override_keys):
        Event.objects.filter(parent=event, recurrence_id=old).update(
            recurrence_id=new, sequence=F("sequence") + 1, updated_at=timezone.now()
        )
    # Renders and feeds must read the moved overrides, not a prefetched list.
    getattr(event, "_prefetched_objects_cache", {}).pop("overrides", None)


def _notify_registrants(event, kind, *, keys=None) -> None:
    """Queue one `notify_registrants` task after the commit, if anyone is
    registered to `event` (keys: the changed dates of a series; None: all)."""
    from .tasks import notify_registrants

    registrations = event.registrations.active()
    if keys is not None:
        registrations = registrations.filter(occurrence_start__in=keys)
    if not registrations.exists():
        return
    args = (event.pk, kind, None if keys is None else [k.isoformat() for k in keys])
    transaction.on_commit(lambda: notify_registrants.enqueue(*args))


def _occurrence_key(event, occurrence_start: datetime) -> datetime:
    local = occurrence_start.astimezone(event.zone)
    wanted = recurrence.exdate_key(local.date() if event.all_day else local)
    for start in recurrence.rule_starts(event, until=local + timedelta(seconds=1)):
        key = recurrence.exdate_key(start.date() if event.all_day else start)
        if key == wanted:
            return start
    raise HabitatError("Cette occurrence n'existe pas dans la série.", field="scope")


def _update_occurrence(event, actor, data, occurrence_start) -> Event:
    original = _occurrence_key(event, occurrence_start)
    override = event.overrides.filter(recurrence_id=original).first()
    if override is None:
        override = Event(
            parent=event,
            recurrence_id=original,
            title=event.title,
            status=event.status,
            published_at=event.published_at,
            author=event.author,
            source=None,
            **{
                name: getattr(event, name)
                for name in EDITABLE_FIELDS
                if name not in ("title",)
            },
        )
        override.time_zone = event.time_zone
        duration = event.end - event.start
        if event.all_day:
            override.set_dates(
                original.date(), original.date() + duration - timedelta(days=1)
            )
        else:
            override.start, override.end = original, original + duration
    state_before, start_before = override.state, override.start
    _apply(override, data)
    if any(key in data for key in ("start", "start_date")):
        set_times(override, data)
    override.sequence += 1
    refresh_event(override)
    if override.capacity:
        fill_seats(event)
    kind = _change_kind(override, state_before, start_before)
    if kind:
        _notify_registrants(event, kind, keys=[original])
    event.sequence += 1
    Event.objects.filter(pk=event.pk).update(sequence=event.sequence)
    log_action(
        obj=event,
        action=ModerationLog.Action.EDITED,
        actor=actor,
        changes={"occurrence": {"old": "", "new": original.isoformat()}},
    )
    return override


def _split_series(event, actor, data, occurrence_start) -> Event:
    original = _occurrence_key(event, occurrence_start)
    if original.astimezone(UTC) <= event.start.astimezone(UTC):
        return update_event(event=event, actor=actor, data=data, scope="all")

    # The new series continues the old rule from the chosen occurrence on.
    rule = recurrence._rule(event.rrule, recurrence._series_start(event))
    remaining_rule = _rule_from(event.rrule, rule, event, original)
    moved_overrides = list(event.overrides.filter(recurrence_id__gte=original))
    later_exdates = [
        value
        for value in event.exdates
        if value
        >= recurrence.exdate_key(
            original.date() if event.all_day else original.replace(tzinfo=None)
        )
    ]

    event.rrule = _until_before(event.rrule, original, event.all_day)
    event.exdates = [value for value in event.exdates if value not in later_exdates]
    event.sequence += 1
    refresh_event(event)

    duration = event.end - event.start
    follower = Event(
        title=event.title,
        status=event.status,
        published_at=event.published_at,
        author=event.author,
        time_zone=event.time_zone,
        rrule=remaining_rule,
        exdates=later_exdates,
        **{name: getattr(event, name) for name in EDITABLE_FIELDS if name != "title"},
    )
    if event.all_day:
        follower.set_dates(
            original.date(), original.date() + duration - timedelta(days=1)
        )
    else:
        follower.start, follower.end = original, original + duration
    _apply(follower, data)
    if any(key in data for key in ("start", "start_date")):
        set_times(follower, data)
    follower.slug = unique_slug(follower.title, follower.local_start)
    refresh_event(follower, render=False)
    follower.calendars.set(event.calendars.all())
    for override in moved_overrides:
        override.parent = follower
        override.save(update_fields=["parent"])
    # Registrations follow their dates into the new series.
    Registration.objects.filter(event=event, occurrence_start__gte=original).update(
        event=follower
    )
    # A new start moves the new series' dates: their keys move with them.
    shift = _wall_clock_shift(original.astimezone(event.zone), follower)
    if shift:
        _shift_series_keys(follower, event.zone, shift)
    refresh_event(follower)
    kind = _change_kind(follower, event.state, original)
    if kind:
        _notify_registrants(follower, kind)
    log_action(
        obj=follower,
        action=ModerationLog.Action.EDITED,
        actor=actor,
        changes={"split_from": {"old": "", "new": event.slug}},
    )
    return follower


def _rule_from(text: str, rule, event, original) -> str:
    """The RRULE for occurrences from `original` on (COUNT reduced)."""
    parts = dict(part.split("=", 1) for part in text.split(";"))
    if "COUNT" in parts:
        done = _count_before(rule, event, original)
        parts["COUNT"] = str(max(int(parts["COUNT"]) - done, 1))
    return ";".join(f"{key}={value}" for key, value in parts.items())


def _count_before(rule, event, original) -> int:
    count = 0
    for moment in rule:
        moment = recurrence._localise(event, moment)
        if moment >= original:
            break
        count += 1
    return count


def _until_before(text: str, original: datetime, all_day: bool) -> str:
    parts = dict(part.split("=", 1) for part in text.split(";"))
    parts.pop("COUNT", None)
    if all_day:
        parts["UNTIL"] = (original.date() - timedelta(days=1)).strftime("%Y%m%d")
    else:
        until = original.astimezone(UTC) - timedelta(seconds=1)
        parts["UNTIL"] = until.strftime("%Y%m%dT%H%M%SZ")
    return ";".join(f"{key}={value}" for key, value in parts.items())


@transaction.atomic
def cancel_event(*, event, actor) -> Event:
    """Mark an event cancelled: it stays visible, marked as such."""
    return update_event(event=event, actor=actor, data={"state": EventState.CANCELLED})


REGISTRATION_SALT = "agenda.registration.cancel"


@dataclass
class RegistrationDate:
    """One date open to registration: its key, the row holding its details."""

    key: datetime | None  # the occurrence's original start; None: no series
    source: Event  # the override of this date, or the event itself
    end: datetime

    @property
    def capacity(self) -> int | None:
        return self.source.capacity

    @property
    def local_start(self) -> datetime:
        """When this date starts, in the event's zone: the override's own
        start, else the occurrence's (not the series' first date)."""
        if self.key is not None and self.source.recurrence_id is None:
            return self.key.astimezone(self.source.zone)
        return self.source.local_start


def registration_date(event, occurrence_start=None) -> RegistrationDate:
    """The date of `event` a registration is for, or HabitatError.

    A recurring series needs `occurrence_start` (the original start of one of
    its occurrences); an event that does not repeat ignores it.
    """
    if not event.rrule:
        return RegistrationDate(key=None, source=event, end=event.end)
    if occurrence_start is None:
        raise HabitatError("Choisissez une date.", field="occurrence")
    key = _occurrence_key(event, occurrence_start)
    override = event.overrides.filter(recurrence_id=key).first()
    if override is not None:
        return RegistrationDate(key=key, source=override, end=override.end)
    return RegistrationDate(key=key, source=event, end=key + (event.end - event.start))


def _enqueue_mail(registration_id: int, kind: str) -> None:
    from .tasks import send_registration_mail

    transaction.on_commit(lambda: send_registration_mail.enqueue(registration_id, kind))


@transaction.atomic
def register(*, event, user, occurrence_start=None) -> Registration:
    """Book a seat at one date, or a place on its waiting list when it is full.

    Side effects: one Registration row (private to the organisers); a
    confirmation e-mail (seat or waiting list) queued for the task worker.
    """
    if not user.has_perm("agenda.register"):
        raise HabitatError(
            "Confirmez votre adresse e-mail pour vous inscrire.", code="forbidden"
        )
    event = Event.objects.select_for_update().get(pk=event.pk)
    when = registration_date(event, occurrence_start)
    if (
        when.capacity is None
        or not event.is_published
        or event.is_cancelled
        or when.source.is_cancelled
    ):
        raise HabitatError("Cette date ne prend pas d'inscription ici.")
    if when.end <= timezone.now():
        raise HabitatError("Cette date est passée.")

    registrations = event.registrations.for_date(when.key)
    existing = registrations.filter(user=user).first()
    if existing and existing.state != Registration.State.CANCELLED:
        raise HabitatError("Vous êtes déjà inscrit·e à cette date.")
    taken = registrations.filter(state=Registration.State.CONFIRMED).count()
    state = (
        Registration.State.CONFIRMED
        if taken < when.capacity
        else Registration.State.WAITING
    )

    if existing:
        # Back at the end of the queue; the new date also voids old cancel links.
        existing.state, existing.created_at = state, timezone.now()
        existing.save(update_fields=["state", "created_at"])
        registration = existing
    else:
        registration = Registration.objects.create(
            event=event, occurrence_start=when.key, user=user, state=state
        )
    _enqueue_mail(registration.pk, state)
    logger.info("Registration %s at event %s: %s", registration.pk, event.pk, state)
    return registration


@transaction.atomic
def cancel_registration(*, registration) -> Registration | None:
    """Free a seat; the first person on that date's waiting list takes it.

    Returns the promoted registration, if any. Side effects: the promoted
    person is told by e-mail (queued). Cancelling twice does nothing.
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.state == Registration.State.CANCELLED:
        return None
    was_confirmed = registration.state == Registration.State.CONFIRMED
    registration.state = Registration.State.CANCELLED
    registration.save(update_fields=["state"])
    logger.info("Registration %s cancelled", registration.pk)
    if not was_confirmed:
        return None
    return _promote_waiting(event, registration.occurrence_start)


def _promote_waiting(event, key) -> Registration | None:
    try:
        when = registration_date(event, key)
    except HabitatError:
        return None  # the date left the series: nobody to promote
    registrations = event.registrations.for_date(key)
    taken = registrations.filter(state=Registration.State.CONFIRMED).count()
    if when.capacity is None or taken >= when.capacity:
        return None
    waiting = registrations.filter(state=Registration.State.WAITING).first()
    if waiting is None:
        return None
    waiting.state = Registration.State.CONFIRMED
    waiting.save(update_fields=["state"])
    _enqueue_mail(waiting.pk, "promoted")
    logger.info("Registration %s promoted from the waiting list", waiting.pk)
    return waiting


@transaction.atomic
def unregister(*, event, user, occurrence_start=None) -> Registration | None:
    """A signed-in person cancels their registration at one date."""
    key = registration_date(event, occurrence_start).key if event.rrule else None
    registration = event.registrations.for_date(key).filter(user=user).active().first()
    if registration is None:
        raise HabitatError("Vous n'êtes pas inscrit·e à cette date.")
    return cancel_registration(registration=registration)


def fill_seats(event) -> list[Registration]:
    """Promote waiting people of every date where seats are free again.

    Called when an organiser raises a capacity. Side effects: an e-mail queued
    for each promoted person.
    """
    keys = set(
        event.registrations.filter(state=Registration.State.WAITING).values_list(
            "occurrence_start", flat=True
        )
    )
    promoted = []
    for key in keys:
        while (registration := _promote_waiting(event, key)) is not None:
            promoted.append(registration)
    return promoted


def cancel_token(registration) -> str:
    """Signed token of the cancel link sent by e-mail (no sign-in needed)."""
    stamp = int(registration.created_at.timestamp())
    return signing.dumps({"r": registration.pk, "t": stamp}, salt=REGISTRATION_SALT)


def registration_from_token(token: str) -> Registration:
    """The registration a cancel link names, or HabitatError."""
    try:
        data = signing.loads(token, salt=REGISTRATION_SALT)
        registration = Registration.objects.select_related("event").get(pk=data["r"])
    except (signing.BadSignature, KeyError, TypeError, Registration.DoesNotExist):
        raise HabitatError("Ce lien d'annulation n'est pas valide.")
    if int(registration.created_at.timestamp()) != data.get("t"):
        raise HabitatError("Ce lien d'annulation a été remplacé par un plus récent.")
    return registration


def seats_by_date(event) -> dict:
    """Confirmed and waiting counts per date key, in one query."""
    rows = (
        event.registrations.active()
        .values("occurrence_start", "state")
        .annotate(count=Count("id"))
    )
    counts: dict = {}
    for row in rows:
        entry = counts.setdefault(
            row["occurrence_start"], {"confirmed": 0, "waiting": 0}
        )
        entry[row["state"]] = row["count"]
    return counts
