"""Filters of the directory, shared by the list page, the API and the CSV export.

`facet_counts()` counts each facet's values under the *other* active filters,
so the numbers stay right when filters are combined: one aggregate query per
facet, whatever the number of values or results.
"""

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from habitat.core import search
from habitat.territories.models import Department, Region

from .models import (
    SIZE_BANDS,
    GroupStage,
    LegalStructure,
    Project,
    ProjectStage,
    Setting,
)

SORTS = {
    "name": ("name", "id"),
    "recent": ("-published_at", "-id"),
    "verified": ("-last_verified_at", "-id"),
}
SORT_LABELS = {
    "name": _("nom"),
    "recent": _("les plus récents"),
    "verified": _("vérifiés récemment"),
}
YES = [("1", _("oui"))]


def size_q(band: str) -> Q:
    for key, _label, low, high in SIZE_BANDS:
        if key == band:
            q = Q(dwellings__gte=low)
            if high is not None:
                q &= Q(dwellings__lte=high)
            return q
    return Q(pk__in=[])


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Recherche"))
    region = django_filters.ChoiceFilter(
        field_name="department__region_id", label=_("Région"), choices=[]
    )
    department = django_filters.ChoiceFilter(
        field_name="department_id", label=_("Département"), choices=[]
    )
    group_stage = django_filters.ChoiceFilter(
        choices=GroupStage.choices, label=_("Étape du groupe")
    )
    project_stage = django_filters.ChoiceFilter(
        choices=ProjectStage.choices, label=_("Étape du projet")
    )
    legal = django_filters.ChoiceFilter(
        choices=LegalStructure.choices,
        method="filter_legal",
        label=_("Statut juridique"),
    )
    setting = django_filters.ChoiceFilter(choices=Setting.choices, label=_("Cadre"))
    seeking_members = django_filters.ChoiceFilter(
        choices=YES, method="filter_true", label=_("Recherche des membres")
    )
    open_to_visits = django_filters.ChoiceFilter(
        choices=YES, method="filter_true", label=_("Ouvert aux visites")
    )
    size = django_filters.ChoiceFilter(
        choices=[(key, label) for key, label, _low, _high in SIZE_BANDS],
        method="filter_size",
        label=_("Taille"),
    )
    sort = django_filters.ChoiceFilter(
        choices=list(SORT_LABELS.items()), method="filter_sort", label=_("Tri")
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].extra["choices"] = region_choices()
        self.filters["department"].extra["choices"] = department_choices()

    def filter_q(self, queryset, name, value):
        return search.search(queryset, value)

    def filter_legal(self, queryset, name, value):
        return queryset.filter(legal_keys__contains=f"|{value}|")

    def filter_true(self, queryset, name, value):
        return queryset.filter(**{name: True})

    def filter_size(self, queryset, name, value):
        return queryset.filter(size_q(value))

    def filter_sort(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.is_bound else None
        return queryset.order_by(*SORTS.get(sort or "name", SORTS["name"]))


_choices_cache: dict[str, list] = {}


def region_choices() -> list[tuple[str, str]]:
    if "region" not in _choices_cache:
        _choices_cache["region"] = list(
            Region.objects.order_by("name").values_list("code", "name")
        )
    return _choices_cache["region"]


def department_choices() -> list[tuple[str, str]]:
    if "department" not in _choices_cache:
        _choices_cache["department"] = [
            (code, f"{name} ({code})")
            for code, name in Department.objects.order_by("code").values_list(
                "code", "name"
            )
        ]
    return _choices_cache["department"]


FACETS = [
    "region",
    "department",
    "group_stage",
    "project_stage",
    "legal",
    "setting",
    "seeking_members",
    "open_to_visits",
    "size",
]


def _conditional_counts(queryset, conditions: dict[str, Q]) -> dict[str, int]:
    aggregates = {
        f"c{i}": Count("pk", filter=q) for i, q in enumerate(conditions.values())
    }
    row = queryset.aggregate(**aggregates)
    return {key: row[f"c{i}"] for i, key in enumerate(conditions)}


def facet_counts(params, base_queryset) -> dict[str, dict]:
    """For each facet: {"label", "active", "values": [(key, label, count)]}."""
    facets = {}
    for name in FACETS:
        others = params.copy()
        for key in (name, "page", "sort"):
            others.pop(key, None)
        filterset = ProjectFilter(others, queryset=base_queryset)
        queryset = filterset.qs.order_by()
        field = ProjectFilter.base_filters[name]
        if name in ("region", "department"):
            column = "department__region_id" if name == "region" else "department_id"
            rows = queryset.values(column).annotate(n=Count("pk"))
            counts = dict(rows.values_list(column, "n"))
            choices = region_choices() if name == "region" else department_choices()
        else:
            choices = list(field.extra["choices"])
            if name == "legal":
                conditions = {
                    key: Q(legal_keys__contains=f"|{key}|") for key, _l in choices
                }
            elif name in ("seeking_members", "open_to_visits"):
                conditions = {"1": Q(**{name: True})}
            elif name == "size":
                conditions = {key: size_q(key) for key, _l in choices}
            else:
                conditions = {key: Q(**{name: key}) for key, _l in choices}
            counts = _conditional_counts(queryset, conditions)
        values = [
            (key, label, counts.get(key, 0))
            for key, label in choices
            if counts.get(key, 0) or params.get(name) == key
        ]
        facets[name] = {
            "name": name,
            "label": field.label,
            "active": params.get(name, ""),
            "values": values,
        }
    return facets
