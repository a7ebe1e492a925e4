"""Turn one record of an import file into the values of a project sheet.

Each value is cleaned on its own and every repair is noted as a warning, so
the report can say what was changed. A record is refused only when it has
no name; everything else (an unknown commune, a bad e-mail) is kept, flagged
or dropped with a warning.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone

from habitat.core.text import fold, html_to_text, strip_control
from habitat.moderation.models import Status

from . import mapping as maps
from .places import resolve

TEXT_LIMITS = {
    "name": 200,
    "short_description": 300,
    "rent_info": 200,
    "contact_name": 120,
    "contact_phone": 40,
}
LONG_TEXTS = ("description", "intentions", "social_life", "participation")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\(?\d[\d\s().-]{7,}\d")


@dataclass
class Candidate:
    """A cleaned record, ready to be matched and written."""

    line: int
    name: str = ""
    source_id: str = ""
    values: dict = field(default_factory=dict)
    commune: object = None
    status: str = Status.PUBLISHED
    warnings: list = field(default_factory=list)
    error: str = ""


def clean_record(record: dict, mapping: dict, *, resolver=resolve) -> Candidate:
    """A Candidate from one record (dict of strings) and a column mapping."""
    raw = {}
    for header, target in mapping.items():
        value = record.get(header)
        if value is not None:
            raw[target] = strip_control(value).strip()
    candidate = Candidate(line=record.get("__line__", 0))
    if record.get("__error__"):
        candidate.error = record["__error__"]
        return candidate

    candidate.name = " ".join(raw.get("name", "").split())[: TEXT_LIMITS["name"]]
    candidate.source_id = raw.get("source_id", "")[:100]
    if not candidate.name:
        candidate.error = "Nom du projet manquant."
        return candidate

    values = candidate.values
    warn = candidate.warnings.append
    values["name"] = candidate.name
    _texts(raw, values)
    _choices(raw, values, warn)
    _numbers(raw, values, warn)
    _website(raw, values, warn)
    _contact(raw, values, warn)
    _point(raw, values, warn)
    _verified_at(raw, values)
    candidate.status = _status(raw)
    candidate.commune = _commune(raw, warn, resolver)
    return candidate


def _texts(raw, values):
    short = html_to_text(raw.get("short_description", ""))
    values["short_description"] = " ".join(short.split())[:300]
    for name in LONG_TEXTS:
        values[name] = html_to_text(raw.get(name, ""))
    values["rent_info"] = raw.get("rent_info", "")[:200]


def _choices(raw, values, warn):
    group = maps.GROUP_STAGES.get(fold(raw.get("group_stage", "")), "")
    project = maps.PROJECT_STAGES.get(fold(raw.get("project_stage", "")), "")
    if raw.get("stage"):
        free_group, free_project = maps.FREE_STAGES.get(fold(raw["stage"]), ("", ""))
        if not (free_group or free_project):
            warn(f"Étape inconnue ignorée : « {raw['stage']} ».")
        group, project = group or free_group, project or free_project
    if fold(raw.get("state", "")) in ("sommeil", "en sommeil", "dormant"):
        project = maps.ProjectStage.STOPPED
    values["group_stage"] = group
    values["project_stage"] = project
    values["seeking_members"] = group == maps.GroupStage.SEEKING_RESIDENTS

    values["setting"] = maps.SETTINGS.get(fold(raw.get("setting", "")), "")
    values["architecture_type"] = maps.ARCHITECTURE_TYPES.get(
        fold(raw.get("architecture_type", "")), ""
    )

    structures = []
    for part in re.split(r"[,;+/]| et ", raw.get("legal_structures", "")):
        key = fold(part)
        if not key:
            continue
        structure = maps.LEGAL_STRUCTURES.get(key)
        if structure is None:
            warn(f"Statut juridique inconnu, noté « autre » : « {part.strip()} ».")
            structure = maps.LegalStructure.OTHER
        if structure not in structures:
            structures.append(str(structure))
    values["legal_structures"] = structures


def _integer(text: str):
    compact = text.replace(" ", "").replace("\xa0", "")
    return int(compact) if compact.isdigit() else None


def _numbers(raw, values, warn):
    dwellings = raw.get("dwellings", "")
    values["dwellings"] = _integer(dwellings)
    values["dwellings_text"] = ""
    if dwellings and values["dwellings"] is None:
        values["dwellings_text"] = dwellings[:60]
        warn(f"Nombre de logements non entier, gardé en texte : « {dwellings} ».")
    for name in ("households_now", "households_target"):
        text = raw.get(name, "")
        values[name] = _integer(text)
        if text and values[name] is None:
            warn(f"Nombre de foyers non entier ignoré : « {text} ».")


def _website(raw, values, warn):
    site = raw.get("website", "").strip()
    if site and not re.match(r"(?i)^https?://", site):
        if "://" in site or site.startswith("//"):
            warn(f"Site internet ignoré (adresse non web) : « {site} ».")
            site = ""
        else:
            site = f"https://{site}"
            warn(f"Site internet complété en {site}.")
    if site:
        try:
            URLValidator(schemes=["http", "https"])(site)
        except ValidationError:
            warn(f"Site internet invalide ignoré : « {site} ».")
            site = ""
    values["website"] = site[:300]


def _contact(raw, values, warn):
    free = raw.get("contact", "")
    email = raw.get("contact_email", "").strip().lower()
    phone = raw.get("contact_phone", "")
    if free:
        found = EMAIL.search(free)
        if found and not email:
            email = found.group(0).lower()
        free = EMAIL.sub(" ", free)
        found = PHONE.search(free)
        if found and not phone:
            phone = found.group(0)
        free = PHONE.sub(" ", free)
        free = re.sub(r"(?i)\b(t[ée]l|mail|e-mail|courriel)\b\.?\s*:?", " ", free)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            warn("E-mail de contact invalide ignoré.")
            email = ""
    first = raw.get("contact_first_name", "")
    last = raw.get("contact_last_name", "")
    name = " ".join(f"{first} {last} {free}".split())
    values["contact_name"] = name[: TEXT_LIMITS["contact_name"]]
    values["contact_email"] = email[:254]
    values["contact_phone"] = " ".join(phone.split())[: TEXT_LIMITS["contact_phone"]]


def _point(raw, values, warn):
    try:
        latitude = float(raw.get("latitude", "").replace(",", ".") or "nan")
        longitude = float(raw.get("longitude", "").replace(",", ".") or "nan")
    except ValueError:
        warn("Coordonnées illisibles ignorées.")
        latitude = longitude = float("nan")
    if latitude != latitude or longitude != longitude:  # NaN: no point
        values["latitude"] = values["longitude"] = None
        return
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        warn("Coordonnées hors limites ignorées.")
        values["latitude"] = values["longitude"] = None
        return
    values["latitude"], values["longitude"] = latitude, longitude


def _verified_at(raw, values):
    text = raw.get("updated_at", "")
    try:
        moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return
    values["last_verified_at"] = timezone.make_aware(moment)


def _status(raw) -> str:
    status = raw.get("status", "")
    if status == "" or status == "1" or fold(status) in ("publie", "published"):
        return Status.PUBLISHED
    return Status.PENDING


def _commune(raw, warn, resolver):
    postal_code = raw.get("postal_code", "").replace(" ", "")
    if postal_code.isdigit() and len(postal_code) == 4:
        warn(f"Code postal à 4 chiffres complété : {postal_code} → 0{postal_code}.")
        postal_code = f"0{postal_code}"
    elif postal_code and not (postal_code.isdigit() and len(postal_code) == 5):
        warn(f"Code postal invalide ignoré : « {postal_code} ».")
        postal_code = ""
    insee = raw.get("insee", "").upper()
    name = raw.get("commune_name", "")
    if not (postal_code or insee or name):
        warn("Aucune commune indiquée : fiche à localiser.")
        return None

    commune, warnings = resolver(postal_code=postal_code, name=name, insee=insee)
    for message in warnings:
        warn(message)
    if commune is None:
        warn(
            f"Commune introuvable ({name or '?'} {postal_code or insee}) : "
            "fiche à localiser."
        )
    return commune
