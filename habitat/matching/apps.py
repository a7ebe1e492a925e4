from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "habitat.matching"
    label = "matching"
    verbose_name = "Mise en lien"
