"""Background work of the agenda, run by `manage.py db_worker`.

`refresh_subscriptions` re-enqueues one `refresh_source` per subscription;
schedule it (cron, systemd timer) with `manage.py import_events --subscriptions`.
`send_registration_mail` tells a person their registration is confirmed, on
the waiting list, or promoted from it, with a link to cancel.
`notify_registrants` tells everyone registered to the changed dates of an
event that they are cancelled, postponed or moved (services queue it).
Every mail goes through the outbox.
"""

import logging
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from habitat.core import outbox
from habitat.core.exceptions import HabitatError

from . import importer
from .models import Event, Registration, Source

logger = logging.getLogger(__name__)


@task()
def refresh_source(source_id: int) -> dict:
    source = Source.objects.filter(pk=source_id).exclude(url="").first()
    if source is None:
        return {}
    try:
        report = importer.fetch_source(source=source)
    except HabitatError as error:
        logger.warning("Subscription %s failed: %s", source.name, error.message)
        return {"error": error.message}
    return report.summary if report else {"not_modified": 1}


@task()
def refresh_subscriptions() -> int:
    ids = list(Source.objects.exclude(url="").values_list("pk", flat=True))
    for source_id in ids:
        refresh_source.enqueue(source_id)
    return len(ids)


MAIL_SUBJECTS = {
    "confirmed": "Inscription confirmée : {title}",
    "waiting": "Liste d'attente : {title}",
    "promoted": "Une place s'est libérée : {title}",
}


def _format_when(event, start: datetime) -> str:
    """A date in French, at the local time of the event's place."""
    start = start.astimezone(event.zone)
    if event.all_day:
        return dateformat.format(start, "l j F Y")
    text = dateformat.format(start, "l j F Y, H\\hi")
    if event.time_zone != "Europe/Paris":
        text += " " + _("(heure locale %(zone)s)") % {"zone": event.time_zone}
    return text


def _when_text(event, registration) -> str:
    from .services import registration_date

    when = registration_date(event, registration.occurrence_start)
    return _format_when(event, when.local_start)


def _cancel_url(event, registration) -> str:
    from .services import cancel_token

    return (
        settings.SITE_URL.rstrip("/")
        + event.get_absolute_url()
        + "inscription/?"
        + urlencode({"jeton": cancel_token(registration)})
    )


@task()
def send_registration_mail(registration_id: int, kind: str) -> bool:
    """E-mail about a registration: `kind` is confirmed, waiting or promoted."""
    registration = (
        Registration.objects.select_related("event__commune", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or kind not in MAIL_SUBJECTS:
        return False
    if registration.state == Registration.State.CANCELLED:
        return False  # cancelled before the worker got to it
    event = registration.event
    site = settings.SITE_URL.rstrip("/")
    with override("fr"):
        body = render_to_string(
            f"agenda/email/registration_{kind}.txt",
            {
                "event": event,
                "when": _when_text(event, registration),
                "place": event.address or (event.commune.name if event.commune else ""),
                "event_url": site + event.get_absolute_url(),
                "cancel_url": _cancel_url(event, registration),
            },
        )
    outbox.send(
        EmailMessage(
            subject="[Habitat Ensemble] "
            + MAIL_SUBJECTS[kind].format(title=" ".join(event.title.split())[:120]),
            body=body,
            to=[registration.user.email],
        )
    )
    logger.info("Registration mail %s sent for registration %s", kind, registration.pk)
    return True


CHANGE_KINDS = ("cancelled", "postponed", "moved")


def change_subject(kind: str, title: str) -> str:
    subjects = {
        "cancelled": _("Annulé : %(title)s"),
        "postponed": _("Reporté : %(title)s"),
        "moved": _("Changement d'horaire : %(title)s"),
    }
    return "[Habitat Ensemble] " + subjects[kind] % {
        "title": " ".join(title.split())[:120]
    }


def _changed_date(event, key, overrides):
    """The row holding one registration date now, its start and its end (the
    keys of a moved series already moved with it: see services)."""
    if key is None or not event.rrule:  # an event that does not repeat
        return event, event.start, event.end
    override = overrides.get(key)
    if override is not None:
        return override, override.start, override.end
    return event, key, key + (event.end - event.start)


@task()
def notify_registrants(event_id: int, kind: str, keys: list[str] | None = None) -> int:
    """Tell the people registered to the changed dates of an event.

    `kind` is cancelled, postponed or moved; `keys` the ISO original starts
    of the changed dates of a series (None: every date of the event). Each active registration (confirmed or waiting) of a
    date still to come gets one e-mail, through the outbox. Returns how many.
    """
    event = Event.objects.select_related("commune").filter(pk=event_id).first()
    if event is None or kind not in CHANGE_KINDS:
        return 0
    registrations = event.registrations.active().select_related("user")
    if keys is not None:
        registrations = registrations.filter(
            occurrence_start__in=[datetime.fromisoformat(key) for key in keys]
        )
    overrides = (
        {o.recurrence_id: o for o in event.overrides.all()} if event.rrule else {}
    )
    now = timezone.now()
    site = settings.SITE_URL.rstrip("/")
    sent = 0
    for registration in registrations:
        key = registration.occurrence_start
        source, start, end = _changed_date(event, key, overrides)
        if end <= now:
            continue  # a past date: nothing to tell
        if kind == "moved" and keys is None and source is not event:
            continue  # a date changed on its own earlier did not move with the series
        if kind != "moved" and source.state != kind:
            continue  # this date keeps its own state
        with override("fr"):
            body = render_to_string(
                "agenda/email/event_changed.txt",
                {
                    "kind": kind,
                    "event": source,
                    "series": bool(event.rrule),
                    "when": _format_when(event, start),
                    "waiting": registration.state == Registration.State.WAITING,
                    "event_url": site + event.get_absolute_url(),
                    "cancel_url": _cancel_url(event, registration),
                },
            )
            subject = change_subject(kind, source.title)
        outbox.send(
            EmailMessage(subject=subject, body=body, to=[registration.user.email])
        )
        sent += 1
    logger.info("Change notice %s for event %s: %s mail(s)", kind, event_id, sent)
    return sent
