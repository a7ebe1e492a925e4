"""People, organisations and the roles people hold in them."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


def normalize_email(email: str) -> str:
    """One account per address, whatever its spelling: trimmed, lower-cased."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email(email))


class User(AbstractUser):
    class Motive(models.TextChoices):
        DREAMING = "dreaming", _("Je rêve d'habiter ainsi")
        IN_GROUP = "in_group", _("Je fais partie d'un groupe")
        PROFESSIONAL = "professional", _("Professionnel·le de l'accompagnement")
        ELECTED = "elected", _("Élu·e ou collectivité")
        ASSOCIATION = "association", _("Association du réseau")
        LANDLORD = "landlord", _("Bailleur social")
        OTHER = "other", _("Autre")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    display_name = models.CharField(_("nom affiché"), max_length=80, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    motive = models.CharField(
        _("ce qui vous amène"), max_length=20, choices=Motive.choices, blank=True
    )
    email_verified = models.BooleanField(_("adresse vérifiée"), default=False)
    is_demo = models.BooleanField(default=False, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_user_email_ci"),
        ]

    def __str__(self) -> str:
        return self.public_name

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        if self.deleted_at:
            return str(_("compte supprimé"))
        # Never derive a public name from the e-mail address: it is private.
        return self.display_name or str(_("membre du réseau"))

    def get_full_name(self) -> str:
        return self.public_name

    def get_short_name(self) -> str:
        return self.public_name

    @cached_property
    def memberships_by_role(self) -> list["Membership"]:
        return list(self.memberships.select_related("organisation"))

    @cached_property
    def moderated_department_codes(self) -> frozenset[str] | None:
        """Départements this person moderates; None means everywhere."""
        from .territory import moderated_department_codes

        return moderated_department_codes(self)

    @property
    def can_moderate_somewhere(self) -> bool:
        codes = self.moderated_department_codes
        return codes is None or bool(codes)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association du réseau")
        NATIONAL = "national", _("Coordination nationale")
        PROFESSIONAL = "professional", _("Professionnel de l'accompagnement")
        LANDLORD = "landlord", _("Bailleur social")
        AUTHORITY = "authority", _("Collectivité locale")
        LAND_TRUST = "land_trust", _("Organisme foncier solidaire")
        PARTNER = "partner", _("Partenaire")

    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("présentation"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_national = models.BooleanField(
        _("territoire national"),
        default=False,
        help_text=_("Ses modérateurs modèrent partout."),
    )
    regions = models.ManyToManyField(
        "territories.Region",
        blank=True,
        related_name="organisations",
        verbose_name=_("régions"),
    )
    departments = models.ManyToManyField(
        "territories.Department",
        blank=True,
        related_name="organisations",
        verbose_name=_("départements"),
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:160]
        super().save(*args, **kwargs)

    def territory_department_codes(self) -> frozenset[str] | None:
        """Départements of the territory; None for a national one."""
        if self.is_national:
            return None
        codes = set(self.departments.values_list("code", flat=True))
        codes.update(
            self.regions.values_list("departments__code", flat=True).exclude(
                departments__code=None
            )
        )
        return frozenset(codes)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("membre")
        EDITOR = "editor", _("éditeur·rice")
        MODERATOR = "moderator", _("modérateur·rice")
        ADMIN = "admin", _("administrateur·rice")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
