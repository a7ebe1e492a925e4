from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "habitat.api"
    label = "api"
    verbose_name = "API"
