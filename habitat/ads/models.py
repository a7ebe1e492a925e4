"""Classified ads, land offers ("foncier"), their photos and saved searches.

A land offer is an ad of category `land` and kind `offer`: one model, so the
list, the map, the API and the matching engine read the same rows.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from habitat.core import search
from habitat.moderation.models import ModeratedContent, Status

AD_LIFETIME = timedelta(days=91)


def default_expiry():
    return timezone.now() + AD_LIFETIME


class Category(models.TextChoices):
    DWELLING = "dwelling", _("Logement libre dans un projet")
    SEEKING = "seeking", _("Cherche un groupe ou un logement")
    LAND = "land", _("Terrain ou bâtiment")
    SHARES = "shares", _("Parts à vendre ou à louer")
    SKILLS = "skills", _("Compétences et services")
    OTHER = "other", _("Autre")


class Kind(models.TextChoices):
    OFFER = "offer", _("Offre")
    REQUEST = "request", _("Demande")


class PosterKind(models.TextChoices):
    TOWN = "town", _("Commune ou collectivité")
    LANDLORD = "landlord", _("Bailleur social")
    LAND_TRUST = "land_trust", _("Organisme foncier solidaire")
    OWNER = "owner", _("Propriétaire privé")
    GROUP = "group", _("Groupe à la recherche d'un terrain")


class Transaction(models.TextChoices):
    SALE = "sale", _("Vente")
    LEASE = "lease", _("Bail de longue durée")
    OTHER = "other", _("Autre")


class AdQuerySet(models.QuerySet):
    def visible(self):
        """Published and not expired, by date: no job has to run first."""
        return self.filter(status=Status.PUBLISHED, expires_at__gt=Now())

    def land_offers(self):
        return self.visible().filter(category=Category.LAND, kind=Kind.OFFER)

    def of_author(self, user):
        return self.filter(author=user)

    def matching(self, criteria: dict):
        """Filter by the cleaned data of forms.AdFilterForm (absent keys ignored)."""
        qs = self
        if criteria.get("category"):
            qs = qs.filter(category=criteria["category"])
        if criteria.get("kind"):
            qs = qs.filter(kind=criteria["kind"])
        if criteria.get("region"):
            qs = qs.filter(department__region=criteria["region"])
        if criteria.get("department"):
            qs = qs.filter(department=criteria["department"])
        if criteria.get("price_min") is not None:
            qs = qs.filter(price__gte=criteria["price_min"])
        if criteria.get("price_max") is not None:
            qs = qs.filter(price__lte=criteria["price_max"])
        if criteria.get("q"):
            qs = search.search(qs, criteria["q"])
        return qs

    def for_listing(self):
        return self.select_related("commune", "organisation").prefetch_related(
            models.Prefetch("photos", queryset=Photo.objects.order_by("position", "id"))
        )


class Ad(ModeratedContent):
    category = models.CharField(
        _("catégorie"), max_length=12, choices=Category.choices, db_index=True
    )
    kind = models.CharField(
        _("offre ou demande"), max_length=8, choices=Kind.choices, default=Kind.OFFER
    )
    title = models.CharField(_("titre"), max_length=140)
    slug = models.SlugField(max_length=160, blank=True)
    body = models.TextField(
        _("texte de l'annonce"), max_length=8000, help_text=_("Markdown accepté.")
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    price = models.DecimalField(
        _("prix (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_text = models.CharField(
        _("précision sur le prix"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple : « 650 € par mois charges comprises »."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.CASCADE,
        related_name="ads",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("au nom de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ads",
    )
    expires_at = models.DateTimeField(_("expire le"), default=default_expiry)
    renewed_at = models.DateTimeField(_("renouvelée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    # Land offers (category == land).
    poster_kind = models.CharField(
        _("vous êtes"), max_length=12, choices=PosterKind.choices, blank=True
    )
    surface_m2 = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    is_built = models.BooleanField(_("bâti existant"), default=False)
    state = models.CharField(
        _("état"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : « ancienne ferme à rénover »."),
    )
    transaction = models.CharField(
        _("type de cession"), max_length=8, choices=Transaction.choices, blank=True
    )
    constraints = models.TextField(
        _("contraintes"),
        max_length=2000,
        blank=True,
        help_text=_("Règles d'urbanisme, patrimoine, servitudes…"),
    )
    call_deadline = models.DateField(
        _("date limite de l'appel à projets"), null=True, blank=True
    )

    objects = AdQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("annonce")
        verbose_name_plural = _("annonces")
        indexes = [
            models.Index(
                fields=["status", "expires_at", "category"], name="ads_visible_idx"
            ),
            models.Index(fields=["category", "kind"], name="ads_category_kind_idx"),
            models.Index(fields=["expires_at"], name="ads_expires_idx"),
            # Lists, feeds and the API walk this in their order and stop at a
            # page instead of sorting every visible ad.
            models.Index(
                fields=["status", "-published_at", "-id"], name="ads_listing_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:150] or "annonce"
        if self.commune_id:
            self.department_id = self.commune.department_id
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "slug",
                "department",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ads:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_land_offer(self) -> bool:
        return self.category == Category.LAND and self.kind == Kind.OFFER

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_visible(self) -> bool:
        return self.status == Status.PUBLISHED and not self.is_expired


def photo_path(instance, filename: str) -> str:
    return f"ads/{instance.ad_id}/{secrets.token_hex(8)}.{instance.extension}"


class Photo(models.Model):
    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    extension = models.CharField(max_length=5, default="jpg")
    alt = models.CharField(_("description de la photo"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")

    def __str__(self) -> str:
        return self.alt or f"Photo {self.pk}"


class SavedSearch(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Dès qu'une annonce paraît")
        DAILY = "daily", _("Une fois par jour")
        WEEKLY = "weekly", _("Une fois par semaine")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ad_searches"
    )
    name = models.CharField(_("nom de la recherche"), max_length=100, blank=True)
    query = models.JSONField(default=dict, blank=True)
    frequency = models.CharField(
        _("alertes"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    token = models.CharField(max_length=43, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recherche enregistrée")
        verbose_name_plural = _("recherches enregistrées")

    def __str__(self) -> str:
        return self.name or str(_("Recherche d'annonces"))

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)
