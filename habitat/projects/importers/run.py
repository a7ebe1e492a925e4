"""Import a file of projects: plan every row, then (unless dry run) write.

A row is matched to an existing sheet on (source, source id), else on the
folded name and INSEE code, so importing the same file twice creates
nothing new. Two rows of one source with different ids are never merged by
name (the source says they are two entries), but they are flagged as
possible duplicates. An update only fills fields the file gives a value for:
a sparse spreadsheet never blanks a richer sheet.
"""

import logging
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from habitat.core.text import fold
from habitat.moderation.models import ModerationLog, Status
from habitat.moderation.services import log_action

from ..models import Project
from .cleaning import Candidate, clean_record
from .mapping import build_mapping
from .places import cached_resolver
from .readers import read_file

logger = logging.getLogger(__name__)

CREATED, UPDATED, SKIPPED, REFUSED = "created", "updated", "skipped", "refused"
ACTION_LABELS = {
    CREATED: "créée",
    UPDATED: "mise à jour",
    SKIPPED: "ignorée",
    REFUSED: "refusée",
}


@dataclass
class RowResult:
    line: int
    name: str
    source_id: str
    action: str
    reason: str = ""
    warnings: list = field(default_factory=list)
    project_id: int | None = None
    needs_location: bool = False
    changes: list = field(default_factory=list)


@dataclass
class ImportReport:
    format: str
    source: str
    encoding: str
    delimiter: str
    mapping: dict
    ignored_columns: list
    dry_run: bool
    rows: list = field(default_factory=list)

    @property
    def counts(self) -> dict:
        counts = {CREATED: 0, UPDATED: 0, SKIPPED: 0, REFUSED: 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def summary(self) -> str:
        counts = self.counts
        prefix = "Simulation : " if self.dry_run else ""
        return (
            f"{prefix}{len(self.rows)} lignes lues, {counts[CREATED]} créées, "
            f"{counts[UPDATED]} mises à jour, {counts[SKIPPED]} ignorées, "
            f"{counts[REFUSED]} refusées."
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data["counts"] = self.counts
        data["summary"] = self.summary()
        return data


@dataclass
class _Plan:
    candidate: Candidate
    result: RowResult
    project: Project | None = None
    changes: dict = field(default_factory=dict)


# Fields compared and written; the commune is handled on its own.
WRITABLE = [
    "name",
    "short_description",
    "description",
    "intentions",
    "social_life",
    "participation",
    "website",
    "latitude",
    "longitude",
    "setting",
    "group_stage",
    "project_stage",
    "seeking_members",
    "architecture_type",
    "legal_structures",
    "dwellings",
    "dwellings_text",
    "households_now",
    "households_target",
    "rent_info",
    "contact_name",
    "contact_email",
    "contact_phone",
    "last_verified_at",
]


def import_projects(
    data: bytes,
    *,
    format: str | None = None,
    filename: str = "",
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: dict | None = None,
    dry_run: bool = False,
    actor=None,
    progress=None,
) -> ImportReport:
    """Import projects from the bytes of a Bazar JSON or CSV file.

    Side effects (not in a dry run): projects created or updated through the
    model (history row, version bumped on update, département from the
    commune), one ModerationLog line "imported" per written project, one log
    line with the counts. `progress(done, total)` is called as rows go.
    Raises HabitatError when the file cannot be read at all.
    """
    format, headers, records, detected = read_file(
        data, format=format, filename=filename, encoding=encoding, delimiter=delimiter
    )
    column_mapping = build_mapping(headers, mapping)
    source = "bazar" if format == "bazar" else "csv"
    report = ImportReport(
        format=format,
        source=source,
        encoding=detected["encoding"],
        delimiter=detected["delimiter"],
        mapping=column_mapping,
        ignored_columns=[h for h in headers if h not in column_mapping],
        dry_run=dry_run,
    )

    plans = plan_rows(records, column_mapping, source=source, progress=progress)
    report.rows = [plan.result for plan in plans]
    if not dry_run:
        apply_plans(plans, source=source, actor=actor, progress=progress)
    logger.info("Import %s (%s rows): %s", source, len(records), report.counts)
    return report


def preview(data: bytes, *, limit: int = 10, **options) -> dict:
    """The first rows of a file and the mapping that would be used."""
    format, headers, records, detected = read_file(data, **options_for_read(options))
    column_mapping = build_mapping(headers, options.get("mapping"))
    return {
        "format": format,
        "headers": headers,
        "rows": [[record.get(h, "") for h in headers] for record in records[:limit]],
        "total": len(records),
        "mapping": column_mapping,
        **detected,
    }


def options_for_read(options: dict) -> dict:
    keys = ("format", "filename", "encoding", "delimiter")
    return {key: options[key] for key in keys if key in options}


def plan_rows(records, column_mapping, *, source, progress=None) -> list[_Plan]:
    """What would happen to every record; reads the database, writes nothing."""
    by_source_id, by_name = _index_existing(source)
    seen_ids: dict[str, int] = {}
    planned_names: dict[tuple, list] = {}
    resolver = cached_resolver()
    plans = []

    candidates = [clean_record(r, column_mapping, resolver=resolver) for r in records]
    matched_ids = set()
    for candidate in candidates:
        project_id = _match(candidate, source, by_source_id, by_name)
        if project_id:
            matched_ids.add(project_id)
    projects = Project.objects.select_related("commune").in_bulk(matched_ids)

    total = len(candidates)
    for position, candidate in enumerate(candidates, start=1):
        result = RowResult(
            line=candidate.line,
            name=candidate.name,
            source_id=candidate.source_id,
            action=REFUSED,
            warnings=candidate.warnings,
            needs_location=candidate.commune is None,
        )
        plan = _Plan(candidate=candidate, result=result)
        plans.append(plan)
        if progress and position % 50 == 0:
            progress(position, total * 2)
        if candidate.error:
            result.reason = candidate.error
            continue

        if candidate.source_id:
            if candidate.source_id in seen_ids:
                result.reason = (
                    f"Identifiant {candidate.source_id} déjà vu ligne "
                    f"{seen_ids[candidate.source_id]}."
                )
                continue
            seen_ids[candidate.source_id] = candidate.line

        name_key = _name_key(candidate.name, candidate.commune)
        earlier = planned_names.get(name_key, [])
        if earlier and not candidate.source_id:
            result.action = SKIPPED
            result.reason = f"Doublon de la ligne {earlier[0].line} dans le fichier."
            continue
        if earlier:
            result.warnings.append(
                f"Doublon possible de « {earlier[0].name} » (ligne {earlier[0].line})."
            )
        planned_names.setdefault(name_key, []).append(candidate)

        project_id = _match(candidate, source, by_source_id, by_name)
        project = projects.get(project_id)
        same_name = by_name.get(_name_key(candidate.name, candidate.commune), [])
        if project is not None and len(same_name) > 1:
            result.warnings.append(
                f"{len(same_name)} fiches portent ce nom dans cette commune : "
                f"mise à jour de la fiche n° {project.pk}."
            )
        if project is None:
            result.action = CREATED
            continue
        plan.project = project
        result.project_id = project.pk
        plan.changes = _changes(project, candidate)
        result.changes = sorted(plan.changes)
        result.needs_location = project.needs_location and not candidate.commune
        if plan.changes:
            result.action = UPDATED
        else:
            result.action = SKIPPED
            result.reason = "Déjà à jour."
    return plans


def _name_key(name: str, commune) -> tuple:
    return (fold(name), commune.pk if commune is not None else None)


def _index_existing(source):
    """Existing sheets by (source id) and by (folded name, INSEE)."""
    by_source_id = {}
    by_name: dict[tuple, list] = {}
    rows = Project.objects.filter(merged_into=None).values_list(
        "pk", "name", "commune_id", "source", "source_id"
    )
    for pk, name, commune_id, project_source, source_id in rows:
        if project_source == source and source_id:
            by_source_id[source_id] = pk
        key = (fold(name), commune_id)
        by_name.setdefault(key, []).append((pk, project_source, source_id))
    return by_source_id, by_name


def _match(candidate, source, by_source_id, by_name):
    if candidate.error:
        return None
    if candidate.source_id and candidate.source_id in by_source_id:
        return by_source_id[candidate.source_id]
    for pk, project_source, source_id in by_name.get(
        _name_key(candidate.name, candidate.commune), []
    ):
        other_entry = project_source == source and source_id and candidate.source_id
        if not other_entry:
            return pk
    return None


def _empty(value) -> bool:
    return value in ("", None, [])


def _changes(project, candidate) -> dict:
    """{field: new value} for what the row would change on `project`."""
    changes = {}
    for name in WRITABLE:
        new = candidate.values.get(name)
        if name == "seeking_members" and not candidate.values.get("group_stage"):
            continue
        if _empty(new) or getattr(project, name) == new:
            continue
        changes[name] = new
    if candidate.commune is not None and project.commune_id != candidate.commune.pk:
        changes["commune"] = candidate.commune
    return changes


def apply_plans(plans, *, source, actor=None, progress=None):
    """Write the planned creations and updates, one savepoint per row.

    A row that fails to save is marked refused with the reason; the batch
    goes on.
    """
    slugs = _SlugMaker()
    total = len(plans)
    for position, plan in enumerate(plans, start=1):
        if progress and position % 50 == 0:
            progress(total + position, total * 2)
        if plan.result.action not in (CREATED, UPDATED):
            continue
        try:
            with transaction.atomic():
                if plan.result.action == CREATED:
                    project = _create(plan, source, slugs, actor)
                else:
                    project = _update(plan, actor)
        except Exception as error:  # noqa: BLE001 - reported, batch goes on
            logger.exception("Import row %s failed", plan.result.line)
            plan.result.action = REFUSED
            plan.result.reason = f"Enregistrement impossible : {error}"
            continue
        plan.result.project_id = project.pk
        plan.result.needs_location = project.needs_location
    if progress:
        progress(total * 2, total * 2)


def _create(plan, source, slugs, actor) -> Project:
    candidate = plan.candidate
    fields = {
        name: candidate.values[name] for name in WRITABLE if name in candidate.values
    }
    project = Project(
        **fields,
        commune=candidate.commune,
        needs_location=candidate.commune is None,
        status=candidate.status,
        published_at=timezone.now() if candidate.status == Status.PUBLISHED else None,
        source=source,
        source_id=candidate.source_id,
        slug=slugs.make(candidate.name),
    )
    project._change_reason = "Import"
    project.save()
    log_action(
        obj=project,
        action=ModerationLog.Action.IMPORTED,
        actor=actor,
        reason=f"Import {source}, ligne {candidate.line}",
        changes={"created": True, "source_id": candidate.source_id},
    )
    return project


def _update(plan, actor) -> Project:
    project = plan.project
    before = {}
    for name, value in plan.changes.items():
        before[name] = getattr(project, name)
        setattr(project, name, value)
    project.version += 1
    project._change_reason = "Import"
    project.save()
    log_action(
        obj=project,
        action=ModerationLog.Action.IMPORTED,
        actor=actor,
        reason=f"Import, ligne {plan.candidate.line}",
        changes={
            name: [_plain(before[name]), _plain(value)]
            for name, value in plan.changes.items()
        },
    )
    return project


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _SlugMaker:
    """Unique slugs, checking the database once per base slug."""

    def __init__(self):
        self.taken: dict[str, set] = {}

    def make(self, name: str) -> str:
        base = slugify(name)[:200] or "projet"
        if base not in self.taken:
            self.taken[base] = set(
                Project.objects.filter(slug__startswith=base).values_list(
                    "slug", flat=True
                )
            )
        taken = self.taken[base]
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        return slug
