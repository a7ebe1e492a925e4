from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "habitat.ads"
    label = "ads"
    verbose_name = _("Petites annonces")

    def ready(self):
        from django.db.models.signals import post_save

        from habitat.core import search
        from habitat.moderation import registry

        from . import signals
        from .models import Ad

        registry.register(
            Ad,
            label=_("Petites annonces"),
            diff=signals.ad_diff,
            select_related=("commune", "author"),
        )
        search.register(Ad, fields=["title", "body", "commune.name", "price_text"])
        post_save.connect(signals.queue_alerts, sender=Ad, dispatch_uid="ads_alerts")
