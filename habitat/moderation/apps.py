from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "habitat.moderation"
    label = "moderation"
    verbose_name = "Modération"
