"""Permission predicates shared by every app.

A piece of content that can be moderated exposes `moderation_department_code`
(the INSEE-derived département of its place). Apps build their own rules from
these predicates in their own `rules.py`.
"""

import rules

from .territory import moderates_department


@rules.predicate
def is_verified(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.email_verified)


@rules.predicate
def is_national_team(user) -> bool:
    return bool(user.is_authenticated and user.moderated_department_codes is None)


@rules.predicate
def is_territory_moderator(user, obj) -> bool:
    """Moderates the territory where `obj` is located."""
    if obj is None or not user.is_authenticated:
        return False
    return moderates_department(user, getattr(obj, "moderation_department_code", None))


@rules.predicate
def moderates_somewhere(user) -> bool:
    return bool(user.is_authenticated and user.can_moderate_somewhere)


@rules.predicate
def is_organisation_editor(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.memberships.filter(
        user=user, role__in=("editor", "moderator", "admin")
    ).exists()


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.memberships.filter(user=user, role="admin").exists()


rules.add_perm("accounts.moderate", moderates_somewhere)
rules.add_perm("accounts.change_organisation", is_organisation_admin | is_national_team)
rules.add_perm("accounts.manage_members", is_organisation_admin | is_national_team)
