"""Queued e-mails of the directory: relay messages and yearly confirmations."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from habitat.core import outbox
from habitat.moderation.models import Status

logger = logging.getLogger(__name__)

CONFIRM_EVERY = timedelta(days=365)
ASK_AGAIN_AFTER = timedelta(days=60)


def absolute(path: str) -> str:
    base = getattr(settings, "SITE_URL", "") or "https://habitat-ensemble.fr"
    return base.rstrip("/") + path


@task()
def send_relay_message(project_id: int, name: str, email: str, message: str) -> None:
    from . import relay
    from .models import Project

    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return
    to = relay.recipients(project)
    if not to:
        logger.warning("Relay message for project %s has no recipient", project_id)
        return
    body = render_to_string(
        "projects/email/relay.txt",
        {"project": project, "name": name, "message": message},
    )
    outbox.send(
        EmailMessage(
            subject=f"[Habitat Ensemble] Message pour « {project.name} »",
            body=body,
            to=to,
            reply_to=[email],
        )
    )
    logger.info("Relay message sent for project %s", project_id)


@task()
def send_confirmation_request(project_id: int) -> None:
    """Ask the group whether its sheet is still current (one-click link)."""
    from . import relay
    from .models import Project
    from .services import confirmation_token

    project = Project.objects.filter(pk=project_id, status=Status.PUBLISHED).first()
    if project is None:
        return
    to = relay.recipients(project)
    if not to:
        return
    link = absolute(
        reverse(
            "projects:confirm",
            kwargs={"slug": project.slug, "token": confirmation_token(project)},
        )
    )
    body = render_to_string(
        "projects/email/confirm.txt",
        {
            "project": project,
            "link": link,
            "edit": absolute(reverse("projects:edit", args=[project.slug])),
        },
    )
    outbox.send(
        EmailMessage(
            subject=f"[Habitat Ensemble] « {project.name} » est-elle à jour ?",
            body=body,
            to=to,
        )
    )
    logger.info("Confirmation request sent for project %s", project_id)


@task()
def send_confirmation_requests() -> int:
    """Queue a request for every published sheet not confirmed for a year."""
    from .models import Project

    now = timezone.now()
    due = now - CONFIRM_EVERY
    not_asked_lately = Q(confirmation_requested_at=None) | Q(
        confirmation_requested_at__lt=now - ASK_AGAIN_AFTER
    )
    sheets = Project.objects.published().filter(not_asked_lately)
    ids = list(
        sheets.filter(
            Q(last_verified_at__lt=due) | Q(last_verified_at=None, created_at__lt=due)
        ).values_list("pk", flat=True)
    )
    Project.objects.filter(pk__in=ids).update(confirmation_requested_at=now)
    for project_id in ids:
        send_confirmation_request.enqueue(project_id)
    logger.info("Queued %d confirmation requests", len(ids))
    return len(ids)
