from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "habitat.core"
    label = "core"
    verbose_name = "Socle"
