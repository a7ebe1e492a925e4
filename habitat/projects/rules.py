"""Who may see, edit, moderate and merge project sheets."""

import rules

from habitat.accounts.rules import is_national_team, is_territory_moderator
from habitat.moderation.models import Status


@rules.predicate
def is_published(user, project) -> bool:
    return project is not None and project.status == Status.PUBLISHED


@rules.predicate
def is_project_editor(user, project) -> bool:
    if project is None or not user.is_authenticated or not project.pk:
        return False
    return project.editors.filter(pk=user.pk).exists()


can_moderate = is_territory_moderator | is_national_team

rules.add_perm("projects.view_project", is_published | is_project_editor | can_moderate)
rules.add_perm("projects.change_project", is_project_editor | can_moderate)
rules.add_perm("projects.moderate_project", can_moderate)
rules.add_perm("projects.merge_project", can_moderate)
