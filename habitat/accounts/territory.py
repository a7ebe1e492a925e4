"""Who moderates where: the territorial side of permissions."""

from django.db.models import Q

MODERATING_ROLES = ("moderator", "admin")


def moderated_department_codes(user) -> frozenset[str] | None:
    """The département codes `user` moderates, or None for everywhere.

    Superusers and moderators of a national organisation moderate everywhere;
    moderators and admins of an association moderate its territory.
    """
    from habitat.territories.models import Department

    from .models import Membership, Organisation

    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None

    organisation_ids = Membership.objects.filter(
        user=user, role__in=MODERATING_ROLES
    ).values_list("organisation_id", flat=True)
    organisations = Organisation.objects.filter(id__in=organisation_ids)
    if organisations.filter(is_national=True).exists():
        return None

    codes = Department.objects.filter(
        Q(organisations__in=organisations) | Q(region__organisations__in=organisations)
    ).values_list("code", flat=True)
    return frozenset(codes)


def moderates_department(user, department_code: str | None) -> bool:
    codes = user.moderated_department_codes if user.is_authenticated else frozenset()
    if codes is None:
        return True
    return department_code is not None and department_code in codes
