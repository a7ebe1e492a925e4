"""Writes on project sheets: propose, edit, revert, confirm, merge, suggest.

Every write keeps the sheet's history (django-simple-history), bumps
`version` (optimistic locking) and writes the moderation audit trail.
"""

import logging
import math
from dataclasses import dataclass

from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from rapidfuzz import fuzz

from habitat.accounts.rules import is_verified
from habitat.core.exceptions import HabitatError
from habitat.core.text import fold
from habitat.core.uploads import clean_image
from habitat.moderation.models import ModerationLog, Status
from habitat.moderation.services import log_action

from .models import (
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    Photo,
    PhotoLicence,
    Project,
    ProjectChange,
)

logger = logging.getLogger(__name__)

# Fields a form, the API or an import may set through these services.
EDITABLE_FIELDS = [
    name for name in PUBLIC_FIELDS if name not in ("slug", "last_verified_at")
] + [
    "commune",
    "latitude",
    "longitude",
    "show_precise_location",
    "landlord_partner",
    "support_professional",
    *PRIVATE_FIELDS,
]
# Fields compared by diffs and the concurrent-edit check.
DIFF_FIELDS = [*EDITABLE_FIELDS, "status"]

DUPLICATE_RADIUS_KM = 10
MAX_PHOTOS = 12
# Every photo change's reason in the sheet's history starts with this.
PHOTO_REASON = "photo "
DUPLICATE_MIN_SCORE = 80


class StaleVersionError(HabitatError):
    """Someone saved the sheet since the form was opened.

    `changes` lists what they changed ({"field", "label", "old", "new"}) and
    `current` is the sheet as it is now, so both versions can be shown.
    """

    def __init__(self, *, current: Project, changes: list[dict]):
        super().__init__(
            "Quelqu'un a modifié cette fiche pendant que vous la modifiiez. "
            "Vérifiez ses changements ci-dessous, puis enregistrez à nouveau.",
            code="stale_version",
        )
        self.current = current
        self.changes = changes


def _label(field_name: str) -> str:
    return str(Project._meta.get_field(field_name).verbose_name)


def _value(obj, field_name: str):
    field = Project._meta.get_field(field_name)
    if field.is_relation:
        return getattr(obj, field.attname)
    return getattr(obj, field_name)


def _display(obj, field_name: str):
    field = Project._meta.get_field(field_name)
    if field.is_relation:
        related = getattr(obj, field_name, None)
        return str(related) if related is not None else ""
    value = getattr(obj, field_name)
    if field.choices and value:
        return str(dict(field.choices).get(value, value))
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def diff(old, new, fields=DIFF_FIELDS) -> list[dict]:
    """Fields that differ between two sheets or history records."""
    changes = []
    for name in fields:
        if _value(old, name) != _value(new, name):
            changes.append(
                {
                    "field": name,
                    "label": _label(name),
                    "old": _display(old, name),
                    "new": _display(new, name),
                }
            )
    return changes


def unique_slug(name: str, *, exclude_pk=None) -> str:
    base = (slugify(name) or "projet")[:200]
    taken = set(
        Project.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean(data: dict) -> dict:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise HabitatError(
            f"Champ inconnu : {', '.join(sorted(unknown))}.", field=sorted(unknown)[0]
        )
    cleaned = dict(data)
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            raise HabitatError("Donnez un nom au projet.", field="name")
    for year_field in ("year_started", "year_moved_in"):
        year = cleaned.get(year_field)
        if year is not None and not 1900 <= int(year) <= timezone.now().year + 15:
            raise HabitatError("Année invalide.", field=year_field)
    lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
    if (lat is None) != (lng is None):
        raise HabitatError(
            "Indiquez la latitude et la longitude, ou aucune des deux.",
            field="latitude",
        )
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise HabitatError("Coordonnées invalides.", field="latitude")
    return cleaned


def _apply(project: Project, data: dict) -> None:
    for name, value in data.items():
        field = Project._meta.get_field(name)
        if field.is_relation and not hasattr(value, "pk") and value is not None:
            setattr(project, field.attname, value)
        else:
            setattr(project, name, value)


def build_project(*, data: dict, author=None, trusted: bool = False) -> Project:
    """An unsaved sheet from `data` (used by propose_project and bulk loaders)."""
    data = _clean(data)
    project = Project(created_by=author)
    _apply(project, data)
    if project.commune_id is None:
        project.needs_location = True
    project.slug = unique_slug(project.name)
    project.last_verified_at = timezone.now()
    if trusted:
        project.status = Status.PUBLISHED
        project.published_at = timezone.now()
    else:
        project.status = Status.PENDING
    return project


@transaction.atomic
def propose_project(
    *, author, data: dict, trusted: bool = False, source: str = "", source_id=""
) -> Project:
    """A verified person proposes a new sheet; it waits for moderation.

    Side effects: the sheet is created (pending, or published when `trusted`,
    e.g. a staff import), its author becomes its first editor, a history
    record and a moderation log line ("submitted" or "approved") are written.
    The association whose territory holds the commune (and the national team)
    sees it in its queue.
    """
    if not trusted and (author is None or not is_verified(author)):
        raise HabitatError(
            "Confirmez votre adresse e-mail avant de proposer une fiche.",
            code="not_verified",
        )
    project = build_project(data=data, author=author, trusted=trusted)
    project.source, project.source_id = source, str(source_id or "")
    project._history_user = author
    project.save()
    if author is not None:
        project.editors.add(author)
    log_action(
        obj=project,
        action=ModerationLog.Action.APPROVED
        if trusted
        else ModerationLog.Action.SUBMITTED,
        actor=author,
    )
    logger.info("Project %s proposed (trusted=%s)", project.pk, trusted)
    return project


def can_edit_directly(user, project: Project) -> bool:
    return bool(user and user.has_perm("projects.change_project", project))


@transaction.atomic
def update_project(
    *, project: Project, data: dict, editor, expected_version: int | None
) -> Project:
    """Save an editor's change, unless someone else saved since.

    Side effects: the sheet is updated and its version bumped, a history
    record and an "edited" log line are written. Raises StaleVersionError
    (with the other person's changes) if `expected_version` is not current,
    HabitatError if `editor` may not edit the sheet.
    """
    if not can_edit_directly(editor, project):
        raise HabitatError(
            "Vous ne pouvez pas modifier cette fiche.", code="permission_denied"
        )
    data = _clean(data)
    current = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is None or int(expected_version) != current.version:
        raise StaleVersionError(
            current=current, changes=changes_since(current, expected_version)
        )

    before = Project.objects.get(pk=project.pk)
    _apply(current, data)
    changes = diff(before, current)
    if not changes:
        return current
    current.version += 1
    current._history_user = editor
    current._change_reason = "edited"
    current.save()
    log_action(
        obj=current,
        action=ModerationLog.Action.EDITED,
        actor=editor,
        changes={"fields": [change["field"] for change in changes]},
    )
    project.refresh_from_db()
    return current


def changes_since(current: Project, version) -> list[dict]:
    """What changed on the sheet after `version` (from its history)."""
    try:
        version = int(version)
    except (TypeError, ValueError):
        return []
    base = current.history.filter(version__lte=version).order_by("-history_id").first()
    if base is None:
        return []
    return diff(base, current)


@transaction.atomic
def suggest_change(*, project: Project, data: dict, author) -> ProjectChange:
    """Someone who is not an editor reports a change; moderators decide.

    Side effects: a pending ProjectChange in the territory's queue (with its
    diff) and a "submitted" log line on the sheet.
    """
    if author is None or not is_verified(author):
        raise HabitatError(
            "Confirmez votre adresse e-mail avant de proposer une modification.",
            code="not_verified",
        )
    data = _clean(data)
    data = {name: value for name, value in data.items() if name not in PRIVATE_FIELDS}
    proposed = Project.objects.get(pk=project.pk)
    _apply(proposed, data)
    changed = {c["field"] for c in diff(project, proposed, fields=list(data))}
    if not changed:
        raise HabitatError("Vous n'avez rien changé.", code="no_change")
    serialisable = {
        name: (value.pk if hasattr(value, "pk") else value)
        for name, value in data.items()
        if name in changed
    }
    change = ProjectChange.objects.create(
        project=project,
        author=author,
        data=serialisable,
        base_version=project.version,
        department_id=project.department_id,
        status=Status.PENDING,
    )
    log_action(obj=project, action=ModerationLog.Action.SUBMITTED, actor=author)
    return change


def change_diff(change: ProjectChange) -> list[dict]:
    """Diff shown in the queue for a proposed change."""
    proposed = Project.objects.get(pk=change.project_id)
    current = Project.objects.get(pk=change.project_id)
    _apply(proposed, change.data)
    fields = [name for name in EDITABLE_FIELDS if name in change.data]
    return diff(current, proposed, fields=fields)


def project_diff(project: Project) -> list[dict]:
    """Diff shown in the queue for a sheet: its last change, or all its fields.

    Photo changes leave the fields alone (see `_record_photo_change`): they
    are skipped when looking for the last change, and the sheet's current
    photos are listed so moderators see them too.
    """
    records = list(
        project.history.exclude(
            history_change_reason__startswith=PHOTO_REASON
        ).order_by("-history_id")[:2]
    )
    if len(records) == 2:
        changes = diff(records[1], records[0])
    else:
        empty = Project()
        changes = diff(empty, project, fields=[f for f in PUBLIC_FIELDS if f != "slug"])
    captions = [
        f"{photo.caption} ({photo.licence})" if photo.licence else photo.caption
        for photo in project.photos.all()
    ]
    if captions:
        changes.append(
            {
                "field": "photos",
                "label": "Photos",
                "old": "",
                "new": ", ".join(captions),
            }
        )
    return changes


@transaction.atomic
def apply_change(*, change: ProjectChange, actor=None) -> Project:
    """Apply an approved ProjectChange to its sheet (once)."""
    change = ProjectChange.objects.select_for_update().get(pk=change.pk)
    if change.applied_at:
        return change.project
    project = Project.objects.select_for_update().get(pk=change.project_id)
    _apply(project, change.data)
    project.version += 1
    project._history_user = actor or change.author
    project._change_reason = "suggested change approved"
    project.save()
    change.applied_at = timezone.now()
    change.save(update_fields=["applied_at"])
    log_action(
        obj=project,
        action=ModerationLog.Action.EDITED,
        actor=actor,
        changes={"fields": list(change.data), "suggested_by": change.author_id},
    )
    return project


@transaction.atomic
def revert_project(*, project: Project, history_id: int, actor) -> Project:
    """Put the sheet back as it was in one history record.

    Side effects: a new version and history record, a "reverted" log line.
    """
    if not can_edit_directly(actor, project):
        raise HabitatError(
            "Vous ne pouvez pas modifier cette fiche.", code="permission_denied"
        )
    record = project.history.filter(history_id=history_id).first()
    if record is None:
        raise HabitatError("Version introuvable.", field="history_id")
    current = Project.objects.select_for_update().get(pk=project.pk)
    for name in EDITABLE_FIELDS:
        setattr(current, Project._meta.get_field(name).attname, _value(record, name))
    current.version += 1
    current._history_user = actor
    current._change_reason = f"reverted to {history_id}"
    current.save()
    log_action(
        obj=current,
        action=ModerationLog.Action.REVERTED,
        actor=actor,
        changes={"history_id": history_id},
    )
    return current


CONFIRM_SALT = "projects.confirm_current"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 90


def confirmation_token(project: Project) -> str:
    """The signed token of the yearly e-mail's link (no login needed)."""
    return signing.dumps({"p": project.pk, "v": project.version}, salt=CONFIRM_SALT)


def project_for_confirmation(*, token: str) -> Project | None:
    """The sheet a confirmation token was made for, or None if it is not valid."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Project.objects.filter(pk=data.get("p")).first()


def confirm_current(*, project: Project, actor=None) -> Project:
    """The group confirms the sheet is up to date (one click from the e-mail).

    Side effects: last_verified_at set to now (history kept).
    """
    project.last_verified_at = timezone.now()
    project._history_user = actor if actor and actor.is_authenticated else None
    project._change_reason = "confirmed current"
    project.save(update_fields=["last_verified_at", "updated_at"])
    logger.info("Project %s confirmed current", project.pk)
    return project


@transaction.atomic
def merge_projects(*, source: Project, target: Project, actor) -> Project:
    """Merge `source` into `target` (moderators only).

    Side effects: target's empty fields take source's values, editors and
    photos move to target, source is withdrawn and points to target (its
    slug redirects there), both histories are kept, a "merged" log line is
    written on both sheets.
    """
    if source.pk == target.pk:
        raise HabitatError("Choisissez deux fiches différentes.", field="target")
    for obj in (source, target):
        if not actor.has_perm("projects.merge_project", obj):
            raise HabitatError(
                "Seule la modération de ces territoires peut fusionner ces fiches.",
                code="permission_denied",
            )
    target = Project.objects.select_for_update().get(pk=target.pk)
    source = Project.objects.select_for_update().get(pk=source.pk)
    for name in EDITABLE_FIELDS:
        if _value(target, name) in (None, "", []) and _value(source, name) not in (
            None,
            "",
            [],
        ):
            setattr(target, Project._meta.get_field(name).attname, _value(source, name))
    target.version += 1
    target._history_user = actor
    target._change_reason = f"merged from {source.pk}"
    target.save()
    target.editors.add(*source.editors.all())
    Photo.objects.filter(project=source).update(project=target)
    ProjectChange.objects.filter(project=source, status=Status.PENDING).update(
        project=target
    )

    source.status = Status.WITHDRAWN
    source.merged_into = target
    source.version += 1
    source._history_user = actor
    source._change_reason = f"merged into {target.pk}"
    source.save()
    for obj, other in ((source, target), (target, source)):
        log_action(
            obj=obj,
            action=ModerationLog.Action.MERGED,
            actor=actor,
            changes={"source": source.pk, "target": target.pk, "other": other.slug},
        )
    return target


def _check_photo_fields(*, caption: str, credit: str, licence: str) -> dict:
    caption, credit = (caption or "").strip(), (credit or "").strip()
    if not caption:
        raise HabitatError(
            "Décrivez la photo en quelques mots (texte lu aux personnes aveugles).",
            field="caption",
        )
    if licence not in PhotoLicence.values:
        raise HabitatError(
            "Choisissez une licence libre dans la liste.", field="licence"
        )
    if not credit and licence not in (PhotoLicence.CC0, PhotoLicence.ETALAB):
        raise HabitatError(
            "Indiquez l'auteur ou l'autrice de la photo : la licence l'exige.",
            field="credit",
        )
    return {"caption": caption[:200], "credit": credit[:150], "licence": licence}


def _record_photo_change(*, project: Project, actor, what: str, photo: Photo):
    """A line in the sheet's history and in the territory's audit trail."""
    sheet = Project.objects.get(pk=project.pk)
    sheet._history_user = actor
    sheet._change_reason = f"{what} : {photo.caption}"[:100]
    sheet.save(update_fields=["updated_at"])
    log_action(
        obj=sheet,
        action=ModerationLog.Action.EDITED,
        actor=actor,
        changes={"photos": what, "photo": photo.pk, "caption": photo.caption},
    )


def _check_can_edit(actor, project: Project) -> None:
    if not can_edit_directly(actor, project):
        raise HabitatError(
            "Vous ne pouvez pas modifier cette fiche.", code="permission_denied"
        )


@transaction.atomic
def add_photo(
    *, project: Project, upload, caption: str, credit: str, licence: str, actor
) -> Photo:
    """An editor adds a photo to the sheet, shown last.

    The file goes through core.uploads.clean_image (type read from the
    content, EXIF orientation applied, location and other metadata removed,
    size and pixel limits, SVG refused). Side effects: the file is stored,
    the photo's history, a line in the sheet's history ("photo ajoutée") and
    an "edited" line in the audit trail are written.
    """
    _check_can_edit(actor, project)
    fields = _check_photo_fields(caption=caption, credit=credit, licence=licence)
    if project.photos.count() >= MAX_PHOTOS:
        raise HabitatError(
            f"Une fiche compte au plus {MAX_PHOTOS} photos : retirez-en une d'abord.",
            field="image",
        )
    cleaned = clean_image(upload, field="image")
    last = project.photos.order_by("-position").values_list("position", flat=True)
    photo = Photo(project=project, position=(last.first() or 0) + 1, **fields)
    photo.image.save(cleaned.name, cleaned, save=False)
    photo._history_user = actor
    photo.save()
    _record_photo_change(
        project=project, actor=actor, what="photo ajoutée", photo=photo
    )
    logger.info("Photo %s added to project %s", photo.pk, project.pk)
    return photo


@transaction.atomic
def update_photo(
    *, photo: Photo, caption: str, credit: str, licence: str, actor
) -> Photo:
    """Change a photo's caption, credit or licence (history and audit trail)."""
    _check_can_edit(actor, photo.project)
    fields = _check_photo_fields(caption=caption, credit=credit, licence=licence)
    if all(getattr(photo, name) == value for name, value in fields.items()):
        return photo
    for name, value in fields.items():
        setattr(photo, name, value)
    photo._history_user = actor
    photo.save()
    _record_photo_change(
        project=photo.project, actor=actor, what="photo modifiée", photo=photo
    )
    return photo


@transaction.atomic
def remove_photo(*, photo: Photo, actor) -> None:
    """Remove a photo from the sheet; its file is deleted once committed.

    Side effects: the photo's history keeps its caption, credit and licence;
    lines in the sheet's history and the audit trail.
    """
    project = photo.project
    _check_can_edit(actor, project)
    storage, name = photo.image.storage, photo.image.name
    photo._history_user = actor
    _record_photo_change(
        project=project, actor=actor, what="photo retirée", photo=photo
    )
    photo.delete()
    _renumber(project)
    transaction.on_commit(lambda: storage.delete(name) if name else None)


@transaction.atomic
def move_photo(*, photo: Photo, step: int, actor) -> None:
    """Move a photo one place earlier (step -1) or later (step 1)."""
    project = photo.project
    _check_can_edit(actor, project)
    photos = list(project.photos.select_for_update().order_by("position", "id"))
    index = next(i for i, item in enumerate(photos) if item.pk == photo.pk)
    other = index + (1 if step > 0 else -1)
    if not 0 <= other < len(photos):
        return
    photos[index], photos[other] = photos[other], photos[index]
    _renumber(project, photos)
    _record_photo_change(
        project=project, actor=actor, what="photo déplacée", photo=photo
    )


def _renumber(project: Project, photos=None) -> None:
    photos = (
        photos
        if photos is not None
        else list(project.photos.order_by("position", "id"))
    )
    for position, item in enumerate(photos, start=1):
        item.position = position
    Photo.objects.bulk_update(photos, ["position"])


@dataclass
class Duplicate:
    project: Project
    score: float
    distance_km: float | None


def _distance_km(lat1, lng1, lat2, lng2) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlng = rlat2 - rlat1, math.radians(lng2 - lng1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlng / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(a))


def likely_duplicates(
    *, name: str, commune, radius_km: float = DUPLICATE_RADIUS_KM, limit: int = 5
) -> list[Duplicate]:
    """Existing sheets with a similar name within `radius_km` of `commune`."""
    folded = fold(name)
    if not folded or commune is None or commune.latitude is None:
        return []
    dlat = radius_km / 111.0
    dlng = radius_km / (111.0 * max(math.cos(math.radians(commune.latitude)), 0.1))
    candidates = (
        Project.objects.exclude(status__in=[Status.WITHDRAWN, Status.REJECTED])
        .filter(
            commune__latitude__range=(commune.latitude - dlat, commune.latitude + dlat),
            commune__longitude__range=(
                commune.longitude - dlng,
                commune.longitude + dlng,
            ),
        )
        .select_related("commune")
    )
    found = []
    for project in candidates[:500]:
        score = fuzz.token_set_ratio(folded, fold(project.name))
        if score < DUPLICATE_MIN_SCORE:
            continue
        distance = _distance_km(
            commune.latitude,
            commune.longitude,
            project.commune.latitude,
            project.commune.longitude,
        )
        if distance <= radius_km:
            found.append(Duplicate(project=project, score=score, distance_km=distance))
    found.sort(key=lambda d: (-d.score, d.distance_km))
    return found[:limit]


# One statement for both databases: a correlated subquery, since SQLite
# before 3.33 has no UPDATE ... FROM; IS NOT is SQLite's IS DISTINCT FROM.
MAP_POINT_SQL = """
UPDATE projects_project SET map_latitude = {lat}, map_longitude = {lng}
WHERE map_latitude {distinct} {lat} OR map_longitude {distinct} {lng}
"""
_MAP_POINT_EXPR = (
    "CASE WHEN show_precise_location AND latitude IS NOT NULL"
    " AND longitude IS NOT NULL THEN {field} ELSE (SELECT c.{field}"
    " FROM territories_commune c WHERE c.insee = projects_project.commune_id) END"
)


def map_point_sql(vendor: str) -> str:
    """The UPDATE that sets every sheet's stored public point (migration 0007
    holds a frozen copy)."""
    return MAP_POINT_SQL.format(
        lat=_MAP_POINT_EXPR.format(field="latitude"),
        lng=_MAP_POINT_EXPR.format(field="longitude"),
        distinct="IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT",
    )


def refresh_map_points() -> int:
    """Recompute the stored public point of every sheet, in one UPDATE.

    For writes that bypass `Project.save()`: a geography load that moved
    communes, a restore, bulk loads. Only rows whose point changed are
    written (no history record, `updated_at` kept). Side effect: if any
    moved, the map data, the directory's cached outputs and the anonymous
    page cache are dropped after the commit. Returns the number of sheets
    updated.
    """
    with connection.cursor() as cursor:
        cursor.execute(map_point_sql(connection.vendor))
        updated = cursor.rowcount
    if updated:
        transaction.on_commit(_forget_map_outputs)
    logger.info("Stored map points refreshed: %s sheets updated", updated)
    return updated


def _forget_map_outputs() -> None:
    from habitat.core import pagecache

    from . import cache as project_cache
    from . import map as project_map

    project_map.invalidate()
    project_cache.bump()
    pagecache.bump()
