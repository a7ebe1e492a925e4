"""Moderation decisions. Each one is written to the audit trail."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from habitat.core.exceptions import HabitatError

from .models import ModerationLog, Report, Status

logger = logging.getLogger(__name__)

DECISIONS = {
    "approve": (Status.PUBLISHED, ModerationLog.Action.APPROVED),
    "reject": (Status.REJECTED, ModerationLog.Action.REJECTED),
    "hide": (Status.HIDDEN, ModerationLog.Action.HIDDEN),
    "restore": (Status.PUBLISHED, ModerationLog.Action.RESTORED),
}
NEEDS_REASON = {"reject", "hide"}


def log_action(
    *, obj, action: str, actor=None, reason: str = "", changes=None
) -> ModerationLog:
    """Append one line to the audit trail of `obj`."""
    return ModerationLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        changes=changes or {},
        department_code=getattr(obj, "moderation_department_code", None) or "",
    )


def history_of(obj):
    return ModerationLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


@transaction.atomic
def decide(*, obj, decision: str, actor, reason: str = "") -> ModerationLog:
    """Apply a moderator's decision to `obj`.

    Side effects: status and published_at changed, open reports on `obj`
    resolved, one ModerationLog line written, and the author told by e-mail
    (queued task) when the content has an author and the decision is not a
    plain approval of something already published.
    """
    if decision not in DECISIONS:
        raise HabitatError(_("Décision inconnue."), field="decision")
    reason = (reason or "").strip()
    if decision in NEEDS_REASON and not reason:
        raise HabitatError(
            _("Indiquez un motif : il sera communiqué à l'auteur."), field="reason"
        )

    new_status, action = DECISIONS[decision]
    obj.status = new_status
    obj.moderation_reason = reason
    update_fields = ["status", "moderation_reason"]
    if new_status == Status.PUBLISHED and not obj.published_at:
        obj.published_at = timezone.now()
        update_fields.append("published_at")
    obj.save(update_fields=update_fields)

    Report.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        resolved_at=None,
    ).update(resolved_at=timezone.now(), resolved_by=actor)
    entry = log_action(obj=obj, action=action, actor=actor, reason=reason)
    logger.info("Moderation %s on %s by user %s", decision, obj._meta.label, actor.pk)

    from .tasks import notify_author

    transaction.on_commit(lambda: notify_author.enqueue(entry.pk))
    return entry


def report(*, obj, reporter, reason: str) -> Report:
    """A person flags `obj` for its territory's moderators."""
    reason = (reason or "").strip()
    if not reason:
        raise HabitatError(
            _("Dites en quelques mots ce qui pose problème."), field="reason"
        )
    if len(reason) > 2000:
        raise HabitatError(_("Le motif est limité à 2 000 caractères."), field="reason")
    created = Report.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        reporter=reporter if reporter.is_authenticated else None,
        reason=reason,
        department_code=getattr(obj, "moderation_department_code", None) or "",
    )
    log_action(
        obj=obj, action=ModerationLog.Action.REPORTED, actor=reporter, reason=reason
    )
    return created
