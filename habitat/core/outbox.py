"""The outbox: every notification e-mail is recorded, then sent exactly once.

    from habitat.core import outbox
    outbox.send(EmailMessage(subject=..., body=..., to=[...], reply_to=[...]))
    outbox.send_mail(subject, body, None, [recipient])

`send()` writes an `OutboxMail` row and queues `deliver_mail` in the caller's
transaction (the database task backend stores the task in the same
transaction, so a rolled-back write sends nothing). Delivery locks the row,
marks it sent, hands the message to the SMTP server and commits: a worker
killed before the commit leaves the row unsent and unlocked, and it is sent
again later; a committed row is never sent again. The only window left is
the server's final "250" arriving just before the worker dies and its commit
is lost (one round trip); the stable Message-ID lets the receiving side spot
such a duplicate.

django-tasks-db never requeues a task left RUNNING by a killed worker, so
`resume()` re-enqueues every unsent row whose task is no longer waiting: the
worker runs it at startup (`manage.py db_worker`, see core's override) and
cron every hour (`run_periodic hourly` -> `resume_outbox`).
"""

import logging
import uuid
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SMTP_TIMEOUT = 30


def send(message: EmailMessage):
    """Record `message` in the outbox and queue its delivery; return the row.

    Side effects: one OutboxMail row and one queued `deliver_mail` task (run
    at once by the immediate backend in tests and development).
    """
    from .models import OutboxMail

    alternatives = [
        [content, mimetype]
        for content, mimetype in getattr(message, "alternatives", [])
    ]
    if message.attachments:
        raise ValueError("The outbox does not carry attachments.")
    with transaction.atomic():
        mail = OutboxMail.objects.create(
            subject=str(message.subject),
            body=str(message.body),
            from_email=message.from_email or "",
            to=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            reply_to=list(message.reply_to),
            headers=dict(message.extra_headers),
            alternatives=alternatives,
        )
        enqueue(mail)
    return mail


def send_mail(subject, message, from_email, recipient_list, *, html_message=None):
    """`django.core.mail.send_mail`, through the outbox."""
    email = EmailMultiAlternatives(
        subject=subject, body=message, from_email=from_email, to=recipient_list
    )
    if html_message:
        email.attach_alternative(html_message, "text/html")
    return send(email)


def enqueue(mail) -> None:
    result = deliver_mail.enqueue(mail.pk)
    type(mail).objects.filter(pk=mail.pk, sent_at__isnull=True).update(
        task_id=str(result.id)[:64]
    )


def message_id(mail) -> str:
    """A Message-ID that stays the same if the mail is ever sent again."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    domain = domain or urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<outbox.{mail.pk}.{int(mail.created_at.timestamp())}@{domain}>"


def build_message(mail, connection) -> EmailMultiAlternatives:
    headers = {"Message-ID": message_id(mail), **mail.headers}
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email or None,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=headers,
        connection=connection,
    )
    for content, mimetype in mail.alternatives:
        message.attach_alternative(content, mimetype)
    return message


class _SendFailed(Exception):
    pass


def deliver(mail_id: int) -> bool:
    """Send one outbox row unless it is sent, given up or being sent now.

    Returns True when this call sent it. Side effects: the e-mail, and the
    row's sent_at (committed with the send) or its attempts/last_error.
    """
    from .models import OutboxMail

    connection = get_connection(fail_silently=False, timeout=SMTP_TIMEOUT)
    try:
        with transaction.atomic():
            mail = (
                OutboxMail.objects.select_for_update(skip_locked=True)
                .filter(pk=mail_id, sent_at__isnull=True, gave_up_at__isnull=True)
                .first()
            )
            if mail is None:
                return False
            mail.sent_at = timezone.now()
            mail.attempts += 1
            mail.save(update_fields=["sent_at", "attempts"])
            try:
                # Opened here, closed after the commit: the QUIT round trip
                # stays outside the window between "accepted" and "recorded".
                connection.open()
                if not connection.send_messages([build_message(mail, connection)]):
                    raise _SendFailed("no recipient accepted")
            except Exception as error:
                raise _SendFailed(f"{type(error).__name__}: {error}") from error
    except _SendFailed as failure:
        record_failure(mail_id, str(failure))
        return False
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 (the mail is already recorded)
            logger.warning("Closing the SMTP connection failed", exc_info=True)
    logger.info("Outbox mail %s sent", mail_id)
    return True


def record_failure(mail_id: int, error: str) -> None:
    from django.db.models import F

    from .models import OutboxMail

    OutboxMail.objects.filter(pk=mail_id, sent_at__isnull=True).update(
        attempts=F("attempts") + 1, last_error=error[:2000]
    )
    OutboxMail.objects.filter(
        pk=mail_id, sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS
    ).update(gave_up_at=timezone.now())
    logger.warning("Outbox mail %s not sent: %s", mail_id, error)


@task()
def deliver_mail(mail_id: int) -> bool:
    return deliver(mail_id)


def waiting_task_ids(task_ids) -> set[str]:
    """Ids among `task_ids` still queued (READY) in the database backend."""
    from django_tasks import task_backends
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[deliver_mail.backend], DatabaseBackend):
        return set()
    valid = []
    for task_id in task_ids:
        try:
            valid.append(uuid.UUID(task_id))
        except (TypeError, ValueError):
            continue
    if not valid:
        return set()
    return {
        str(pk)
        for pk in DBTaskResult.objects.filter(
            id__in=valid, status=TaskResultStatus.READY
        ).values_list("id", flat=True)
    }


def resume(*, older_than: timedelta = timedelta(0), limit: int = 5000) -> int:
    """Queue again every unsent row whose delivery task is no longer waiting.

    Covers a worker killed while sending (its task stays RUNNING forever) and
    failed attempts. Returns how many rows were queued again.
    """
    from .models import OutboxMail

    rows = list(
        OutboxMail.objects.filter(
            sent_at__isnull=True,
            gave_up_at__isnull=True,
            created_at__lte=timezone.now() - older_than,
        )
        .order_by("pk")
        .values_list("pk", "task_id")[:limit]
    )
    waiting = waiting_task_ids([task_id for _, task_id in rows])
    queued = 0
    for pk, task_id in rows:
        if task_id and task_id in waiting:
            continue
        with transaction.atomic():
            enqueue(OutboxMail(pk=pk))
        queued += 1
    if queued:
        logger.info("Outbox: %s unsent mail(s) queued again", queued)
    return queued
