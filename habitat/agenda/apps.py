from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "habitat.agenda"
    label = "agenda"
    verbose_name = "Agenda"

    def ready(self) -> None:
        from habitat.moderation import registry
        from habitat.territories.signals import geography_loaded

        from .models import Event
        from .queries import forget_geography
        from .search import register_events

        geography_loaded.connect(forget_geography, dispatch_uid="agenda-geography")
        register_events()
        registry.register(
            Event,
            label="Événements de l'agenda",
            diff=_event_diff,
            select_related=("commune", "organiser"),
        )


def _event_diff(event) -> list[dict]:
    """What a moderator checks: when, where, who."""
    return [
        {"field": "Date", "old": "", "new": f"{event.local_start:%d/%m/%Y %H:%M}"},
        {"field": "Lieu", "old": "", "new": event.address or str(event.commune or "")},
        {"field": "Organisateur", "old": "", "new": str(event.organiser or "")},
    ]
