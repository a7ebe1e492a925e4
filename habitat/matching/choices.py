"""Choices shared by profiles, group searches, forms and scoring."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tenure(models.TextChoices):
    OWNERSHIP = "ownership", _("accession à la propriété")
    COOPERATIVE = "cooperative", _("coopérative d'habitants")
    SOCIAL_RENTAL = "social_rental", _("location sociale")
    BRS = "brs", _("bail réel solidaire")


class Value(models.TextChoices):
    ECOLOGY = "ecology", _("écologie")
    INTERGENERATIONAL = "intergenerational", _("intergénérationnel")
    RURAL_LIFE = "rural_life", _("vie à la campagne")
    CITY_LIFE = "city_life", _("vie en ville")
    SHARED_MEALS = "shared_meals", _("repas partagés")
    ACCESSIBILITY = "accessibility", _("accessibilité")
    GARDEN = "garden", _("jardin partagé")
    SOLIDARITY = "solidarity", _("solidarité, accueil")
    CULTURE = "culture", _("vie culturelle")


class Skill(models.TextChoices):
    DIY = "diy", _("bricolage, construction")
    GARDENING = "gardening", _("jardinage")
    ACCOUNTING = "accounting", _("comptabilité, finances")
    LAW = "law", _("droit")
    FACILITATION = "facilitation", _("animation, gouvernance")
    ARCHITECTURE = "architecture", _("architecture")
    COOKING = "cooking", _("cuisine")
    COMMUNICATION = "communication", _("communication")
    CARE = "care", _("soin, aide à la personne")


class Timeline(models.TextChoices):
    ASAP = "asap", _("dès que possible")
    TWO_YEARS = "2y", _("d'ici deux ans")
    FIVE_YEARS = "5y", _("d'ici cinq ans")
    LATER = "later", _("plus tard")


class Frequency(models.TextChoices):
    NEVER = "never", _("jamais")
    IMMEDIATE = "immediate", _("dès qu'une correspondance apparaît")
    DAILY = "daily", _("un résumé par jour")
    WEEKLY = "weekly", _("un résumé par semaine")


VALUE_LABELS = dict(Value.choices)
SKILL_LABELS = dict(Skill.choices)
TIMELINE_LABELS = dict(Timeline.choices)
