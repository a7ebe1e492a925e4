import logging

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from habitat.core import outbox

from .models import ModerationLog

logger = logging.getLogger(__name__)


def author_email(obj) -> str | None:
    """The e-mail of whoever should hear about a decision on `obj`."""
    getter = getattr(obj, "get_moderation_contact_email", None)
    if getter:
        return getter()
    author = getattr(obj, "author", None) or getattr(obj, "created_by", None)
    return getattr(author, "email", None)


@task()
def notify_author(log_id: int) -> None:
    entry = (
        ModerationLog.objects.select_related("content_type").filter(pk=log_id).first()
    )
    if entry is None or entry.content_object is None:
        return
    if entry.action == ModerationLog.Action.APPROVED and not entry.reason:
        template = "moderation/email/approved.txt"
    else:
        template = "moderation/email/decision.txt"
    recipient = author_email(entry.content_object)
    if not recipient:
        return
    body = render_to_string(template, {"entry": entry, "obj": entry.content_object})
    outbox.send_mail(
        _("[Habitat Ensemble] %(object)s : %(decision)s")
        % {"object": entry.object_repr, "decision": entry.get_action_display()},
        body,
        None,
        [recipient],
    )
    logger.info("Moderation notice sent for log %s", log_id)
