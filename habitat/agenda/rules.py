"""Who may propose, publish, change an event and see its registrations."""

import rules

from habitat.accounts.rules import (
    is_national_team,
    is_organisation_editor,
    is_territory_moderator,
    is_verified,
)


@rules.predicate
def edits_organiser(user, event) -> bool:
    organiser = getattr(event, "organiser", None)
    return bool(organiser) and is_organisation_editor(user, organiser)


@rules.predicate
def is_author(user, event) -> bool:
    return bool(
        event is not None and user.is_authenticated and event.author_id == user.pk
    )


@rules.predicate
def organiserless_author(user, event) -> bool:
    return bool(event is not None and not event.organiser_id) and is_author(user, event)


def publishes_directly(user, organisation) -> bool:
    """Editors of an organisation publish its events without moderation."""
    if organisation is None:
        return bool(is_national_team(user))
    return bool(is_organisation_editor(user, organisation) or is_national_team(user))


can_change = (is_verified & is_author) | edits_organiser | is_territory_moderator

rules.add_perm("agenda.propose_event", is_verified)
rules.add_perm("agenda.change_event", can_change)
rules.add_perm("agenda.view_unpublished_event", can_change)
rules.add_perm(
    "agenda.view_registrations",
    edits_organiser | organiserless_author | is_national_team,
)
rules.add_perm("agenda.register", is_verified)
