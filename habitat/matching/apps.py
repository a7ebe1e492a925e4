from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "habitat.matching"
    label = "matching"
    verbose_name = "Mise en lien"

    def ready(self):
        from habitat.moderation import registry

        from .models import Message

        registry.register(Message, label="Messages signalés (mise en lien)")
