from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "habitat.projects"
    label = "projects"
    verbose_name = "Annuaire des projets"

    def ready(self):
        # map: cache invalidation; rules, signals: permissions, search, queue.
        from . import map, rules, signals  # noqa: F401
