import rules

from habitat.accounts.rules import is_national_team, is_territory_moderator, is_verified
from habitat.moderation.models import Status


@rules.predicate
def is_author(user, ad) -> bool:
    return bool(ad is not None and user.is_authenticated and ad.author_id == user.pk)


@rules.predicate
def is_visible(user, ad) -> bool:
    return bool(ad is not None and ad.is_visible)


@rules.predicate
def is_editable(user, ad) -> bool:
    return bool(ad is not None and ad.status not in (Status.HIDDEN, Status.WITHDRAWN))


can_moderate = is_territory_moderator | is_national_team

rules.add_perm("ads.add_ad", is_verified)
rules.add_perm("ads.view_ad", is_visible | is_author | can_moderate)
rules.add_perm("ads.change_ad", is_author & is_editable)
rules.add_perm("ads.withdraw_ad", is_author & is_editable)
rules.add_perm("ads.contact_ad", is_verified & is_visible & ~is_author)
rules.add_perm("ads.report_ad", is_verified & is_visible & ~is_author)
rules.add_perm("ads.moderate_ad", can_moderate)
