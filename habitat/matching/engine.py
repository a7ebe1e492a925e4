"""Candidates by territory in the database, scores in Python, cached as Match rows.

A Match row holds only the score (compact, so a full rebuild stays fast);
pages re-run `scoring.score` on the 20 rows they show to explain them.

`recompute_for_seeker` and `recompute_for_group` refresh one side after a
profile changes; `recompute_all` rebuilds every row in memory-friendly bulk
(used by the worker, and by `make bench`).
"""

import logging
import math
import time
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import scoring
from .models import Block, GroupSearch, Match, SeekerProfile

logger = logging.getLogger(__name__)

BULK_SIZE = 2000
PROGRESS_EVERY = 2000


def candidate_groups(profile: SeekerProfile):
    """Active group searches inside the person's zone (bounding boxes)."""
    filters = []
    for lat, lng in profile.zone_points:
        min_lat, max_lat, min_lng, max_lng = scoring.bounding_box(
            lat, lng, profile.radius_km
        )
        filters.append(
            Q(latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng))
        )
    departments = profile.department_list
    if departments:
        filters.append(Q(department_code__in=departments))
    if not filters:
        return GroupSearch.objects.none()
    return GroupSearch.objects.active().filter(reduce(or_, filters))


def candidate_seekers(group: GroupSearch):
    """Active profiles whose zone may contain the group."""
    if group.latitude is None:
        if not group.department_code:
            return SeekerProfile.objects.none()
        return SeekerProfile.objects.filter(
            user__is_active=True,
            department_codes__contains=f"[{group.department_code}]",
        )
    return SeekerProfile.objects.filter(user__is_active=True).around(
        group.latitude, group.longitude, group.department_code
    )


def _blocked_pairs(**filters) -> set[tuple[int, int]]:
    blocks = Block.objects.filter(project__isnull=False, **filters)
    return set(blocks.values_list("person_id", "project_id"))


def _sync(existing: dict, fresh: dict, build) -> list[Match]:
    """Create, update and delete Match rows; return the new ones."""
    now = timezone.now()
    created, updated = [], []
    for key, (points, findable) in fresh.items():
        match = existing.pop(key, None)
        if match is None:
            created.append(build(key, points, findable, now))
        elif (match.score, match.findable) != (points, findable):
            match.score, match.findable = points, findable
            match.updated_at = now
            updated.append(match)
    with transaction.atomic():
        if existing:
            Match.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()
        Match.objects.bulk_update(
            updated, ["score", "findable", "updated_at"], batch_size=BULK_SIZE
        )
        return Match.objects.bulk_create(created, batch_size=BULK_SIZE)


def recompute_for_seeker(profile: SeekerProfile) -> list[Match]:
    """Refresh one person's matches; returns the matches that are new."""
    seeker = profile.as_seeker()
    blocked = _blocked_pairs(person_id=profile.user_id)
    fresh = {}
    if profile.user.is_active:
        for group in candidate_groups(profile).only(*GROUP_FIELDS):
            if (profile.user_id, group.project_id) in blocked:
                continue
            points = scoring.points(seeker, group.as_group())
            if points is not None:
                fresh[group.pk] = (points, profile.findable)
    existing = {match.group_id: match for match in profile.matches.all()}

    def build(group_id, score, findable, now):
        return Match(
            seeker=profile,
            group_id=group_id,
            score=score,
            findable=findable,
            created_at=now,
            updated_at=now,
        )

    return _sync(existing, fresh, build)


def recompute_for_group(group: GroupSearch) -> list[Match]:
    """Refresh one group's matches; returns the matches that are new."""
    fresh = {}
    active = GroupSearch.objects.active().filter(pk=group.pk).exists()
    if active:
        target = group.as_group()
        blocked = _blocked_pairs(project_id=group.project_id)
        for profile in candidate_seekers(group).only(*SEEKER_FIELDS):
            if (profile.user_id, group.project_id) in blocked:
                continue
            points = scoring.points(profile.as_seeker(), target)
            if points is not None:
                fresh[profile.pk] = (points, profile.findable)
    existing = {match.seeker_id: match for match in group.matches.all()}

    def build(seeker_id, score, findable, now):
        return Match(
            seeker_id=seeker_id,
            group=group,
            score=score,
            findable=findable,
            created_at=now,
            updated_at=now,
        )

    return _sync(existing, fresh, build)


GROUP_FIELDS = [
    "id",
    "project_id",
    "latitude",
    "longitude",
    "department_code",
    "price_min",
    "price_max",
    "rent_min",
    "rent_max",
    "tenures",
    "timeline",
    "values",
    "wants_children",
    "age_min",
    "age_max",
    "skills_sought",
    "accessible",
]
SEEKER_FIELDS = [
    "id",
    "user_id",
    "findable",
    "zone_points",
    "department_codes",
    "radius_km",
    "adults",
    "children",
    "ages",
    "budget_purchase",
    "budget_rent",
    "tenures",
    "timeline",
    "values",
    "skills",
    "needs_accessibility",
]


CELLS_PER_DEGREE = 4  # grid of about 28 x 20 km in metropolitan France


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return math.floor(lat * CELLS_PER_DEGREE), math.floor(lng * CELLS_PER_DEGREE)


def _cells(lat, lng, radius_km):
    min_lat, max_lat, min_lng, max_lng = scoring.bounding_box(lat, lng, radius_km)
    low, high = _cell(min_lat, min_lng), _cell(max_lat, max_lng)
    for cell_lat in range(low[0], high[0] + 1):
        for cell_lng in range(low[1], high[1] + 1):
            yield cell_lat, cell_lng


def _candidates(seeker, grid, by_department) -> dict:
    candidates = {}
    for lat, lng in seeker.points:
        for cell in _cells(lat, lng, seeker.radius_km):
            for group in grid.get(cell, ()):
                candidates[group[0]] = group
    for code in seeker.departments:
        for group in by_department.get(code, ()):
            candidates[group[0]] = group
    return candidates


COPY_SQL = (
    "COPY matching_match (seeker_id, group_id, score, findable, created_at, "
    "updated_at) FROM STDIN"
)
INSERT_SQL = (
    "INSERT INTO matching_match (seeker_id, group_id, score, findable, created_at, "
    "updated_at) VALUES (%s, %s, %s, %s, %s, %s)"
)


def _write_rows(rows: list[tuple]) -> None:
    """Insert (seeker_id, group_id, score, findable, created_at, updated_at) rows.

    Raw inserts: a full rebuild writes about a million rows, and building a
    model instance for each one costs more than the scoring.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(COPY_SQL) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datetimefield_value
        for start in range(0, len(rows), BULK_SIZE * 10):
            cursor.executemany(
                INSERT_SQL,
                [
                    (seeker, group, score, findable, adapt(created), adapt(updated))
                    for seeker, group, score, findable, created, updated in rows[
                        start : start + BULK_SIZE * 10
                    ]
                ],
            )


def recompute_all(progress=None) -> int:
    """Rebuild every match in bulk; returns how many rows were written.

    Groups are held in memory in a grid of quarter degrees and by département, so
    each profile is scored only against groups of its zone (candidates by
    territory), with `scoring.points` (no sentences). Rows that already existed
    keep their creation date (digests rely on it). `progress(done, total)` is
    called every few thousand profiles, and the log says how far it got.
    """
    started = time.monotonic()
    grid = defaultdict(list)
    by_department = defaultdict(list)
    group_count = 0
    for search in GroupSearch.objects.active().only(*GROUP_FIELDS).iterator():
        group = (search.pk, search.project_id, search.as_group())
        group_count += 1
        if search.latitude is not None:
            grid[_cell(search.latitude, search.longitude)].append(group)
        if search.department_code:
            by_department[search.department_code].append(group)

    blocked = _blocked_pairs()
    first_seen = {
        (seeker_id << 32) | group_id: created
        for seeker_id, group_id, created in Match.objects.values_list(
            "seeker_id", "group_id", "created_at"
        ).iterator(chunk_size=BULK_SIZE * 5)
    }
    now = timezone.now()
    profiles = SeekerProfile.objects.filter(user__is_active=True).only(*SEEKER_FIELDS)
    total = profiles.count()
    rows = []
    for done, profile in enumerate(profiles.iterator(chunk_size=BULK_SIZE), 1):
        seeker = profile.as_seeker()
        findable = profile.findable
        for group_id, project_id, group in _candidates(
            seeker, grid, by_department
        ).values():
            if blocked and (profile.user_id, project_id) in blocked:
                continue
            points = scoring.points(seeker, group)
            if points is None:
                continue
            created = first_seen.get((profile.pk << 32) | group_id, now)
            rows.append((profile.pk, group_id, points, findable, created, now))
        if done % PROGRESS_EVERY == 0 or done == total:
            logger.info(
                "Recomputing matches: %s/%s profiles scored, %s rows, %.0f s",
                done,
                total,
                len(rows),
                time.monotonic() - started,
            )
            if progress is not None:
                progress(done, total)
    first_seen.clear()

    with transaction.atomic():
        Match.objects.all().delete()
        _write_rows(rows)
    logger.info(
        "Recomputed %s matches for %s profiles and %s groups in %.0f s",
        len(rows),
        total,
        group_count,
        time.monotonic() - started,
    )
    return len(rows)
