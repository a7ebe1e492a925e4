"""Loading the geography into the database (idempotent)."""

import logging

from django.core.cache import cache
from django.db import DatabaseError, transaction

from .geodata import Geography
from .models import Commune, CommuneWord, Department, PostalCode, Region
from .search import fold_name, name_suffixes
from .signals import geography_loaded

logger = logging.getLogger(__name__)
BATCH = 2000
# Cached API outputs built from the geography (see api.py).
CACHE_KEYS = [
    "territories:regions:v1",
    "territories:departments:v1",
    "territories:departments-geojson:v1",
]


def forget_cached_outputs() -> None:
    """Drop the cached API lists so they are rebuilt from the new data."""
    try:
        cache.delete_many(CACHE_KEYS)
    except DatabaseError:
        # A fresh database has no cache table yet: then nothing is cached.
        logger.warning("Cache unavailable: cached geography outputs not dropped.")


@transaction.atomic
def load_geography(geography: Geography) -> dict[str, int]:
    """Upsert régions, départements, communes and postal codes.

    Communes missing from the data are kept (other rows point to them) and
    marked `is_current=False`. Postal codes and search words are rebuilt, the
    cached API lists are dropped, and `geography_loaded` is sent (the
    directory recomputes its stored map points). Returns counts for the
    operator.
    """
    Region.objects.bulk_create(
        [Region(**row) for row in geography.regions],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "slug"],
    )
    Department.objects.bulk_create(
        [
            Department(
                code=row["code"],
                name=row["name"],
                slug=row["slug"],
                region_id=row["region"],
                time_zone=row["time_zone"],
                outline=row.get("outline"),
            )
            for row in geography.departments
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "slug", "region", "time_zone"]
        + (
            ["outline"]
            if geography.departments and "outline" in geography.departments[0]
            else []
        ),
    )

    records = sorted(geography.communes, key=lambda record: record.kind != "COM")
    Commune.objects.bulk_create(
        [
            Commune(
                insee=record.insee,
                name=record.name,
                search_name=fold_name(record.name),
                kind=record.kind,
                department_id=record.department,
                parent_id=record.parent,
                postal_codes=" ".join(record.postal_codes),
                population=record.population,
                latitude=record.latitude,
                longitude=record.longitude,
                is_current=True,
            )
            for record in records
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["insee"],
        update_fields=[
            "name",
            "search_name",
            "kind",
            "department",
            "parent",
            "postal_codes",
            "population",
            "latitude",
            "longitude",
            "is_current",
        ],
    )
    current = {record.insee for record in records}
    known = set(Commune.objects.filter(is_current=True).values_list("insee", flat=True))
    stale = sorted(known - current)
    for start in range(0, len(stale), BATCH):
        Commune.objects.filter(insee__in=stale[start : start + BATCH]).update(
            is_current=False
        )

    PostalCode.objects.all().delete()
    PostalCode.objects.bulk_create(
        [
            PostalCode(code=code, commune_id=record.insee)
            for record in records
            for code in record.postal_codes
        ],
        batch_size=BATCH,
    )
    CommuneWord.objects.all().delete()
    CommuneWord.objects.bulk_create(
        [
            CommuneWord(
                word=suffix,
                commune_id=record.insee,
                is_whole_name=position == 0,
                population=record.population,
            )
            for record in records
            for position, suffix in enumerate(name_suffixes(fold_name(record.name)))
        ],
        batch_size=BATCH,
    )
    geography_loaded.send(sender=Commune)
    transaction.on_commit(forget_cached_outputs)

    counts = {
        "regions": len(geography.regions),
        "departments": len(geography.departments),
        "communes": len(records),
        "postal_codes": PostalCode.objects.count(),
    }
    logger.info("Geography loaded: %s", counts)
    return counts
