from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "habitat.projects"
    label = "projects"
    verbose_name = "Annuaire des projets"
