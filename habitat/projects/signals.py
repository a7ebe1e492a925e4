"""Registrations of the directory: search index, moderation queue, hooks."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from habitat.core import search
from habitat.core.signals import data_restored
from habitat.moderation import registry
from habitat.moderation.models import Status
from habitat.territories.signals import geography_loaded

from . import cache as project_cache
from . import services
from .models import Project, ProjectChange

SEARCH_FIELDS = [
    "name",
    "short_description",
    "description",
    "intentions",
    "commune.name",
    "department.name",
]

search.register(Project, fields=SEARCH_FIELDS)
registry.register(
    Project, label="Projets", diff=services.project_diff, select_related=["commune"]
)
registry.register(
    ProjectChange,
    label="Modifications de projets",
    diff=services.change_diff,
    select_related=["project"],
)


@receiver(post_save, sender=ProjectChange, dispatch_uid="projects-apply-change")
def apply_approved_change(sender, instance, raw=False, **kwargs):
    """A moderator approved a suggested change: apply it to the sheet."""
    if raw or instance.status != Status.PUBLISHED or instance.applied_at:
        return
    services.apply_change(change=instance)


@receiver(post_save, sender=Project, dispatch_uid="projects-bump-generation")
@receiver(post_delete, sender=Project, dispatch_uid="projects-bump-generation-del")
def invalidate_cached_outputs(sender, **kwargs):
    transaction.on_commit(project_cache.bump)


@receiver(geography_loaded, dispatch_uid="projects-map-points")
@receiver(data_restored, dispatch_uid="projects-map-points-restored")
def refresh_stored_map_points(sender, **kwargs):
    """Communes may have moved, or rows were loaded without save() (an
    archive older than the stored points): recompute the public points."""
    services.refresh_map_points()


@receiver(geography_loaded, dispatch_uid="projects-geography-choices")
def forget_geography_choices(sender, **kwargs):
    """The filters' régions and départements are read anew after a load."""
    transaction.on_commit(
        lambda: cache.delete_many(
            [
                "projects:choices:region",
                "projects:choices:department",
                "projects:choices:region_departments",
            ]
        )
    )
