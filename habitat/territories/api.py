"""Public geography API: commune picker, départements, régions, outlines."""

import json

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from habitat.core.exceptions import HabitatError
from habitat.core.schema import ErrorSerializer

from .models import Department, Region
from .search import MAX_LIMIT, search_communes
from .services import CACHE_KEYS

REGIONS_KEY, DEPARTMENTS_KEY, GEOJSON_KEY = CACHE_KEYS
CACHE_SECONDS = 24 * 3600


class CommuneSerializer(serializers.Serializer):
    insee = serializers.CharField()
    name = serializers.CharField()
    label = serializers.SerializerMethodField()
    department = serializers.CharField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    region = serializers.CharField(source="department.region_id")
    postal_codes = serializers.ListField(
        source="postal_code_list", child=serializers.CharField()
    )
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    time_zone = serializers.CharField()

    def get_label(self, commune) -> str:
        return f"{commune.name} ({commune.department_id})"


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class DepartmentSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")

    class Meta:
        model = Department
        fields = ["code", "name", "region", "time_zone"]


def _limit(raw: str | None) -> int:
    if raw in (None, ""):
        return 20
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise HabitatError(
            _("limit doit être un nombre entre 1 et %(max)s.") % {"max": MAX_LIMIT},
            field="limit",
        )
    return int(raw)


class CommuneSearchView(APIView):
    """Find a commune by name (accents and hyphens optional) or postal code."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary=gettext_lazy("Chercher une commune"),
        description=gettext_lazy(
            "Par nom (sans accents, tirets ni apostrophes ; « st » pour saint), "
            "par code postal (5 chiffres, ou 4 si le zéro initial a été perdu) "
            "ou par code INSEE. Les homonymes se distinguent par le département "
            "du libellé « Nom (département) ». Moins de 2 caractères : liste vide."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description=gettext_lazy("Nom, code postal ou code INSEE."),
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=format_lazy(
                    gettext_lazy("Nombre de résultats (1 à {max}, 20 par défaut)."),
                    max=MAX_LIMIT,
                ),
            ),
        ],
        responses={200: CommuneSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request):
        limit = _limit(request.query_params.get("limit"))
        communes = search_communes(request.query_params.get("q", ""), limit=limit)
        response = Response(CommuneSerializer(communes, many=True).data)
        # Public, identical for everyone: browsers and proxies may keep it.
        response["Cache-Control"] = "public, max-age=3600"
        return response


def _cached_list(key: str, build):
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, CACHE_SECONDS)
    return data


class RegionListView(APIView):
    """The 18 régions (cached)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary=gettext_lazy("Lister les régions"),
        responses=RegionSerializer(many=True),
    )
    def get(self, request):
        data = _cached_list(
            REGIONS_KEY,
            lambda: RegionSerializer(Region.objects.order_by("code"), many=True).data,
        )
        return Response(data)


class DepartmentListView(APIView):
    """The 101 départements with their région and time zone (cached)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary=gettext_lazy("Lister les départements"),
        responses=DepartmentSerializer(many=True),
    )
    def get(self, request):
        departments = Department.objects.order_by("code").defer("outline")
        data = _cached_list(
            DEPARTMENTS_KEY,
            lambda: DepartmentSerializer(departments, many=True).data,
        )
        return Response(data)


def departments_geojson_bytes() -> bytes:
    """A FeatureCollection of the simplified outlines, as compact bytes."""
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": name, "region": region},
            "geometry": outline,
        }
        for code, name, region, outline in Department.objects.order_by(
            "code"
        ).values_list("code", "name", "region_id", "outline")
        if outline
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


class DepartmentOutlinesView(APIView):
    """Simplified outlines of the départements (GeoJSON), for the maps."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary=gettext_lazy("Contours simplifiés des départements (GeoJSON)"),
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        body = _cached_list(GEOJSON_KEY, departments_geojson_bytes)
        response = HttpResponse(body, content_type="application/geo+json")
        response["Cache-Control"] = "public, max-age=86400"
        return response
