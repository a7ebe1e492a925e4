"""Editorial pages managed by the national team in Wagtail (/cms/)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class ContentPage(Page):
    intro = RichTextField(_("chapeau"), blank=True)
    body = RichTextField(_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("page éditoriale")
