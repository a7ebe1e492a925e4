from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "habitat.matching"
    label = "matching"
    verbose_name = "Mise en lien"

    def ready(self):
        from habitat.ads import relay
        from habitat.moderation import registry

        from . import services
        from .models import Message

        registry.register(Message, label="Messages signalés (mise en lien)")
        # Answers to ads and land offers open a conversation in the message box.
        relay.connect(services.write_about_ad)
