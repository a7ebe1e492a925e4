"""Map data of the directory, and the map pages.

Public outputs only: published sheets, public fields, and the public point
(the commune's centre unless the group chose to show a precise point).

- Compact data (`/api/v1/projects/map/points/`): {"stages": [...],
  "points": [[id, lat, lng, stage index], ...]}. The unfiltered document is
  built once, kept as bytes and gzipped bytes in the cache with its ETag, and
  dropped by the signals below whenever a sheet changes.
- Marker details (`/api/v1/projects/map/<id>/`): fetched when a marker opens.
- GeoJSON (`/api/v1/projects.geojson`): every published sheet with its
  public fields, cached the same way.
- Viewport clusters (`/api/v1/projects/clusters/?bbox=&zoom=`): grid
  clustering on the server for very large directories, over arrays of the
  public points kept in each process and reloaded when the data version
  changes.
"""

import gzip
import hashlib
import json
import logging
import math
import uuid
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from habitat.core.pagecache import anonymous_cache
from habitat.core.pagination import paginate

from .models import PUBLIC_FIELDS, Project, ProjectStage

logger = logging.getLogger(__name__)

VERSION_KEY = "projects:map:version"
TIMEOUT = 24 * 60 * 60
STAGES = list(ProjectStage.values)
STAGE_INDEX = {stage: index for index, stage in enumerate(STAGES)}
FILTER_PARAMS = (
    "q",
    "region",
    "department",
    "group_stage",
    "project_stage",
    "legal",
    "setting",
    "seeking_members",
    "open_to_visits",
    "size",
)
MAX_CLUSTER_ZOOM = 18
MAX_CELLS = 600
# Above this many published points, the unfiltered map asks the server for
# clusters of the viewport instead of loading every point.
CLUSTER_MODE_THRESHOLD = 20_000
STEP = Decimal("0.0001")


# -- Invalidation -----------------------------------------------------------


def data_version() -> str:
    """A token that changes whenever any map output must be rebuilt.

    A random token rather than a counter: if the cache is flushed, no
    process can mistake its old in-memory arrays for fresh ones.
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex[:12]
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY, version)
    return version


def invalidate() -> None:
    """Forget every cached map output (all processes: the cache is shared)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], None)


def rebuild_map_data() -> None:
    """Recompute the stored points, drop and rebuild the cached map outputs
    (after bulk loads, which send no signals; used by `make bench`), with the
    pages and fragments that show them."""
    from habitat.core import pagecache

    from . import cache as project_cache
    from .services import refresh_map_points

    refresh_map_points()
    invalidate()
    pagecache.bump()
    project_cache.bump()
    compact_bytes()
    _packed("geojson", lambda: _dumps(geojson_document()), shared=True)


def _on_project_change(sender, instance, raw=False, **kwargs):
    if raw:
        return
    transaction.on_commit(invalidate)


post_save.connect(_on_project_change, sender=Project, dispatch_uid="projects-map")
post_delete.connect(_on_project_change, sender=Project, dispatch_uid="projects-map-d")


# -- Public points ----------------------------------------------------------


def _published_points(queryset=None):
    """(id, public lat, public lng, project stage) of published sheets."""
    queryset = Project.objects.published() if queryset is None else queryset
    return (
        queryset.filter(map_latitude__isnull=False, map_longitude__isnull=False)
        .order_by("pk")
        .values_list("pk", "map_latitude", "map_longitude", "project_stage")
    )


def round4(value: float) -> float:
    """`value` to 4 decimals, half away from zero on its decimal form.

    What PostgreSQL's numeric round() and SQLite's round() give, so the
    SQL and Python builders agree; Python's round() looks at the binary
    value instead (round(47.27455, 4) is 47.2745).
    """
    return float(Decimal(repr(value)).quantize(STEP, rounding=ROUND_HALF_UP))


def _compact_document(queryset=None) -> dict:
    points = [
        [pk, round4(lat), round4(lng), STAGE_INDEX.get(stage, -1)]
        for pk, lat, lng, stage in _published_points(queryset)
    ]
    return {"stages": STAGES, "points": points}


def _dumps(document) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


_local_packed: dict[str, tuple[str, dict]] = {}
LOCAL_PACKED_LIMIT = 200


def _pack(body: bytes) -> dict:
    return {
        "body": body,
        "gzip": gzip.compress(body, compresslevel=4, mtime=0),
        "etag": f'"{hashlib.sha256(body).hexdigest()[:24]}"',
    }


def _packed(name: str, build, *, shared: bool = False) -> dict:
    """{"body", "gzip", "etag"} of an output for the current data version.

    Kept in this process's memory (a rebuild after a change costs no cache
    write; each process rebuilds once), or with `shared` in the shared cache
    for outputs too slow to build in every process (GeoJSON).
    """
    version = data_version()
    if shared:
        key = f"projects:map:{name}:{version}"
        packed = cache.get(key)
        if packed is None:
            packed = _pack(build())
            cache.set(key, packed, TIMEOUT)
        return packed
    found = _local_packed.get(name)
    if found is not None and found[0] == version:
        return found[1]
    packed = _pack(build())
    if len(_local_packed) >= LOCAL_PACKED_LIMIT:
        _local_packed.clear()
    _local_packed[name] = (version, packed)
    return packed


def _compact_body_sql() -> bytes:
    """The unfiltered compact document, its points serialised by the database.

    Same content as `_dumps(_compact_document())` (once parsed), without
    turning 5,000 rows into Python objects: it reads only the projects table
    (the stored public point), which keeps a rebuild after a change well
    under 25 ms on both databases.
    """
    rows = _published_points()
    if connection.vendor == "postgresql":
        rows = rows.order_by()  # string_agg orders
    inner, params = rows.query.sql_with_params()
    stage = "CASE t.project_stage {} ELSE -1 END".format(
        " ".join(f"WHEN %s THEN {index}" for index in range(len(STAGES)))
    )
    if connection.vendor == "postgresql":
        # numeric rounds the decimal form (its text keeps trailing zeros).
        sql = (
            "SELECT string_agg(format('[%%s,%%s,%%s,%%s]', t.pk, "  # noqa: S608
            "round(t.map_latitude::numeric, 4), round(t.map_longitude::numeric, 4), "
            f"{stage}), ',' ORDER BY t.pk) FROM ({inner}) AS t"
        )
    else:
        # group_concat keeps the order of an ordered subquery (no ORDER BY
        # inside aggregates before SQLite 3.44).
        sql = (
            "SELECT group_concat(printf('[%%d,%%s,%%s,%%d]', t.pk, "  # noqa: S608
            "round(t.map_latitude, 4), round(t.map_longitude, 4), "
            f"{stage}), ',') FROM ({inner}) AS t"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*STAGES, *params))
        points = cursor.fetchone()[0] or ""
    stages = _dumps(STAGES)
    return b'{"stages":' + stages + b',"points":[' + points.encode() + b"]}"


def compact_bytes() -> dict:
    """The unfiltered compact map data, packed (see `_packed`)."""
    return _packed("compact", _compact_body_sql)


def _serve_packed(request, packed, content_type: str) -> HttpResponse:
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    # Each encoding has its own ETag: the bytes differ.
    etag = packed["etag"][:-1] + '-gz"' if gzipped else packed["etag"]
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    elif gzipped:
        response = HttpResponse(packed["gzip"], content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(packed["body"], content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def filter_params(query) -> dict:
    return {key: query[key] for key in FILTER_PARAMS if query.get(key)}


def filtered_queryset(params):
    """Published sheets under the directory's filters (the /projets/ ones)."""
    from .filters import ProjectFilter

    queryset = Project.objects.published()
    if not params:
        return queryset
    return ProjectFilter(params, queryset=queryset).qs


@anonymous_cache
@require_GET
def map_points(request):
    """Compact points of published sheets, optionally filtered like /projets/."""
    params = filter_params(request.GET)
    if not params:
        return _serve_packed(request, compact_bytes(), "application/json")
    if "q" in params:  # free text: too many variants to keep them all
        body = _dumps(_compact_document(filtered_queryset(params)))
        response = HttpResponse(body, content_type="application/json")
        response["Cache-Control"] = "public, max-age=60"
        return response
    variant = "&".join(f"{k}={params[k]}" for k in sorted(params))
    digest = hashlib.sha256(variant.encode()).hexdigest()[:20]
    packed = _packed(
        f"compact:{digest}",
        lambda: _dumps(_compact_document(filtered_queryset(params))),
    )
    return _serve_packed(request, packed, "application/json")


@require_GET
@cache_control(public=True, max_age=60)
def map_point_detail(request, pk: int):
    """What a marker's popup shows; 404 for anything not published."""
    project = (
        Project.objects.published()
        .select_related("commune")
        .only(
            "name",
            "slug",
            "short_description",
            "project_stage",
            "group_stage",
            "commune__name",
            "commune__insee",
        )
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return JsonResponse(
        {
            "id": project.pk,
            "name": project.name,
            "url": project.get_absolute_url(),
            "commune": project.commune.name if project.commune_id else "",
            "short_description": project.short_description,
            "project_stage": project.get_project_stage_display(),
            "group_stage": project.get_group_stage_display(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


# -- GeoJSON ----------------------------------------------------------------


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def geojson_document() -> dict:
    fields = [field for field in PUBLIC_FIELDS if field != "last_verified_at"]
    projects = (
        Project.objects.published()
        .select_related("commune", "department")
        .only(
            *PUBLIC_FIELDS,
            "show_precise_location",
            "map_latitude",
            "map_longitude",
            "commune__name",
            "department__name",
        )
        .order_by("pk")
    )
    base = settings.SITE_URL.rstrip("/") if hasattr(settings, "SITE_URL") else ""
    features = []
    for project in projects:
        lat, lng = project.map_latitude, project.map_longitude
        properties = {name: _plain(getattr(project, name)) for name in fields}
        properties.update(
            {
                "id": project.pk,
                "url": base + project.get_absolute_url(),
                "commune": project.commune.name if project.commune_id else "",
                "insee": project.commune_id or "",
                "department": project.department_id or "",
                "last_verified_at": _plain(project.last_verified_at),
                "precise_location": bool(project.show_precise_location),
            }
        )
        geometry = (
            {"type": "Point", "coordinates": [round(lng, 5), round(lat, 5)]}
            if lat is not None and lng is not None
            else None
        )
        features.append(
            {"type": "Feature", "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


@anonymous_cache
@require_GET
def projects_geojson(request):
    """Every published sheet with its public fields, as GeoJSON."""
    packed = _packed("geojson", lambda: _dumps(geojson_document()), shared=True)
    return _serve_packed(request, packed, "application/geo+json")


# -- Viewport clusters ------------------------------------------------------

_arrays: dict = {"version": None}


def _point_arrays():
    """ids, lat, lng, stages of all public points, reloaded on change."""
    version = data_version()
    if _arrays["version"] != version:
        rows = sorted(_published_points(), key=lambda row: row[1])
        _arrays.update(
            version=version,
            ids=np.array([r[0] for r in rows], dtype=np.int64),
            lat=np.array([r[1] for r in rows], dtype=np.float64),
            lng=np.array([r[2] for r in rows], dtype=np.float64),
            stage=np.array([STAGE_INDEX.get(r[3], -1) for r in rows], dtype=np.int8),
        )
    return _arrays


def parse_bbox(text: str):
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return None
    if not (-90 <= south <= north <= 90) or not (-180 <= west <= east <= 180):
        return None
    return west, south, east, north


def clusters_document(bbox, zoom: int) -> dict:
    """Grid clusters of the points in `bbox` at `zoom` (cells of ~64 px)."""
    arrays = _point_arrays()
    west, south, east, north = bbox
    # The arrays are sorted by latitude: the latitude range is a slice.
    start = np.searchsorted(arrays["lat"], south, side="left")
    stop = np.searchsorted(arrays["lat"], north, side="right")
    lat, lng = arrays["lat"][start:stop], arrays["lng"][start:stop]
    inside = (lng >= west) & (lng <= east)
    lat, lng = lat[inside], lng[inside]
    ids = arrays["ids"][start:stop][inside]
    stages = arrays["stage"][start:stop][inside]

    cell = 360.0 / (2**zoom) / 4
    # A viewport far larger than a screen must not yield thousands of cells.
    nominal_cells = ((east - west) / cell + 1) * ((north - south) / cell + 1)
    if nominal_cells > MAX_CELLS:
        cell *= math.sqrt(nominal_cells / MAX_CELLS)
    if zoom >= MAX_CLUSTER_ZOOM or lat.size == 0:
        keys, size = np.arange(lat.size), lat.size
    else:
        # Cells are anchored on the world grid (stable when the map pans)
        # and numbered densely within the viewport: counting is then a
        # bincount, with no sort.
        first_column = math.floor((west + 180.0) / cell)
        first_row = math.floor((south + 90.0) / cell)
        width = math.floor((east + 180.0) / cell) - first_column + 1
        height = math.floor((north + 90.0) / cell) - first_row + 1
        columns = np.floor((lng + 180.0) / cell).astype(np.int64) - first_column
        rows = np.floor((lat + 90.0) / cell).astype(np.int64) - first_row
        keys, size = rows * width + columns, width * height
    counts = np.bincount(keys, minlength=size)
    sum_lat = np.bincount(keys, weights=lat, minlength=size)
    sum_lng = np.bincount(keys, weights=lng, minlength=size)
    inverse = keys

    clusters, points = [], []
    single = counts == 1
    for index in np.nonzero(counts > 1)[0]:
        count = int(counts[index])
        clusters.append(
            [
                round(float(sum_lat[index] / count), 4),
                round(float(sum_lng[index] / count), 4),
                count,
            ]
        )
    single_positions = np.nonzero(single[inverse])[0]
    for position in single_positions:
        points.append(
            [
                int(ids[position]),
                round(float(lat[position]), 4),
                round(float(lng[position]), 4),
                int(stages[position]),
            ]
        )
    return {
        "stages": STAGES,
        "zoom": zoom,
        "total": int(lat.size),
        "clusters": clusters,
        "points": points,
    }


@require_GET
def map_clusters(request):
    """Server-side clusters for one viewport: ?bbox=west,south,east,north&zoom=."""
    bbox = parse_bbox(request.GET.get("bbox", ""))
    try:
        zoom = int(request.GET.get("zoom", ""))
    except ValueError:
        zoom = -1
    if bbox is None or not 0 <= zoom <= 22:
        return _error_response(
            "Paramètres attendus : bbox=ouest,sud,est,nord (degrés) et zoom=0 à 22.",
            ["bbox", "zoom"],
        )
    body = _dumps(clusters_document(bbox, zoom))
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=60"
    return response


def _error_response(message: str, fields: list[str]):
    return JsonResponse(
        {"error": {"code": "invalid", "message": message, "fields": fields}},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


# -- Pages ------------------------------------------------------------------


def _map_context(request, *, embed: bool):
    from .filters import ProjectFilter

    params = filter_params(request.GET)
    filterset = ProjectFilter(
        request.GET or None,
        queryset=Project.objects.published()
        .select_related("commune")
        .only("name", "slug", "project_stage", "commune__name"),
    )
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page_obj = paginate(request, queryset, per_page=50)
    points_url = reverse("projects-map-points")
    if params:
        from django.utils.http import urlencode

        points_url += "?" + urlencode(params)
    large = len(_point_arrays()["ids"]) > CLUSTER_MODE_THRESHOLD
    return {
        "mode": "clusters" if large and not params else "points",
        "clusters_url": reverse("projects-map-clusters"),
        "filterset": filterset,
        "form": filterset.form,
        "page_obj": page_obj,
        "total": page_obj.paginator.count,
        "points_url": points_url,
        "detail_url": reverse("projects-map-point", kwargs={"pk": 0}),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "embed": embed,
        "stages": ProjectStage.choices,
    }


@anonymous_cache
def project_map(request):
    """/carte/: the full-page map, its filters and the list of results."""
    return render(request, "projects/map.html", _map_context(request, embed=False))


@anonymous_cache
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def project_map_embed(request):
    """/carte/embed/: the same map for an iframe on any site."""
    return render(request, "projects/map_embed.html", _map_context(request, embed=True))


def project_map_snippet(request):
    """/carte/integrer/: build the <iframe> snippet for an association's site."""
    from .filters import ProjectFilter

    filterset = ProjectFilter(request.GET or None, queryset=Project.objects.none())
    params = filter_params(request.GET)
    embed_url = request.build_absolute_uri(reverse("projects:map_embed"))
    if params:
        from django.utils.http import urlencode

        embed_url += "?" + urlencode(params)
    snippet = (
        f'<iframe src="{escape(embed_url)}" title="Carte des projets d\'habitat participatif"'
        ' width="100%" height="500" loading="lazy"></iframe>'
    )
    return render(
        request,
        "projects/map_snippet.html",
        {"form": filterset.form, "snippet": snippet, "embed_url": embed_url},
    )
