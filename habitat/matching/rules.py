"""Who may see and do what in the mise en lien."""

import rules
from django.contrib.contenttypes.models import ContentType

from habitat.accounts.rules import is_territory_moderator, is_verified


@rules.predicate
def edits_project(user, project) -> bool:
    if project is None or not user.is_authenticated:
        return False
    return project.editors.filter(pk=user.pk).exists()


@rules.predicate
def takes_part_in(user, conversation) -> bool:
    if conversation is None or not user.is_authenticated:
        return False
    if conversation.person_id == user.pk:
        return True
    return conversation.is_other_side(user)


@rules.predicate
def is_reported(user, message) -> bool:
    from habitat.moderation.models import Report

    return Report.objects.filter(
        content_type=ContentType.objects.get_for_model(message),
        object_id=str(message.pk),
    ).exists()


rules.add_perm("matching.manage_group_search", edits_project)
rules.add_perm("matching.view_conversation", takes_part_in)
rules.add_perm("matching.write", is_verified)
rules.add_perm("matching.read_reported_message", is_territory_moderator & is_reported)
