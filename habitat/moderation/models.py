"""Moderation by territory: statuses, the audit trail and reports.

Content that needs moderation inherits `ModeratedContent`; its app registers
it in `habitat.moderation.registry` so that it shows in the queue. Nothing is
ever deleted by moderation: it is hidden or rejected, with a trace here.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    PENDING = "pending", _("en attente de modération")
    PUBLISHED = "published", _("publié")
    REJECTED = "rejected", _("refusé")
    HIDDEN = "hidden", _("masqué par la modération")
    WITHDRAWN = "withdrawn", _("retiré")


class ModeratedContent(models.Model):
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    department = models.ForeignKey(
        "territories.Department",
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Détermine l'association qui modère ce contenu."),
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    moderation_reason = models.TextField(_("motif de modération"), blank=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        # Django rebuilds a dict of every choice at each get_FOO_display()
        # call, translating every lazy label to hash it: a listing of twenty
        # rows paid hundreds of translations. One dict per field instead.
        labels = field.__dict__.get("_display_labels")
        if labels is None:
            labels = field._display_labels = dict(field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)

    @property
    def moderation_department_code(self) -> str | None:
        return self.department_id

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class ModerationLog(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("soumis")
        APPROVED = "approved", _("publié")
        REJECTED = "rejected", _("refusé")
        HIDDEN = "hidden", _("masqué")
        RESTORED = "restored", _("rétabli")
        REPORTED = "reported", _("signalé")
        EDITED = "edited", _("modifié")
        REVERTED = "reverted", _("version restaurée")
        MERGED = "merged", _("fusionné")
        WITHDRAWN = "withdrawn", _("retiré")
        IMPORTED = "imported", _("importé")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200)
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    department_code = models.CharField(max_length=3, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("décision de modération")
        verbose_name_plural = _("journal de modération")

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.object_repr}"


class Report(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("motif"), max_length=2000)
    department_code = models.CharField(max_length=3, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")

    def __str__(self) -> str:
        return f"Signalement #{self.pk}"
