from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "habitat.territories"
    label = "territories"
    verbose_name = "Territoires"
