"""Seekers' profiles, groups seeking members, cached matches and the relay.

Everything here is personal data: it never appears in public pages, feeds,
exports, the map data or the API. A seeker's profile is seen by its owner;
a group's editors see only findable people, under their pseudonym, until
those people write first.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from habitat.moderation.models import ModeratedContent, Status

from . import scoring
from .choices import Frequency, Timeline


class SeekerProfileQuerySet(models.QuerySet):
    def findable(self):
        return self.filter(findable=True, user__is_active=True)

    def around(self, latitude: float, longitude: float, department: str):
        """Profiles whose zone may contain this point: a bounding-box prefilter."""
        box = models.Q(
            min_latitude__lte=latitude,
            max_latitude__gte=latitude,
            min_longitude__lte=longitude,
            max_longitude__gte=longitude,
        )
        return self.filter(
            box | models.Q(department_codes__icontains=f"[{department}]")
        )


class SeekerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seeker_profile",
    )
    findable = models.BooleanField(
        _("les groupes peuvent me trouver"),
        default=False,
        help_text=_(
            "Les groupes dont le projet vous correspond verront une fiche sous votre "
            "pseudonyme, sans votre nom ni votre adresse e-mail."
        ),
    )
    pseudonym = models.CharField(_("pseudonyme"), max_length=40, blank=True)
    communes = models.ManyToManyField(
        "territories.Commune", blank=True, related_name="+", verbose_name=_("communes")
    )
    departments = models.ManyToManyField(
        "territories.Department",
        blank=True,
        related_name="+",
        verbose_name=_("départements"),
    )
    radius_km = models.PositiveSmallIntegerField(
        _("rayon autour des communes (km)"), default=20
    )
    adults = models.PositiveSmallIntegerField(_("adultes"), default=1)
    children = models.PositiveSmallIntegerField(_("enfants"), default=0)
    ages = models.JSONField(_("âges"), default=list, blank=True)
    budget_purchase = models.PositiveIntegerField(
        _("budget d'achat (€)"), null=True, blank=True
    )
    budget_rent = models.PositiveIntegerField(
        _("loyer mensuel possible (€)"), null=True, blank=True
    )
    tenures = models.JSONField(_("statuts souhaités"), default=list, blank=True)
    timeline = models.CharField(
        _("quand"), max_length=8, choices=Timeline.choices, blank=True
    )
    values = models.JSONField(_("ce qui compte pour vous"), default=list, blank=True)
    skills = models.JSONField(_("compétences"), default=list, blank=True)
    needs_accessibility = models.BooleanField(
        _("besoin d'un logement accessible"), default=False
    )
    accessibility_needs = models.TextField(
        _("besoins d'accessibilité"), blank=True, max_length=1000
    )
    about = models.TextField(_("quelques mots sur vous"), blank=True, max_length=2000)
    notify_frequency = models.CharField(
        _("me prévenir des nouvelles correspondances"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Cached zone, kept by services.save_profile(): scoring and the SQL
    # prefilter read these instead of joining the communes.
    zone_points = models.JSONField(default=list, editable=False)
    department_codes = models.CharField(max_length=400, blank=True, editable=False)
    min_latitude = models.FloatField(null=True, editable=False)
    max_latitude = models.FloatField(null=True, editable=False)
    min_longitude = models.FloatField(null=True, editable=False)
    max_longitude = models.FloatField(null=True, editable=False)

    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeekerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profil de personne en recherche")
        verbose_name_plural = _("profils de personnes en recherche")
        indexes = [
            models.Index(
                fields=["min_latitude", "max_latitude", "min_longitude"],
                name="matching_seeker_box_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Profil {self.pk}"

    @property
    def card_name(self) -> str:
        return self.pseudonym or str(_("Personne n° %(n)s") % {"n": self.pk})

    @property
    def department_list(self) -> list[str]:
        return [code for code in self.department_codes.strip("[]").split("][") if code]

    def as_seeker(self) -> scoring.Seeker:
        return scoring.Seeker(
            points=tuple((lat, lng) for lat, lng in self.zone_points),
            departments=frozenset(self.department_list),
            radius_km=self.radius_km,
            adults=self.adults,
            children=self.children,
            ages=tuple(self.ages),
            budget_purchase=self.budget_purchase,
            budget_rent=self.budget_rent,
            tenures=frozenset(self.tenures),
            timeline=self.timeline,
            values=frozenset(self.values),
            skills=frozenset(self.skills),
            needs_accessibility=self.needs_accessibility,
        )


class GroupSearchQuerySet(models.QuerySet):
    def active(self):
        return self.filter(
            is_active=True,
            project__status=Status.PUBLISHED,
            project__seeking_members=True,
        )


class GroupSearch(models.Model):
    """What a group seeking members offers and whom it looks for."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="group_search"
    )
    is_active = models.BooleanField(_("recherche en cours"), default=True)
    dwellings_free = models.PositiveSmallIntegerField(_("logements libres"), default=1)
    sizes = models.CharField(
        _("tailles des logements"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple : « T2 à T4, 45 à 90 m² »."),
    )
    price_min = models.PositiveIntegerField(
        _("prix d'achat minimum (€)"), null=True, blank=True
    )
    price_max = models.PositiveIntegerField(
        _("prix d'achat maximum (€)"), null=True, blank=True
    )
    rent_min = models.PositiveIntegerField(
        _("loyer mensuel minimum (€)"), null=True, blank=True
    )
    rent_max = models.PositiveIntegerField(
        _("loyer mensuel maximum (€)"), null=True, blank=True
    )
    tenures = models.JSONField(_("statuts proposés"), default=list, blank=True)
    timeline = models.CharField(
        _("emménagement"), max_length=8, choices=Timeline.choices, blank=True
    )
    values = models.JSONField(
        _("ce qui compte pour le groupe"), default=list, blank=True
    )
    wants_children = models.BooleanField(
        _("recherche des familles avec enfants"), default=False
    )
    age_min = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True)
    skills_sought = models.JSONField(
        _("compétences recherchées"), default=list, blank=True
    )
    accessible = models.BooleanField(_("logements accessibles"), default=False)
    seeks_land = models.BooleanField(_("le groupe cherche un terrain"), default=False)
    land_radius_km = models.PositiveSmallIntegerField(
        _("rayon de recherche de terrain (km)"), default=30
    )
    notify_frequency = models.CharField(
        _("prévenir les éditeurs des nouvelles personnes"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Cached from the project, kept by services.save_group_search().
    latitude = models.FloatField(null=True, editable=False)
    longitude = models.FloatField(null=True, editable=False)
    department_code = models.CharField(max_length=3, blank=True, editable=False)

    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GroupSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("recherche de membres")
        verbose_name_plural = _("recherches de membres")
        indexes = [
            models.Index(
                fields=["latitude", "longitude"], name="matching_group_point_idx"
            ),
            models.Index(fields=["department_code"], name="matching_group_dept_idx"),
        ]

    def __str__(self) -> str:
        return str(self.project)

    def as_group(self) -> scoring.Group:
        return scoring.Group(
            latitude=self.latitude,
            longitude=self.longitude,
            department=self.department_code,
            price_min=self.price_min,
            price_max=self.price_max,
            rent_min=self.rent_min,
            rent_max=self.rent_max,
            tenures=frozenset(self.tenures),
            timeline=self.timeline,
            values=frozenset(self.values),
            wants_children=self.wants_children,
            age_min=self.age_min,
            age_max=self.age_max,
            skills_sought=frozenset(self.skills_sought),
            accessible=self.accessible,
        )


class Match(models.Model):
    """A cached score: pages read these rows instead of scoring everyone live.

    The explanations are not stored: `explain()` recomputes them for the few
    rows a page shows.
    """

    seeker = models.ForeignKey(
        SeekerProfile, on_delete=models.CASCADE, related_name="matches"
    )
    group = models.ForeignKey(
        GroupSearch, on_delete=models.CASCADE, related_name="matches"
    )
    score = models.PositiveSmallIntegerField()
    findable = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("correspondance")
        verbose_name_plural = _("correspondances")
        constraints = [
            models.UniqueConstraint(fields=["seeker", "group"], name="unique_match"),
        ]
        indexes = [
            models.Index(fields=["seeker", "-score"], name="matching_seeker_score_idx"),
            models.Index(
                fields=["group", "findable", "-score"], name="matching_group_score_idx"
            ),
            models.Index(fields=["created_at"], name="matching_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Correspondance {self.pk} ({self.score})"

    def explain(
        self, seeker: "SeekerProfile", group: "GroupSearch", *, reader: str
    ) -> None:
        """Attach the parts (`self.parts`), worded for `reader` (scoring.PERSON
        reads about the group, scoring.GROUP about the person)."""
        result = scoring.score(seeker.as_seeker(), group.as_group(), reader=reader)
        self.parts = result.parts


class ConversationQuerySet(models.QuerySet):
    def of_user(self, user):
        """Conversations where `user` is the person, edits the group or wrote the ad."""
        return self.filter(
            models.Q(person=user)
            | models.Q(project__editors=user)
            | models.Q(ad__author=user)
        ).distinct()


class Conversation(models.Model):
    """A relay between one person and the other side: a group (its editors), or
    the author of an ad or a land offer. Exactly one of `project` and `ad` is set;
    the "group" fields below stand for that other side.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    ad = models.ForeignKey(
        "ads.Ad", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_by_person = models.BooleanField(default=True)
    person_has_written = models.BooleanField(default=False)
    person_shares_email = models.BooleanField(default=False)
    group_shares_email = models.BooleanField(default=False)
    group_sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person_read_at = models.DateTimeField(null=True, blank=True)
    group_read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_message_at = models.DateTimeField(db_index=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "project"], name="unique_conversation"
            ),
            models.UniqueConstraint(
                fields=["person", "ad"], name="unique_ad_conversation"
            ),
            models.CheckConstraint(
                condition=models.Q(project__isnull=True, ad__isnull=False)
                | models.Q(project__isnull=False, ad__isnull=True),
                name="conversation_with_a_group_or_an_ad",
            ),
        ]
        indexes = [
            models.Index(
                fields=["started_by", "created_at"], name="matching_first_contact_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("matching:conversation", kwargs={"pk": self.pk})

    @property
    def subject(self) -> str:
        """The other side as the person sees it: the group, or the ad."""
        if self.ad_id:
            return str(_("Annonce « %(title)s »") % {"title": self.ad.title})
        return self.project.name

    def is_other_side(self, user) -> bool:
        """Whether `user` answers for the group (an editor) or the ad (its author)."""
        if self.ad_id:
            return self.ad.author_id == user.pk
        return self.project.editors.filter(pk=user.pk).exists()

    def other_side_emails(self) -> list[str]:
        """Addresses told of the person's messages (never shown to the person)."""
        if self.ad_id:
            author = self.ad.author
            return [author.email] if author.is_active else []
        return list(
            self.project.editors.filter(is_active=True).values_list("email", flat=True)
        )

    @property
    def department_id(self):
        return (self.ad or self.project).department_id

    def person_name_for_group(self, profile: "SeekerProfile | None") -> str:
        """What the group sees of the person: a pseudonym until they write."""
        if self.person_has_written or self.person.deleted_at:
            return self.person.public_name
        if profile is not None:
            return profile.card_name
        return str(_("Personne en recherche"))


class Message(ModeratedContent):
    """One message in a relay. Moderators read it only once it is reported."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_person = models.BooleanField()
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"Message {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("matching:reported_message", kwargs={"pk": self.pk})

    @property
    def is_hidden(self) -> bool:
        return self.status == Status.HIDDEN

    def get_moderation_contact_email(self) -> str | None:
        # Moderation decisions on a message are not mailed to anyone.
        return None


class Block(models.Model):
    """No more messages between this person and this group (or ad), either way."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    ad = models.ForeignKey(
        "ads.Ad", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    by_person = models.BooleanField()
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocage")
        verbose_name_plural = _("blocages")
        constraints = [
            models.UniqueConstraint(fields=["person", "project"], name="unique_block"),
            models.UniqueConstraint(fields=["person", "ad"], name="unique_ad_block"),
        ]

    def __str__(self) -> str:
        return f"Blocage {self.pk}"
