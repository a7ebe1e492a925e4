"""Periodic refresh of subscribed calendars, run by `manage.py db_worker`.

`refresh_subscriptions` re-enqueues one `refresh_source` per subscription;
schedule it (cron, systemd timer) with `manage.py import_events --subscriptions`.
"""

import logging

from django_tasks import task

from habitat.core.exceptions import HabitatError

from . import importer
from .models import Source

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
