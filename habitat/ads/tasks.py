"""E-mails of the ads: renewal reminders, saved-search alerts.

Answers to an ad go through the message box (see `relay`), not from here.

Reminders and digests are run by `manage.py ads_send_reminders` and
`manage.py ads_send_alerts daily|weekly` from cron; immediate alerts are queued
when an ad gets published.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from habitat.core import outbox

from .forms import AdFilterForm
from .models import Ad, SavedSearch

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(days=7)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_reminder(ad: Ad) -> None:
    from .services import renewal_token

    body = render_to_string(
        "ads/email/reminder.txt",
        {
            "ad": ad,
            "renew_url": absolute(
                reverse("ads:renew", kwargs={"token": renewal_token(ad)})
            ),
            "ad_url": absolute(ad.get_absolute_url()),
        },
    )
    outbox.send_mail(
        f"[Habitat Ensemble] Votre annonce « {ad.title} » expire bientôt",
        body,
        None,
        [ad.author.email],
    )


@task()
def send_renewal_reminders() -> int:
    """E-mail the authors of ads that expire within a week, once per period."""
    now = timezone.now()
    due = (
        Ad.objects.visible()
        .filter(expires_at__lte=now + REMINDER_BEFORE, reminded_at__isnull=True)
        .select_related("author")
    )
    sent = 0
    for ad in due:
        if ad.author.deleted_at:
            continue
        send_reminder(ad)
        Ad.objects.filter(pk=ad.pk).update(reminded_at=now)
        sent += 1
    logger.info("Renewal reminders sent: %s", sent)
    return sent


def ads_for_search(search: SavedSearch, since):
    form = AdFilterForm(search.query)
    return (
        Ad.objects.visible()
        .matching(form.criteria())
        .filter(published_at__gt=since)
        .select_related("commune")
        .order_by("-published_at")
    )


def send_alert(search: SavedSearch, ads: list[Ad]) -> None:
    body = render_to_string(
        "ads/email/alert.txt",
        {
            "search": search,
            "ads": [(ad, absolute(ad.get_absolute_url())) for ad in ads],
            "unsubscribe_url": absolute(
                reverse("ads:unsubscribe", kwargs={"token": search.token})
            ),
            "list_url": absolute(reverse("ads:list")),
        },
    )
    message = EmailMessage(
        subject=f"[Habitat Ensemble] {len(ads)} nouvelle(s) annonce(s) : {search}",
        body=body,
        to=[search.user.email],
        headers={
            "List-Unsubscribe": "<"
            + absolute(reverse("ads:unsubscribe", kwargs={"token": search.token}))
            + ">"
        },
    )
    outbox.send(message)


@task()
def send_search_alerts(frequency: str) -> int:
    """Send each active search of `frequency` the ads published since last time."""
    now = timezone.now()
    searches = SavedSearch.objects.filter(
        is_active=True, frequency=frequency, user__deleted_at__isnull=True
    ).select_related("user")
    sent = 0
    for search in searches:
        ads = list(
            ads_for_search(search, search.last_sent_at or search.created_at)[:30]
        )
        if ads:
            send_alert(search, ads)
            sent += 1
        search.last_sent_at = now
        search.save(update_fields=["last_sent_at"])
    logger.info("Saved-search alerts (%s) sent: %s", frequency, sent)
    return sent


@task()
def alert_new_ad(ad_id: int) -> int:
    """Immediate alerts: the searches that match one newly published ad."""
    ad = Ad.objects.visible().filter(pk=ad_id).first()
    if ad is None:
        return 0
    searches = SavedSearch.objects.filter(
        is_active=True,
        frequency=SavedSearch.Frequency.IMMEDIATE,
        user__deleted_at__isnull=True,
    ).select_related("user")
    sent = 0
    for search in searches:
        if search.user_id == ad.author_id:
            continue
        criteria = AdFilterForm(search.query).criteria()
        if Ad.objects.filter(pk=ad.pk).matching(criteria).exists():
            send_alert(search, [ad])
            sent += 1
    return sent
