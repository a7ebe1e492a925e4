"""Public API of the directory: published sheets, public fields only.

Writes (PATCH) use optimistic locking through HTTP: the ETag of a sheet is its
version; a PATCH without If-Match gets 428, with a stale one 412.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from habitat.core.exceptions import HabitatError
from habitat.core.schema import ErrorSerializer

from . import services
from .filters import ProjectFilter
from .models import (
    EcologicalFeature,
    LegalStructure,
    Project,
    SharedSpace,
    Tenure,
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "La fiche a été modifiée depuis votre lecture (ETag périmé) : "
        "relisez-la puis renvoyez votre modification."
    )
    default_code = "stale_version"


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "En-tête If-Match obligatoire : renvoyez l'ETag lu avec la fiche."
    default_code = "precondition_required"


class ProjectPlaceSerializer(serializers.Serializer):
    insee = serializers.CharField(source="commune.insee", default=None)
    commune = serializers.CharField(source="commune.name", default=None)
    department = serializers.CharField(source="department_id", default=None)
    region = serializers.CharField(source="department.region_id", default=None)
    latitude = serializers.FloatField(source="public_latitude", allow_null=True)
    longitude = serializers.FloatField(source="public_longitude", allow_null=True)
    precise = serializers.BooleanField(source="show_precise_location")


class ProjectListSerializer(serializers.ModelSerializer):
    place = ProjectPlaceSerializer(source="*")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Project
        fields = [
            "slug",
            "name",
            "short_description",
            "place",
            "setting",
            "group_stage",
            "project_stage",
            "legal_structures",
            "dwellings",
            "seeking_members",
            "open_to_visits",
            "last_verified_at",
            "url",
        ]


class ProjectDetailSerializer(ProjectListSerializer):
    landlord_partner = serializers.CharField(
        source="landlord_partner.name", default=None
    )
    support_professional = serializers.CharField(
        source="support_professional.name", default=None
    )
    version = serializers.IntegerField(read_only=True)

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields,
            "description",
            "intentions",
            "social_life",
            "participation",
            "website",
            "year_started",
            "year_moved_in",
            "build_type",
            "architecture_type",
            "dwellings_text",
            "households_now",
            "households_target",
            "tenure_mix",
            "shared_spaces",
            "ecological_features",
            "rent_info",
            "priority_neighbourhood",
            "seeking_whom",
            "visit_info",
            "landlord_partner",
            "support_professional",
            "version",
        ]


class ProjectPatchSerializer(serializers.ModelSerializer):
    """Fields an editor may change through the API (all optional)."""

    legal_structures = serializers.ListField(
        child=serializers.ChoiceField(choices=LegalStructure.choices), required=False
    )
    tenure_mix = serializers.ListField(
        child=serializers.ChoiceField(choices=Tenure.choices), required=False
    )
    shared_spaces = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedSpace.choices), required=False
    )
    ecological_features = serializers.ListField(
        child=serializers.ChoiceField(choices=EcologicalFeature.choices),
        required=False,
    )

    class Meta:
        model = Project
        fields = [
            name
            for name in services.EDITABLE_FIELDS
            if name not in ("landlord_partner", "support_professional")
        ]
        extra_kwargs = {name: {"required": False} for name in fields}


def etag(project: Project) -> str:
    return f'"{project.pk}-{project.version}"'


def version_from(if_match: str, project: Project) -> int | None:
    value = if_match.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    pk, _sep, version = value.partition("-")
    if pk != str(project.pk) or not version.isdigit():
        return None
    return int(version)


LIST_COLUMNS = [
    "slug",
    "name",
    "short_description",
    "commune__insee",
    "commune__name",
    "department_id",
    "department__region_id",
    "map_latitude",
    "map_longitude",
    "show_precise_location",
    "setting",
    "group_stage",
    "project_stage",
    "legal_structures",
    "dwellings",
    "seeking_members",
    "open_to_visits",
    "last_verified_at",
]
_datetime_field = serializers.DateTimeField()


def list_item(row: dict) -> dict:
    verified = row["last_verified_at"]
    return {
        "slug": row["slug"],
        "name": row["name"],
        "short_description": row["short_description"],
        "place": {
            "insee": row["commune__insee"],
            "commune": row["commune__name"],
            "department": row["department_id"],
            "region": row["department__region_id"],
            "latitude": row["map_latitude"],
            "longitude": row["map_longitude"],
            "precise": row["show_precise_location"],
        },
        "setting": row["setting"],
        "group_stage": row["group_stage"],
        "project_stage": row["project_stage"],
        "legal_structures": row["legal_structures"],
        "dwellings": row["dwellings"],
        "seeking_members": row["seeking_members"],
        "open_to_visits": row["open_to_visits"],
        "last_verified_at": _datetime_field.to_representation(verified)
        if verified
        else None,
        "url": f"/projets/{row['slug']}/",
    }


class ProjectListView(generics.ListAPIView):
    """Published sheets, with the list page's filters and `q` search."""

    permission_classes = [AllowAny]
    serializer_class = ProjectListSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return Project.objects.published().select_related("commune", "department")

    def list(self, request, *args, **kwargs):
        # Same JSON as ProjectListSerializer, built from plain rows: several
        # times faster than the serializer for a 50-item page.
        queryset = self.filter_queryset(self.get_queryset()).values(*LIST_COLUMNS)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([list_item(row) for row in page])

    @extend_schema(
        summary="Lister les projets",
        responses={200: ProjectListSerializer(many=True), 404: ErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProjectDetailView(APIView):
    def get_object(self, request, slug) -> Project:
        project = (
            Project.objects.select_related(
                "commune",
                "department",
                "landlord_partner",
                "support_professional",
            )
            .filter(slug=slug)
            .first()
        )
        if project is None or not request.user.has_perm(
            "projects.view_project", project
        ):
            raise Http404
        return project

    @extend_schema(
        summary="Lire une fiche",
        description="La réponse porte un ETag à renvoyer dans If-Match pour modifier.",
        responses={200: ProjectDetailSerializer, 404: ErrorSerializer},
    )
    def get(self, request, slug):
        project = self.get_object(request, slug)
        tag = etag(project)
        if request.headers.get("If-None-Match") == tag:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        return Response(ProjectDetailSerializer(project).data, headers={"ETag": tag})

    @extend_schema(
        summary="Modifier une fiche (éditeurs du groupe, modération)",
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                required=True,
                description="L'ETag reçu avec la fiche.",
            )
        ],
        request=ProjectPatchSerializer,
        responses={
            200: ProjectDetailSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            412: OpenApiResponse(ErrorSerializer, description="ETag périmé."),
            428: OpenApiResponse(ErrorSerializer, description="If-Match manquant."),
        },
    )
    def patch(self, request, slug):
        project = self.get_object(request, slug)
        if not services.can_edit_directly(request.user, project):
            raise PermissionDenied("Vous ne pouvez pas modifier cette fiche.")
        if_match = request.headers.get("If-Match")
        if not if_match:
            raise PreconditionRequired
        expected = version_from(if_match, project)
        if expected is None or expected != project.version:
            raise PreconditionFailed

        serializer = ProjectPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            services.update_project(
                project=project,
                data=dict(serializer.validated_data),
                editor=request.user,
                expected_version=expected,
            )
        except services.StaleVersionError as error:
            raise PreconditionFailed from error
        except HabitatError as error:
            if error.code == "permission_denied":
                raise PermissionDenied(error.message) from error
            raise
        updated = self.get_object(request, slug)
        return Response(
            ProjectDetailSerializer(updated).data, headers={"ETag": etag(updated)}
        )
