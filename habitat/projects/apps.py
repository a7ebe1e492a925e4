from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "habitat.projects"
    label = "projects"
    verbose_name = "Annuaire des projets"

    def ready(self):
        from . import map  # noqa: F401  (connects cache invalidation)
