from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "habitat.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self):
        from . import pagecache

        pagecache.connect_deletes()
