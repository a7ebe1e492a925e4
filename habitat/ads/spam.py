"""Spam defence shared by the ad and contact forms: account age, rates, links."""

import re
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from habitat.core.exceptions import HabitatError

NEW_ACCOUNT_AGE = timedelta(days=7)

# Actions allowed per day: (new account, established account).
DAILY_LIMITS = {
    "ad": (2, 20),
    "contact": (5, 40),
    "report": (5, 30),
}
# Links allowed in the text of an ad: (new account, established account).
LINK_LIMITS = (1, 10)

_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def is_new_account(user) -> bool:
    return user.date_joined > timezone.now() - NEW_ACCOUNT_AGE


def count_links(text: str) -> int:
    return len(_LINK.findall(text or ""))


def check_links(*, user, text: str, field: str = "body") -> None:
    limit = LINK_LIMITS[0] if is_new_account(user) else LINK_LIMITS[1]
    if count_links(text) > limit:
        raise HabitatError(
            _("Trop de liens : %(limit)s au plus pour l'instant.") % {"limit": limit},
            field=field,
            code="too_many_links",
        )


def _key(action: str, user) -> str:
    return f"ads:rate:{action}:{user.pk}:{timezone.now():%Y%m%d}"


def check_rate(*, user, action: str) -> None:
    """Refuse when `user` already did `action` as often as allowed today."""
    new, established = DAILY_LIMITS[action]
    limit = new if is_new_account(user) else established
    if (cache.get(_key(action, user)) or 0) >= limit:
        raise HabitatError(
            _(
                "Vous avez atteint la limite du jour pour cette action. Réessayez demain."
            ),
            code="rate_limited",
        )


def record(*, user, action: str) -> None:
    key = _key(action, user)
    if not cache.add(key, 1, timeout=60 * 60 * 24):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=60 * 60 * 24)
