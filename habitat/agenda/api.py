"""GET /api/v1/events/: published occurrences in a window, same filters as
the pages and feeds. Window sizes are bounded so a request stays cheap."""

from datetime import datetime, time, timedelta
from urllib.parse import urljoin

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from habitat.api.pagination import PageNumberPagination
from habitat.core.exceptions import HabitatError
from habitat.core.schema import ErrorSerializer

from . import queries
from .models import EventType

MAX_WINDOW_DAYS = 366
DEFAULT_WINDOW_DAYS = 31


class EventPlaceSerializer(serializers.Serializer):
    insee = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(source="department_id")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class EventImageSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Adresse absolue de l'image.")
    alt = serializers.CharField(
        help_text="Ce que montre l'image, pour qui ne la voit pas (peut être vide)."
    )
    credit = serializers.CharField(help_text="Crédit de l'image (peut être vide).")


class OccurrenceSerializer(serializers.Serializer):
    id = serializers.CharField(source="event.slug")
    title = serializers.CharField()
    type = serializers.ChoiceField(source="event.kind", choices=EventType.choices)
    state = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    all_day = serializers.BooleanField()
    time_zone = serializers.CharField(source="event.time_zone")
    recurring = serializers.BooleanField(source="event.is_recurring")
    online = serializers.BooleanField(source="event.online")
    address = serializers.CharField(source="source.address")
    commune = EventPlaceSerializer(source="event.commune", allow_null=True)
    region = serializers.SerializerMethodField()
    organiser = serializers.CharField(
        source="event.organiser.name", allow_null=True, default=None
    )
    url = serializers.SerializerMethodField()
    ics = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    def get_region(self, occurrence) -> str | None:
        commune = occurrence.event.commune
        return commune.department.region_id if commune else None

    def get_url(self, occurrence) -> str:
        return settings.SITE_URL + occurrence.event.get_absolute_url()

    def get_ics(self, occurrence) -> str:
        return f"{settings.SITE_URL}/agenda/{occurrence.event.slug}.ics"

    @extend_schema_field(EventImageSerializer(allow_null=True))
    def get_image(self, occurrence) -> dict | None:
        """The image of this date (an override may have its own); null if none."""
        source = occurrence.source
        if not source.image:
            return None
        return {
            "url": urljoin(settings.SITE_URL, source.image.url),
            "alt": source.image_alt,
            "credit": source.image_credit,
        }

    def to_representation(self, occurrence):
        data = super().to_representation(occurrence)
        if occurrence.all_day:
            data["start"] = occurrence.start.date().isoformat()
            data["end"] = occurrence.last_day.isoformat()
        else:
            data["start"] = occurrence.start.isoformat()
            data["end"] = occurrence.end.isoformat()
        return data


def _moment(value: str, name: str, *, end=False):
    try:
        if len(value) == 10:
            day = datetime.fromisoformat(value).date()
            if end:
                day += timedelta(days=1)
            return datetime.combine(day, time(), queries.PARIS)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise HabitatError(
            "Date invalide : utilisez AAAA-MM-JJ ou une date ISO 8601.", field=name
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=queries.PARIS)


def parse_window(params):
    start_raw, end_raw = params.get("start", ""), params.get("end", "")
    if start_raw:
        start = _moment(start_raw, "start")
    else:
        start = datetime.combine(
            datetime.now(queries.PARIS).date(), time(), queries.PARIS
        )
    end = (
        _moment(end_raw, "end", end=True)
        if end_raw
        else start + timedelta(days=DEFAULT_WINDOW_DAYS)
    )
    if end <= start:
        raise HabitatError("La fin de la fenêtre doit suivre son début.", field="end")
    if end - start > timedelta(days=MAX_WINDOW_DAYS):
        raise HabitatError(
            f"Fenêtre trop large : {MAX_WINDOW_DAYS} jours au plus.",
            field="end",
            code="window_too_large",
        )
    return start, end


FILTER_PARAMETERS = [
    OpenApiParameter(
        "start",
        OpenApiTypes.STR,
        description="Début de la fenêtre (AAAA-MM-JJ ou ISO 8601). Par défaut : aujourd'hui.",
    ),
    OpenApiParameter(
        "end",
        OpenApiTypes.STR,
        description="Fin de la fenêtre (incluse si date). 366 jours au plus ; par défaut 31 jours.",
    ),
    OpenApiParameter(
        "region", OpenApiTypes.STR, description="Code INSEE de la région, ex. 84."
    ),
    OpenApiParameter(
        "departement",
        OpenApiTypes.STR,
        description="Code du département, ex. 69 ou 2A.",
    ),
    OpenApiParameter("type", OpenApiTypes.STR, enum=EventType.values),
    OpenApiParameter(
        "organisateur",
        OpenApiTypes.STR,
        description="Identifiant (slug) de l'organisation.",
    ),
    OpenApiParameter(
        "calendrier", OpenApiTypes.STR, description="Identifiant (slug) du calendrier."
    ),
    OpenApiParameter("en_ligne", OpenApiTypes.BOOL),
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description=(
            "Recherche sans accents, majuscules ni terminaisons (« habitats » "
            "trouve « habitat ») dans le titre, la description, le lieu, la "
            "commune, l'organisateur, le public et le type ; le dernier mot "
            "peut être un début de mot."
        ),
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
]


class EventOccurrencesView(APIView):
    permission_classes = [AllowAny]
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Occurrences des événements publiés dans une fenêtre",
        parameters=FILTER_PARAMETERS,
        responses={200: OccurrenceSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request):
        start, end = parse_window(request.query_params)
        filters = queries.parse_filters(request.query_params)
        # Expanded from light rows; only the page's events are loaded in full.
        occurrences = queries.OccurrencePage(
            queries.public_events(filters).overlapping(start, end), start, end
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(occurrences, request, view=self)
        return paginator.get_paginated_response(
            OccurrenceSerializer(page, many=True).data
        )
