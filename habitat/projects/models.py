"""The directory: project sheets kept up by the groups themselves.

Private fields (address, contact_*) are never shown in public outputs; use
`PUBLIC_FIELDS` when serialising. The département is kept equal to the
commune's on save (moderation territory).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from habitat.moderation.models import ModeratedContent, Status

OBSOLETE_AFTER = timedelta(days=548)  # 18 months


class Setting(models.TextChoices):
    URBAN = "urban", _("urbain")
    PERIURBAN = "periurban", _("périurbain")
    RURAL = "rural", _("rural")
    ISOLATED_RURAL = "isolated_rural", _("rural isolé")


class GroupStage(models.TextChoices):
    SEEKING_RESIDENTS = "seeking_residents", _("recherche d'habitant·es")
    FORMED = "formed", _("groupe constitué")
    COMPLETE = "complete", _("groupe complet")


class ProjectStage(models.TextChoices):
    IDEA = "idea", _("idée")
    SEEKING_LAND = "seeking_land", _("recherche de terrain")
    DESIGN = "design", _("conception et études")
    WORKS = "works", _("travaux")
    LIVED_IN = "lived_in", _("habité")
    STOPPED = "stopped", _("arrêté")


class LegalStructure(models.TextChoices):
    COOP = "coop", _("coopérative d'habitant·es")
    SAA = "saa", _("société d'attribution et d'autopromotion")
    SCIA = "scia", _("SCIA")
    SCCC = "sccc", _("SCCC")
    SCI = "sci", _("SCI")
    ASSOCIATION = "association", _("association")
    COPRO = "copro", _("copropriété")
    SOCIAL_RENTAL = "social_rental", _("location avec un bailleur social")
    BRS_OFS = "brs_ofs", _("bail réel solidaire (OFS)")
    OTHER = "other", _("autre")


class BuildType(models.TextChoices):
    NEW = "new", _("construction neuve")
    RENOVATION = "renovation", _("rénovation")
    MIXED = "mixed", _("neuf et rénovation")


class ArchitectureType(models.TextChoices):
    ANCIEN = "ancien", _("bâti ancien")
    IMMEUBLE = "immeuble", _("immeuble collectif")
    INDIVIDUEL = "individuel", _("maisons individuelles")
    INTERMEDIAIRE = "intermediaire", _("habitat intermédiaire")
    LEGER = "leger", _("habitat léger")
    MIXTE = "mixte", _("mixte")
    OTHER = "other", _("autre")


class Tenure(models.TextChoices):
    OWNERSHIP = "ownership", _("propriété")
    SOCIAL_OWNERSHIP = "social_ownership", _("accession sociale")
    RENTAL = "rental", _("location")


class SharedSpace(models.TextChoices):
    COMMON_ROOM = "common_room", _("salle commune")
    GUEST_ROOM = "guest_room", _("chambre d'amis")
    LAUNDRY = "laundry", _("buanderie")
    WORKSHOP = "workshop", _("atelier")
    GARDEN = "garden", _("jardin")
    KITCHEN = "kitchen", _("cuisine partagée")
    OFFICE = "office", _("bureau partagé")
    STORAGE = "storage", _("cellier, stockage")
    PARKING = "parking", _("garage à vélos, parking")
    OTHER = "other", _("autre")


class EcologicalFeature(models.TextChoices):
    BIOSOURCED = "biosourced", _("matériaux biosourcés")
    PASSIVE = "passive", _("bâtiment passif ou basse consommation")
    RENEWABLE = "renewable", _("énergies renouvelables")
    RAINWATER = "rainwater", _("récupération d'eau de pluie")
    DRY_TOILETS = "dry_toilets", _("toilettes sèches")
    PERMACULTURE = "permaculture", _("potager, permaculture")
    CARSHARING = "carsharing", _("autopartage")
    OTHER = "other", _("autre")


# Size bands used by the facets (number of dwellings).
SIZE_BANDS = [
    ("1-5", _("1 à 5 logements"), 1, 5),
    ("6-12", _("6 à 12 logements"), 6, 12),
    ("13-25", _("13 à 25 logements"), 13, 25),
    ("26+", _("26 logements et plus"), 26, None),
]

# Fields safe for any public output (sheet, list, API, CSV, map).
PUBLIC_FIELDS = [
    "name",
    "slug",
    "short_description",
    "description",
    "intentions",
    "social_life",
    "participation",
    "website",
    "setting",
    "group_stage",
    "project_stage",
    "year_started",
    "year_moved_in",
    "legal_structures",
    "build_type",
    "architecture_type",
    "dwellings",
    "dwellings_text",
    "households_now",
    "households_target",
    "tenure_mix",
    "shared_spaces",
    "ecological_features",
    "rent_info",
    "priority_neighbourhood",
    "seeking_members",
    "seeking_whom",
    "open_to_visits",
    "visit_info",
    "last_verified_at",
]

PRIVATE_FIELDS = ["address", "contact_name", "contact_email", "contact_phone"]


class ProjectQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Published sheets, plus those the person edits or moderates."""
        if user is None or not user.is_authenticated:
            return self.published()
        codes = user.moderated_department_codes
        if codes is None:
            return self
        q = models.Q(status=Status.PUBLISHED) | models.Q(editors=user)
        if codes:
            q |= models.Q(department_id__in=codes)
        return self.filter(q).distinct()

    def with_place(self):
        return self.select_related("commune", "department", "department__region")


MAP_POINT_FIELDS = {"map_latitude", "map_longitude"}
# Fields save() derives from others: saving with update_fields that name a
# source field also writes what is derived from it.
DERIVED_FIELDS = {
    "commune": {"department", *MAP_POINT_FIELDS},
    "commune_id": {"department", *MAP_POINT_FIELDS},
    "legal_structures": {"legal_keys"},
    "latitude": MAP_POINT_FIELDS,
    "longitude": MAP_POINT_FIELDS,
    "show_precise_location": MAP_POINT_FIELDS,
}


class Project(ModeratedContent):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=220, unique=True)
    short_description = models.CharField(
        _("présentation courte"), max_length=300, blank=True
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown accepté.")
    )
    intentions = models.TextField(_("intentions et valeurs"), blank=True)
    social_life = models.TextField(_("vie collective"), blank=True)
    participation = models.TextField(
        _("comment participer"),
        blank=True,
        help_text=_("Comment les nouvelles personnes prennent part au projet."),
    )
    website = models.URLField(_("site internet"), max_length=300, blank=True)

    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    needs_location = models.BooleanField(_("à localiser"), default=False)
    address = models.CharField(_("adresse (privée)"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    show_precise_location = models.BooleanField(
        _("montrer l'emplacement précis"),
        default=False,
        help_text=_("Sinon, la carte publique montre seulement la commune."),
    )
    # The public point (see `map_point`), stored so the map data reads only
    # this table; kept by save() and `services.refresh_map_points()`.
    map_latitude = models.FloatField(null=True, blank=True, editable=False)
    map_longitude = models.FloatField(null=True, blank=True, editable=False)

    setting = models.CharField(
        _("cadre"), max_length=16, choices=Setting.choices, blank=True, db_index=True
    )
    group_stage = models.CharField(
        _("étape du groupe"),
        max_length=20,
        choices=GroupStage.choices,
        blank=True,
        db_index=True,
    )
    project_stage = models.CharField(
        _("étape du projet"),
        max_length=16,
        choices=ProjectStage.choices,
        blank=True,
        db_index=True,
    )
    year_started = models.PositiveSmallIntegerField(
        _("année de démarrage"), null=True, blank=True
    )
    year_moved_in = models.PositiveSmallIntegerField(
        _("année d'emménagement"), null=True, blank=True
    )
    legal_structures = models.JSONField(
        _("statuts juridiques"), default=list, blank=True
    )
    # "|coop|sci|": legal_structures flattened so every database can filter it.
    legal_keys = models.CharField(max_length=200, blank=True, editable=False)
    build_type = models.CharField(
        _("type de construction"), max_length=12, choices=BuildType.choices, blank=True
    )
    architecture_type = models.CharField(
        _("type d'architecture"),
        max_length=16,
        choices=ArchitectureType.choices,
        blank=True,
    )
    dwellings = models.PositiveIntegerField(
        _("nombre de logements"), null=True, blank=True, db_index=True
    )
    dwellings_text = models.CharField(
        _("nombre de logements (texte)"), max_length=60, blank=True
    )
    households_now = models.PositiveIntegerField(
        _("foyers actuels"), null=True, blank=True
    )
    households_target = models.PositiveIntegerField(
        _("foyers visés"), null=True, blank=True
    )
    tenure_mix = models.JSONField(_("statuts d'occupation"), default=list, blank=True)
    shared_spaces = models.JSONField(_("espaces partagés"), default=list, blank=True)
    ecological_features = models.JSONField(
        _("démarche écologique"), default=list, blank=True
    )
    rent_info = models.CharField(_("loyers, prix"), max_length=200, blank=True)
    landlord_partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("bailleur social partenaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="landlord_projects",
    )
    support_professional = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("accompagnement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supported_projects",
    )
    priority_neighbourhood = models.BooleanField(
        _("quartier prioritaire (QPV)"), default=False
    )
    seeking_members = models.BooleanField(
        _("recherche des membres"), default=False, db_index=True
    )
    seeking_whom = models.TextField(_("profils recherchés"), blank=True)
    open_to_visits = models.BooleanField(
        _("ouvert aux visites"), default=False, db_index=True
    )
    visit_info = models.TextField(_("modalités de visite"), blank=True)

    contact_name = models.CharField(_("nom du contact"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    contact_phone = models.CharField(
        _("téléphone du contact"), max_length=40, blank=True
    )

    last_verified_at = models.DateTimeField(
        _("vérifiée par le groupe le"), null=True, blank=True
    )
    confirmation_requested_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_projects",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="edited_projects"
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        editable=False,
    )
    source = models.CharField(_("source"), max_length=20, blank=True)
    source_id = models.CharField(_("identifiant source"), max_length=100, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["status", "department"]),
            models.Index(fields=["source", "source_id"]),
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["status", "-last_verified_at"]),
            # Meta.ordering without a status filter (search over every sheet).
            models.Index(fields=["name", "id"], name="projects_name_id_idx"),
            # Covers the compact map data (map.py): read without the wide rows.
            models.Index(
                fields=[
                    "status",
                    "id",
                    "map_latitude",
                    "map_longitude",
                    "project_stage",
                ],
                name="projects_map_point_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.department_id = self.commune.department_id if self.commune_id else None
        if self.commune_id:
            self.needs_location = False
        keys = self.legal_structures or []
        self.legal_keys = f"|{'|'.join(keys)}|" if keys else ""
        self.map_latitude, self.map_longitude = self.map_point()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = set()
            for name in update_fields:
                extra |= DERIVED_FIELDS.get(name, set())
            kwargs["update_fields"] = set(update_fields) | extra
        super().save(*args, **kwargs)

    def map_point(self) -> tuple[float | None, float | None]:
        """The public point: the precise one if the group chose to show it,
        else the commune's centre; (None, None) without either."""
        if (
            self.show_precise_location
            and self.latitude is not None
            and self.longitude is not None
        ):
            return self.latitude, self.longitude
        if self.commune_id:
            return self.commune.latitude, self.commune.longitude
        return None, None

    @property
    def public_latitude(self) -> float | None:
        return self.map_point()[0]

    @property
    def public_longitude(self) -> float | None:
        return self.map_point()[1]

    @property
    def is_possibly_obsolete(self) -> bool:
        reference = self.last_verified_at or self.created_at
        if reference is None:
            return False
        return timezone.now() - reference > OBSOLETE_AFTER


def photo_path(instance, filename: str) -> str:
    return f"projects/{instance.project_id}/{filename}"


class PhotoLicence(models.TextChoices):
    """Free licences a group may publish its photos under."""

    CC_BY = "CC BY 4.0", _("Creative Commons Attribution (CC BY 4.0)")
    CC_BY_SA = (
        "CC BY-SA 4.0",
        _(
            "Creative Commons Attribution, partage dans les mêmes conditions "
            "(CC BY-SA 4.0)"
        ),
    )
    CC0 = "CC0 1.0", _("Creative Commons Zéro, domaine public (CC0 1.0)")
    ETALAB = "Licence Ouverte 2.0", _("Licence Ouverte / Etalab 2.0")
    ART_LIBRE = "Licence Art Libre 1.3", _("Licence Art Libre 1.3")


class Photo(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to=photo_path)
    credit = models.CharField(_("crédit"), max_length=150, blank=True)
    licence = models.CharField(
        _("licence"), max_length=80, blank=True, choices=PhotoLicence.choices
    )
    caption = models.CharField(_("légende"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or f"Photo {self.pk}"


class ProjectChange(ModeratedContent):
    """A change proposed by someone who is not an editor of the sheet.

    It waits in the territory's moderation queue with its diff; once approved
    (status published) it is applied to the sheet by `services`.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="proposed_changes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(default=dict)
    base_version = models.PositiveIntegerField(default=1)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("modification proposée")
        verbose_name_plural = _("modifications proposées")

    def __str__(self) -> str:
        return f"Modification de « {self.project} »"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()
