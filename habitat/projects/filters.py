"""Filters of the directory, shared by the list page, the API and the CSV export.

`facet_counts()` counts each facet's values under the *other* active filters,
so the numbers stay right when filters are combined: one aggregate query per
facet, whatever the number of values or results.
"""

import copy
from urllib.parse import urlencode

import django_filters
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import QueryDict
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


class SharedChoiceField(django_filters.fields.ChoiceField):
    """A choice field whose copies share their choices.

    Every form copies its fields, and Django's ChoiceField copies its list
    of choices with them: a hundred-odd tuples per filter and per request
    for lists nobody changes.
    """

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        memo[id(self)] = clone
        clone.widget = copy.copy(self.widget)
        clone.widget.attrs = dict(self.widget.attrs)
        clone.error_messages = dict(self.error_messages)
        clone.validators = list(self.validators)
        return clone


class SharedCopy:
    """A filter that its FilterSet copies cheaply (see SharedChoiceField):
    its `extra` (choices) is shared, its method rebound to the copy."""

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        memo[id(self)] = clone
        clone.extra = dict(self.extra)
        if self.method is not None:
            clone.method = self.method  # a FilterMethod bound to the copy
        return clone


class ChoiceFilter(SharedCopy, django_filters.ChoiceFilter):
    field_class = SharedChoiceField


class CharFilter(SharedCopy, django_filters.CharFilter):
    pass


class ProjectFilter(django_filters.FilterSet):
    q = CharFilter(method="filter_q", label=_("Recherche"))
    # Callables: Django re-reads them at each validation, so the choices
    # follow the (cached) geography even when the form field was built once.
    region = ChoiceFilter(
        label=_("Région"),
        choices=lambda: region_choices(),
        method="filter_region",
    )
    department = ChoiceFilter(
        field_name="department_id",
        label=_("Département"),
        choices=lambda: department_choices(),
    )
    group_stage = ChoiceFilter(choices=GroupStage.choices, label=_("Étape du groupe"))
    project_stage = ChoiceFilter(
        choices=ProjectStage.choices, label=_("Étape du projet")
    )
    legal = ChoiceFilter(
        choices=LegalStructure.choices,
        method="filter_legal",
        label=_("Statut juridique"),
    )
    setting = ChoiceFilter(choices=Setting.choices, label=_("Cadre"))
    seeking_members = ChoiceFilter(
        choices=YES, method="filter_true", label=_("Recherche des membres")
    )
    open_to_visits = ChoiceFilter(
        choices=YES, method="filter_true", label=_("Ouvert aux visites")
    )
    size = ChoiceFilter(
        choices=[(key, label) for key, label, _low, _high in SIZE_BANDS],
        method="filter_size",
        label=_("Taille"),
    )
    sort = ChoiceFilter(
        choices=list(SORT_LABELS.items()), method="filter_sort", label=_("Tri")
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return search.search(queryset, value)

    def filter_region(self, queryset, name, value: str):
        # By département codes: no join, and the (status, department) index.
        return queryset.filter(department_id__in=region_departments().get(value, []))

    def filter_legal(self, queryset, name, value):
        return queryset.filter(legal_keys__contains=f"|{value}|")

    def filter_true(self, queryset, name, value):
        return queryset.filter(**{name: True})

    def filter_size(self, queryset, name, value):
        return queryset.filter(size_q(value))

    def filter_sort(self, queryset, name, value):
        return queryset

    def get_form_class(self):
        # django-filter builds a new form class (metaclass and all) for each
        # filterset; its fields are the same every time (the geography's
        # choices are callables), so one class per filterset class.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.is_bound else None
        return queryset.order_by(*SORTS.get(sort or "name", SORTS["name"]))


# Geography changes only when load_geography runs; it is read from the
# shared cache (cleared by the loader) rather than kept in process memory.
GEOGRAPHY_TIMEOUT = 60 * 60


def region_choices() -> list[tuple[str, str]]:
    return cache.get_or_set(
        "projects:choices:region",
        lambda: list(Region.objects.order_by("name").values_list("code", "name")),
        GEOGRAPHY_TIMEOUT,
    )


def department_choices() -> list[tuple[str, str]]:
    return cache.get_or_set(
        "projects:choices:department",
        lambda: [
            (code, f"{name} ({code})")
            for code, name in Department.objects.order_by("code").values_list(
                "code", "name"
            )
        ],
        GEOGRAPHY_TIMEOUT,
    )


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


def region_departments() -> dict[str, list[str]]:
    def build() -> dict[str, list[str]]:
        mapping: dict[str, list[str]] = {}
        for code, region in Department.objects.values_list("code", "region_id"):
            mapping.setdefault(region, []).append(code)
        return mapping

    return cache.get_or_set(
        "projects:choices:region_departments", build, GEOGRAPHY_TIMEOUT
    )


def facet_conditions(name: str) -> dict[str, Q]:
    """Value -> condition for one facet (no join: départements by code)."""
    if name == "region":
        mapping = region_departments()
        return {
            code: Q(department_id__in=mapping.get(code, []))
            for code, _label in region_choices()
        }
    if name == "department":
        return {code: Q(department_id=code) for code, _label in department_choices()}
    if name == "legal":
        return {
            key: Q(legal_keys__contains=f"|{key}|") for key in LegalStructure.values
        }
    if name in ("seeking_members", "open_to_visits"):
        return {"1": Q(**{name: True})}
    if name == "size":
        return {key: size_q(key) for key, _label, _low, _high in SIZE_BANDS}
    return {
        key: Q(**{name: key})
        for key, _label in ProjectFilter.base_filters[name].extra["choices"]
    }


def _choices_of(name: str) -> list[tuple[str, str]]:
    if name == "region":
        return region_choices()
    if name == "department":
        return department_choices()
    return list(ProjectFilter.base_filters[name].extra["choices"])


GEO_FACETS = ("region", "department")


def known_params(params) -> QueryDict:
    """The filters of `params` that change counts (no page, sort or unknown keys),
    in their original order."""
    kept = QueryDict(mutable=True)
    for key in params:
        if key in FACETS or key == "q":
            value = params.get(key)
            if value:
                kept[key] = value
    return kept


def _department_counts(queryset) -> dict[str, int]:
    rows = queryset.values("department_id").annotate(n=Count("pk"))
    return dict(rows.values_list("department_id", "n"))


def facet_counts(params, base_queryset) -> tuple[dict[str, dict], int | None]:
    """Live counts of every facet value under the other active filters.

    Returns ({facet: {"name", "label", "active", "values": [(key, label,
    count, query_string)]}}, total). Facets that are not active share the
    same "other filters" (all of them), so their counts come from one
    aggregate query (plus one GROUP BY département for the places) that also
    gives the total; each active facet costs one or two more queries. The
    number of queries never depends on the number of results.
    """
    params = known_params(params)
    groups: dict[str, list[str]] = {}
    for name in FACETS:
        groups.setdefault(name if params.get(name) else "", []).append(name)

    counts: dict[str, dict[str, int]] = {}
    total = None
    for group, names in groups.items():
        others = params.copy()
        if group:
            others.pop(group, None)
        queryset = ProjectFilter(others, queryset=base_queryset).qs.order_by()
        aggregates = {"total": Count("pk")}
        for name in names:
            if name in GEO_FACETS:
                continue
            for i, condition in enumerate(facet_conditions(name).values()):
                aggregates[f"{name}__{i}"] = Count("pk", filter=condition)
        row = queryset.aggregate(**aggregates)
        if not group:
            total = row["total"]
        for name in names:
            if name in GEO_FACETS:
                continue
            keys = list(facet_conditions(name))
            counts[name] = {key: row[f"{name}__{i}"] for i, key in enumerate(keys)}
        if set(names) & set(GEO_FACETS):
            by_department = _department_counts(queryset) if row["total"] else {}
            if "department" in names:
                counts["department"] = by_department
            if "region" in names:
                counts["region"] = {
                    region: sum(by_department.get(code, 0) for code in codes)
                    for region, codes in region_departments().items()
                }

    facets = {}
    for name in FACETS:
        active = params.get(name, "")
        base = params.copy()
        base.pop(name, None)
        prefix = base.urlencode()
        prefix = f"{prefix}&" if prefix else ""
        values = [
            (key, label, counts[name].get(key, 0), prefix + urlencode({name: key}))
            for key, label in _choices_of(name)
            if counts[name].get(key, 0) or active == key
        ]
        facets[name] = {
            "name": name,
            "label": ProjectFilter.base_filters[name].label,
            "active": active,
            "remove": base.urlencode(),
            "values": values,
        }
    return facets, total
