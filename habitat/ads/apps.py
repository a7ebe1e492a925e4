from django.apps import AppConfig


class AdsConfig(AppConfig):
    name = "habitat.ads"
    label = "ads"
    verbose_name = "Petites annonces"
