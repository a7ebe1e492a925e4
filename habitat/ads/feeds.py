from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from habitat.core.text import strip_control

from .forms import AdFilterForm
from .models import Ad


class AdFeed(Feed):
    """RSS of the visible ads for any search of /annonces/ (same parameters)."""

    feed_type = Rss201rev2Feed
    title = _("Habitat Ensemble : petites annonces")
    description = _("Les dernières annonces du réseau de l'habitat participatif.")

    def get_object(self, request):
        self.filters = AdFilterForm(request.GET or None)
        return None

    def link(self):
        return reverse("ads:list")

    def items(self):
        return (
            Ad.objects.visible()
            .matching(self.filters.criteria())
            .select_related("commune")
            .order_by("-published_at", "-id")[:30]
        )

    def item_title(self, item):
        # XML 1.0 cannot carry control characters: drop them from user text.
        return strip_control(f"{item.title} ({item.commune.name})")

    def item_description(self, item):
        return strip_control(item.body[:500])

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.get_category_display()]
