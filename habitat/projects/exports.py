"""The open CSV export: published sheets, public fields only."""

import csv
import io

from .models import Project

COLUMNS = [
    "slug",
    "name",
    "short_description",
    "website",
    "commune",
    "insee",
    "department",
    "region",
    "latitude",
    "longitude",
    "setting",
    "group_stage",
    "project_stage",
    "year_started",
    "year_moved_in",
    "legal_structures",
    "build_type",
    "architecture_type",
    "dwellings",
    "households_now",
    "households_target",
    "tenure_mix",
    "shared_spaces",
    "ecological_features",
    "priority_neighbourhood",
    "seeking_members",
    "open_to_visits",
    "last_verified_at",
    "url",
]


def row(project: Project) -> list:
    commune = project.commune
    department = project.department
    return [
        project.slug,
        project.name,
        project.short_description,
        project.website,
        commune.name if commune else "",
        commune.insee if commune else "",
        department.name if department else "",
        department.region.name if department else "",
        project.public_latitude if project.public_latitude is not None else "",
        project.public_longitude if project.public_longitude is not None else "",
        project.setting,
        project.group_stage,
        project.project_stage,
        project.year_started or "",
        project.year_moved_in or "",
        "|".join(project.legal_structures or []),
        project.build_type,
        project.architecture_type,
        project.dwellings if project.dwellings is not None else "",
        project.households_now if project.households_now is not None else "",
        project.households_target if project.households_target is not None else "",
        "|".join(project.tenure_mix or []),
        "|".join(project.shared_spaces or []),
        "|".join(project.ecological_features or []),
        int(project.priority_neighbourhood),
        int(project.seeking_members),
        int(project.open_to_visits),
        project.last_verified_at.date().isoformat() if project.last_verified_at else "",
        project.get_absolute_url(),
    ]


def csv_bytes(queryset, *, excel: bool = False) -> bytes:
    """UTF-8 CSV; `excel` adds a BOM and uses ';' as Excel in French expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for project in queryset.iterator(chunk_size=1000):
        writer.writerow(row(project))
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if excel else data
