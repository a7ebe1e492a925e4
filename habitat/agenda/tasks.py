"""Background work of the agenda, run by `manage.py db_worker`.

`refresh_subscriptions` re-enqueues one `refresh_source` per subscription;
schedule it (cron, systemd timer) with `manage.py import_events --subscriptions`.
`send_registration_mail` tells a person their registration is confirmed, on
the waiting list, or promoted from it, with a link to cancel.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.translation import override
from django_tasks import task

from habitat.core import outbox
from habitat.core.exceptions import HabitatError

from . import importer
from .models import Registration, Source

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


def _when_text(event, registration) -> str:
    from .services import registration_date

    when = registration_date(event, registration.occurrence_start)
    start = when.source.local_start
    if event.all_day:
        text = dateformat.format(start, "l j F Y")
    else:
        text = dateformat.format(start, "l j F Y, H\\hi")
        if event.time_zone != "Europe/Paris":
            text += f" (heure locale {event.time_zone})"
    return text


@task()
def send_registration_mail(registration_id: int, kind: str) -> bool:
    """E-mail about a registration: `kind` is confirmed, waiting or promoted."""
    from .services import cancel_token

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
                "cancel_url": site
                + event.get_absolute_url()
                + "inscription/?"
                + urlencode({"jeton": cancel_token(registration)}),
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
