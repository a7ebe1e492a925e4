"""Public read API of the ads and land offers: published, unexpired, no contact."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from .forms import AdFilterForm
from .models import Ad, Category, Kind


class AdPlaceSerializer(serializers.Serializer):
    insee = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(source="department_id")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class AdSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    commune = AdPlaceSerializer()
    organisation = serializers.CharField(source="organisation.name", default=None)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Ad
        fields = [
            "id",
            "url",
            "category",
            "kind",
            "title",
            "body",
            "commune",
            "price",
            "price_text",
            "organisation",
            "photos",
            "published_at",
            "expires_at",
        ]

    def get_url(self, ad) -> str:
        return self.context["request"].build_absolute_uri(ad.get_absolute_url())

    def get_photos(self, ad) -> list[str]:
        request = self.context["request"]
        return [
            request.build_absolute_uri(photo.image.url) for photo in ad.photos.all()
        ]


class LandOfferSerializer(AdSerializer):
    class Meta(AdSerializer.Meta):
        fields = [
            "id",
            "url",
            "title",
            "body",
            "poster_kind",
            "organisation",
            "commune",
            "surface_m2",
            "is_built",
            "state",
            "transaction",
            "price",
            "price_text",
            "constraints",
            "call_deadline",
            "photos",
            "published_at",
            "expires_at",
        ]


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description=_("Mots recherchés")),
    OpenApiParameter("region", OpenApiTypes.STR, description=_("Code INSEE de région")),
    OpenApiParameter(
        "department", OpenApiTypes.STR, description=_("Code de département")
    ),
    OpenApiParameter("price_min", OpenApiTypes.NUMBER),
    OpenApiParameter("price_max", OpenApiTypes.NUMBER),
]
ErrorSerializer = inline_serializer(
    name="AdsError",
    fields={
        "error": inline_serializer(
            name="AdsErrorBody",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField())
                ),
            },
        )
    },
)
ERROR_RESPONSE = {
    400: OpenApiResponse(ErrorSerializer, description=_("Filtre invalide")),
    404: OpenApiResponse(ErrorSerializer, description=_("Page introuvable")),
}


class FilteredAdsView(ListAPIView):
    permission_classes = [AllowAny]
    filter_backends: list = []

    def criteria(self) -> dict:
        form = AdFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {key: [str(e) for e in errors] for key, errors in form.errors.items()}
            )
        return form.cleaned_data


@extend_schema(
    summary=_("Petites annonces publiées et non expirées"),
    parameters=[
        OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values),
        *FILTER_PARAMETERS,
    ],
    responses={200: AdSerializer(many=True), **ERROR_RESPONSE},
)
class AdListView(FilteredAdsView):
    serializer_class = AdSerializer

    def get_queryset(self):
        return Ad.objects.visible().matching(self.criteria()).for_listing()


@extend_schema(
    summary=_("Terrains et bâtiments proposés (foncier)"),
    parameters=FILTER_PARAMETERS,
    responses={200: LandOfferSerializer(many=True), **ERROR_RESPONSE},
)
class LandOfferListView(FilteredAdsView):
    serializer_class = LandOfferSerializer

    def get_queryset(self):
        criteria = {**self.criteria(), "category": None, "kind": None}
        return Ad.objects.land_offers().matching(criteria).for_listing()
