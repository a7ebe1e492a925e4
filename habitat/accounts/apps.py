from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "habitat.accounts"
    label = "accounts"
    verbose_name = _("Comptes et organisations")

    def ready(self):
        from . import signals  # noqa: F401
