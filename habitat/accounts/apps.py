from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "habitat.accounts"
    label = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from . import signals  # noqa: F401
