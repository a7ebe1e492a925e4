"""The contact relay: visitors write to a group without seeing its address."""

import logging

from django.core.cache import cache

from habitat.core.exceptions import HabitatError

logger = logging.getLogger(__name__)

PER_IP = (5, 60 * 60)  # messages, seconds
PER_ACCOUNT = (10, 60 * 60 * 24)


def _within_limit(key: str, limit: int, window: int) -> bool:
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return True
    return count <= limit


def send_message(*, project, sender_name, sender_email, message, ip, user) -> None:
    """Queue the visitor's message to the group, within the rate limits.

    Side effects: rate-limit counters in the cache, one queued e-mail task
    (sent to the private contact, else the editors; the visitor's address
    only in Reply-To).
    """
    if not _within_limit(f"projects:relay:ip:{ip}", *PER_IP):
        raise HabitatError(
            "Trop de messages envoyés depuis cette connexion : réessayez dans une heure.",
            field="message",
            code="rate_limited",
        )
    if user.is_authenticated and not _within_limit(
        f"projects:relay:user:{user.pk}", *PER_ACCOUNT
    ):
        raise HabitatError(
            "Vous avez envoyé beaucoup de messages aujourd'hui : réessayez demain.",
            field="message",
            code="rate_limited",
        )

    from .tasks import send_relay_message

    send_relay_message.enqueue(
        project.pk, sender_name.strip(), sender_email.strip(), message.strip()
    )
    logger.info("Relay message queued for project %s", project.pk)


def recipients(project) -> list[str]:
    if project.contact_email:
        return [project.contact_email]
    return sorted(project.editors.values_list("email", flat=True))
