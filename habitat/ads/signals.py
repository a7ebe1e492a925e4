from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from habitat.moderation.models import Status


def queue_alerts(sender, instance, created, **kwargs):
    """An ad just published (at once or by a moderator) triggers immediate alerts."""
    if instance.status != Status.PUBLISHED or instance.published_at is None:
        return
    if instance.published_at < timezone.now() - timedelta(minutes=1):
        return
    from .tasks import alert_new_ad

    transaction.on_commit(lambda: alert_new_ad.enqueue(instance.pk))


def ad_diff(ad) -> list[dict]:
    """What a moderator sees next to a pending ad."""
    return [
        {"field": _("Catégorie"), "old": "", "new": ad.get_category_display()},
        {"field": _("Titre"), "old": "", "new": ad.title},
        {"field": _("Texte"), "old": "", "new": ad.body[:1000]},
        {"field": _("Commune"), "old": "", "new": ad.commune.name},
    ]
