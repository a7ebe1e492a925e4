"""Events of the movement, the calendars that show them, and their sources.

An event stores its start and end as aware datetimes plus the IANA zone of
its place, so that a series keeps its local wall-clock time across summer
time changes. All-day events keep their dates (end inclusive) and, for range
queries, the local midnights around them. A recurring event is one row with an
RRULE and EXDATEs; a moved or cancelled occurrence is a child row pointing to
its series with the original start in `recurrence_id`.
"""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from habitat.moderation.models import ModeratedContent, Status

FAR_FUTURE = datetime(2100, 1, 1, tzinfo=ZoneInfo("UTC"))


class EventType(models.TextChoices):
    OPEN_DAY = "open-day", _("Portes ouvertes")
    INFO_MEETING = "info-meeting", _("Réunion d'information")
    WORKSHOP = "workshop", _("Atelier")
    BUILDING_SITE = "building-site", _("Chantier participatif")
    GENERAL_ASSEMBLY = "general-assembly", _("Assemblée générale")
    TRAINING = "training", _("Formation")
    REGIONAL_MEETING = "regional-meeting", _("Rencontre régionale")
    NATIONAL_MEETING = "national-meeting", _("Rencontres nationales")
    VISIT = "visit", _("Visite")
    OTHER = "other", _("Autre")


class EventState(models.TextChoices):
    SCHEDULED = "scheduled", _("prévu")
    CANCELLED = "cancelled", _("annulé")
    POSTPONED = "postponed", _("reporté")


class Calendar(models.Model):
    """A shelf of events (national, one région, one organisation), no copies."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("national")
        REGION = "region", _("régional")
        ORGANISATION = "organisation", _("association")

    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "territories.Region", null=True, blank=True, on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendars",
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("calendrier")
        verbose_name_plural = _("calendriers")

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """A calendar we import from: an uploaded file or a subscription URL."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    url = models.URLField(_("adresse d'abonnement"), max_length=500, blank=True)
    trusted = models.BooleanField(
        _("source de confiance"),
        default=False,
        help_text=_("Ses événements sont publiés sans passer par la modération."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisateur par défaut"),
    )
    calendars = models.ManyToManyField(Calendar, blank=True, related_name="+")
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_report = models.JSONField(default=list, blank=True, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source importée")
        verbose_name_plural = _("sources importées")

    def __str__(self) -> str:
        return self.name


class EventQuerySet(models.QuerySet):
    def series(self):
        """Events and series, without the rows that override one occurrence."""
        return self.filter(parent=None)

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def overlapping(self, start, end):
        """Events (or series) with at least one instant in [start, end)."""
        return self.filter(start__lt=end, last_end__gt=start)

    def upcoming(self, now=None):
        return self.filter(last_end__gt=now or timezone.now())

    def past(self, now=None):
        return self.filter(last_end__lte=now or timezone.now())

    def for_listing(self):
        from .queries import with_overrides

        return with_overrides(
            self.select_related("commune__department", "organiser").defer(
                "commune__department__outline"
            )
        )


class Event(ModeratedContent):
    uid = models.CharField(max_length=255, unique=True, editable=False)
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown simple accepté.")
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=EventType.choices, default=EventType.OTHER
    )
    state = models.CharField(
        _("état"),
        max_length=10,
        choices=EventState.choices,
        default=EventState.SCHEDULED,
    )

    time_zone = models.CharField(_("fuseau horaire"), max_length=40)
    all_day = models.BooleanField(_("toute la journée"), default=False)
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(
        null=True, blank=True, help_text=_("Dernier jour, inclus.")
    )
    rrule = models.CharField(_("règle de récurrence"), max_length=300, blank=True)
    exdates = models.JSONField(default=list, blank=True)
    last_end = models.DateTimeField(
        db_index=True,
        editable=False,
        help_text=_("Fin de la dernière occurrence (lointaine si sans fin)."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    recurrence_id = models.DateTimeField(null=True, blank=True)

    online = models.BooleanField(_("en ligne"), default=False)
    online_url = models.URLField(_("lien de connexion"), max_length=500, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("commune"),
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    organiser = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("organisateur"),
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_held",
        verbose_name=_("lieu : projet de l'annuaire"),
    )
    organiser_project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_organised",
        verbose_name=_("organisé par le projet"),
    )
    audience = models.CharField(_("public"), max_length=200, blank=True)
    price = models.CharField(_("tarif"), max_length=100, blank=True)
    registration_url = models.URLField(
        _("lien d'inscription"), max_length=500, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("places (inscription sur le site)"), null=True, blank=True
    )
    image = models.ImageField(_("image"), upload_to="agenda/", blank=True)
    image_alt = models.CharField(
        _("description de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre l'image, pour qui ne la voit pas."),
    )
    image_credit = models.CharField(_("crédit de l'image"), max_length=150, blank=True)
    calendars = models.ManyToManyField(
        Calendar, blank=True, related_name="events", verbose_name=_("calendriers")
    )

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    source_uid = models.CharField(max_length=255, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    ics_fragment = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [
            models.Index(fields=["status", "last_end", "start"]),
            models.Index(fields=["source", "source_uid"]),
            # The listing's filters by type and territory: the page of ids
            # and its count read these partial indexes only (no table rows
            # on PostgreSQL, where last_end is included).
            models.Index(
                fields=["kind", "department", "start", "id"],
                include=["last_end"],
                condition=Q(parent=None, status="published"),
                name="agenda_listing_kind_idx",
            ),
            models.Index(
                fields=["department", "start", "id"],
                include=["last_end"],
                condition=Q(parent=None, status="published"),
                name="agenda_listing_dept_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_uid"],
                condition=Q(parent=None) & ~Q(source_uid=""),
                name="unique_event_per_source_uid",
            ),
            models.UniqueConstraint(
                fields=["parent", "recurrence_id"],
                condition=~Q(parent=None),
                name="unique_override_per_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@habitat-ensemble.fr"
        if not self.slug:
            self.slug = uuid.uuid4().hex[:12]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        target = self.parent if self.parent_id else self
        return reverse("agenda:detail", args=[target.slug])

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.zone)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def is_cancelled(self) -> bool:
        return self.state == EventState.CANCELLED

    @property
    def moderation_department_code(self) -> str | None:
        return self.department_id

    def set_dates(self, start_date, end_date) -> None:
        """All-day event from its first to its last day (inclusive)."""
        zone = self.zone
        self.all_day = True
        self.start_date, self.end_date = start_date, end_date
        self.start = datetime.combine(start_date, time(), zone)
        self.end = datetime.combine(end_date + timedelta(days=1), time(), zone)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(state=Registration.State.CANCELLED)

    def for_date(self, occurrence_start):
        """Registrations of one date (None: an event that does not repeat)."""
        if occurrence_start is None:
            return self.filter(occurrence_start__isnull=True)
        return self.filter(occurrence_start=occurrence_start)


class Registration(models.Model):
    """A seat at one date of an event with built-in registration.

    A recurring series takes registrations per occurrence: `occurrence_start`
    is the occurrence's original start (its RECURRENCE-ID, so a moved date
    keeps its registrations); it is empty for an event that does not repeat.
    Private to the organisers.
    """

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("inscrit·e")
        WAITING = "waiting", _("liste d'attente")
        CANCELLED = "cancelled", _("désinscrit·e")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations"
    )
    occurrence_start = models.DateTimeField(_("date"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices)
    created_at = models.DateTimeField(
        default=timezone.now,
        help_text=_("Date d'inscription ; l'ordre de la liste d'attente."),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        indexes = [models.Index(fields=["event", "occurrence_start", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(occurrence_start=None),
                name="unique_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["event", "occurrence_start", "user"],
                condition=~Q(occurrence_start=None),
                name="unique_registration_per_person_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"
