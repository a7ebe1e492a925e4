from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "habitat.agenda"
    label = "agenda"
    verbose_name = "Agenda"
