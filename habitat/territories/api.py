from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from .models import Commune
from .search import search_communes


class CommuneSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    region = serializers.CharField(source="department.region_id")
    label = serializers.SerializerMethodField()
    postal_codes = serializers.ListField(
        source="postal_code_list", child=serializers.CharField()
    )

    class Meta:
        model = Commune
        fields = [
            "insee",
            "name",
            "label",
            "department",
            "department_name",
            "region",
            "postal_codes",
            "latitude",
            "longitude",
            "time_zone",
        ]

    def get_label(self, commune) -> str:
        return f"{commune.name} ({commune.department_id})"


class CommuneSearchView(ListAPIView):
    """Find a commune by name (accents and hyphens optional) or postal code."""

    serializer_class = CommuneSerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self):
        return search_communes(self.request.query_params.get("q", ""), limit=20)
