"""How well a person and a group fit: pure functions, no database.

A score is made of parts. Each part says, in plain French, why it counts
(or why it does not): a mismatch is shown, not hidden. A part may be a hard
constraint (outside the territory, budget far outside): the pair is then
excluded and gets no score. The same function scores a pair whichever side
looks at it, so a person and a group see the same number.
"""

import math
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import get_language, gettext, ngettext

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2

# Below this share of the group's lowest price or rent, a budget is "far
# outside" and excludes the pair; between it and 1, it is "a bit short".
FAR_BUDGET_RATIO = 0.7

WEIGHTS = {
    "territory": 30,
    "budget": 20,
    "tenure": 15,
    "household": 10,
    "values": 10,
    "skills": 5,
    "timeline": 5,
    "accessibility": 5,
}
MAX_SCORE = sum(WEIGHTS.values())

TIMELINE_ORDER = ["asap", "2y", "5y", "later"]

TENURE_LABELS = {
    "ownership": "accession",
    "cooperative": "coopérative",
    "social_rental": "location sociale",
    "brs": "bail réel solidaire",
}
RENTAL_TENURES = {"social_rental", "cooperative"}
PURCHASE_TENURES = {"ownership", "brs"}


@dataclass(frozen=True)
class Seeker:
    """What scoring needs from a person's profile."""

    points: tuple[tuple[float, float], ...] = ()
    departments: frozenset[str] = frozenset()
    radius_km: int = 20
    adults: int = 1
    children: int = 0
    ages: tuple[int, ...] = ()
    budget_purchase: int | None = None
    budget_rent: int | None = None
    tenures: frozenset[str] = frozenset()
    timeline: str = ""
    values: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    needs_accessibility: bool = False


@dataclass(frozen=True)
class Group:
    """What scoring needs from a group seeking members."""

    latitude: float | None = None
    longitude: float | None = None
    department: str = ""
    price_min: int | None = None
    price_max: int | None = None
    rent_min: int | None = None
    rent_max: int | None = None
    tenures: frozenset[str] = frozenset()
    timeline: str = ""
    values: frozenset[str] = frozenset()
    wants_children: bool = False
    age_min: int | None = None
    age_max: int | None = None
    skills_sought: frozenset[str] = frozenset()
    accessible: bool = False


@dataclass(frozen=True)
class Part:
    key: str
    points: int
    label: str
    ok: bool

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "points": self.points,
            "label": self.label,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class Result:
    excluded: bool
    score: int
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def reasons(self) -> list[str]:
        return [part.label for part in self.parts]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lng1 = map(math.radians, a)
    lat2, lng2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(
    lat: float, lng: float, radius_km: float
) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) enclosing a circle; for SQL prefilters."""
    dlat = radius_km / KM_PER_DEGREE
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlng = radius_km / (KM_PER_DEGREE * cos_lat)
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def shared(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap of two sets in [0, 1], the same whichever comes first."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# A full recomputation scores millions of pairs: Django's gettext walks every
# catalogue on each call, so translations are memoised per language here.


@lru_cache(maxsize=2048)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


_state = threading.local()  # the language, read once per score() call


def _language() -> str | None:
    return getattr(_state, "language", None) or get_language()


def _(message: str) -> str:
    return _translated(_language(), message)


@lru_cache(maxsize=4096)
def _joined(language: str | None, keys: frozenset, kind: str) -> str:
    from .choices import SKILL_LABELS, TIMELINE_LABELS, VALUE_LABELS

    labels = {
        "tenure": TENURE_LABELS,
        "value": VALUE_LABELS,
        "skill": SKILL_LABELS,
        "timeline": TIMELINE_LABELS,
    }
    return ", ".join(str(labels[kind].get(key, key)) for key in sorted(keys))


@lru_cache(maxsize=16)
def _plural_for(language: str | None, many: bool) -> str:
    return ngettext(
        "le groupe cherche votre compétence : %(skills)s",
        "le groupe cherche vos compétences : %(skills)s",
        2 if many else 1,
    )


def _plural(many: bool) -> str:
    return _plural_for(_language(), many)


def _labels(keys, kind: str) -> str:
    return _joined(_language(), frozenset(keys), kind)


# Each part returns a Part, or None when the pair is excluded.


def territory_part(seeker: Seeker, group: Group) -> Part | None:
    weight = WEIGHTS["territory"]
    if group.department and group.department in seeker.departments:
        return Part("territory", weight, _("dans votre zone"), True)
    if group.latitude is None or group.longitude is None or not seeker.points:
        # No zone, or no place to measure: the territory cannot be checked.
        return None
    nearest = min(
        distance_km(point, (group.latitude, group.longitude)) for point in seeker.points
    )
    if nearest > seeker.radius_km:
        return None
    if nearest < 1:
        return Part("territory", weight, _("dans votre zone"), True)
    closeness = 1 - nearest / max(seeker.radius_km, 1)
    points = round(weight * (0.5 + 0.5 * closeness))
    label = _("à %(km)d km de votre zone") % {"km": round(nearest)}
    return Part("territory", points, label, True)


def _budget_fit(budget: int | None, low: int | None) -> str | None:
    """'ok', 'short', 'far', or None when there is nothing to compare."""
    if budget is None or not low:
        return None
    if budget >= low:
        return "ok"
    if budget >= low * FAR_BUDGET_RATIO:
        return "short"
    return "far"


def budget_part(seeker: Seeker, group: Group) -> Part | None:
    weight = WEIGHTS["budget"]
    fits = [
        fit
        for fit in (
            _budget_fit(seeker.budget_purchase, group.price_min),
            _budget_fit(seeker.budget_rent, group.rent_min),
        )
        if fit is not None
    ]
    if not fits:
        return Part("budget", weight // 2, _("budget non comparable"), True)
    if "ok" in fits:
        return Part("budget", weight, _("budget compatible"), True)
    if "short" in fits:
        return Part("budget", weight // 3, _("budget un peu juste"), False)
    return None


def tenure_part(seeker: Seeker, group: Group) -> Part:
    weight = WEIGHTS["tenure"]
    if not seeker.tenures or not group.tenures:
        return Part("tenure", weight // 2, _("statut d'occupation non précisé"), True)
    common = seeker.tenures & group.tenures
    if common:
        label = _("le groupe propose ce que vous cherchez : %(what)s") % {
            "what": _labels(common, "tenure")
        }
        return Part("tenure", weight, label, True)
    label = _("le groupe cherche en %(group)s, vous en %(you)s") % {
        "group": _labels(group.tenures, "tenure"),
        "you": _labels(seeker.tenures, "tenure"),
    }
    return Part("tenure", 0, label, False)


def household_part(seeker: Seeker, group: Group) -> Part:
    weight = WEIGHTS["household"]
    problems = []
    if group.wants_children and not seeker.children:
        problems.append(_("le groupe recherche une famille avec enfants"))
    adult_ages = [age for age in seeker.ages if age >= 18]
    if adult_ages and (group.age_min or group.age_max):
        low = group.age_min or 0
        high = group.age_max or 200
        if not any(low <= age <= high for age in adult_ages):
            problems.append(
                _("le groupe recherche des personnes de %(low)d à %(high)d ans")
                % {"low": low, "high": min(high, 120)}
            )
    if problems:
        return Part("household", 0, " ; ".join(problems), False)
    if group.wants_children:
        return Part("household", weight, _("recherche une famille avec enfants"), True)
    return Part("household", weight, _("votre foyer correspond"), True)


def values_part(seeker: Seeker, group: Group) -> Part:
    overlap = shared(seeker.values, group.values)
    if not overlap:
        return Part("values", 0, _("aucune valeur commune indiquée"), False)
    label = _("valeurs partagées : %(values)s") % {
        "values": _labels(seeker.values & group.values, "value")
    }
    return Part("values", round(WEIGHTS["values"] * overlap), label, True)


def skills_part(seeker: Seeker, group: Group) -> Part:
    if not group.skills_sought:
        return Part(
            "skills", WEIGHTS["skills"] // 2, _("pas de compétence recherchée"), True
        )
    common = seeker.skills & group.skills_sought
    if not common:
        return Part(
            "skills",
            0,
            _("le groupe cherche : %(skills)s")
            % {"skills": _labels(group.skills_sought, "skill")},
            False,
        )
    label = _plural(len(common) > 1) % {"skills": _labels(common, "skill")}
    return Part("skills", WEIGHTS["skills"], label, True)


def timeline_part(seeker: Seeker, group: Group) -> Part:
    weight = WEIGHTS["timeline"]
    if seeker.timeline not in TIMELINE_ORDER or group.timeline not in TIMELINE_ORDER:
        return Part("timeline", weight // 2, _("calendrier non précisé"), True)
    gap = abs(
        TIMELINE_ORDER.index(seeker.timeline) - TIMELINE_ORDER.index(group.timeline)
    )
    if gap == 0:
        return Part("timeline", weight, _("même calendrier"), True)
    label = _("le groupe emménage %(group)s, vous %(you)s") % {
        "group": _labels({group.timeline}, "timeline"),
        "you": _labels({seeker.timeline}, "timeline"),
    }
    return Part("timeline", weight // 2 if gap == 1 else 0, label, gap == 1)


def accessibility_part(seeker: Seeker, group: Group) -> Part:
    weight = WEIGHTS["accessibility"]
    if not seeker.needs_accessibility:
        return Part("accessibility", weight, _("pas de besoin d'accessibilité"), True)
    if group.accessible:
        return Part("accessibility", weight, _("logements accessibles"), True)
    return Part(
        "accessibility", 0, _("le groupe n'annonce pas de logement accessible"), False
    )


PARTS = (
    territory_part,
    budget_part,
    tenure_part,
    household_part,
    values_part,
    skills_part,
    timeline_part,
    accessibility_part,
)
HARD_PARTS = {"territory", "budget"}


def score(seeker: Seeker, group: Group) -> Result:
    """Score a pair, or exclude it when a hard constraint fails."""
    _state.language = get_language()
    try:
        parts = []
        for compute in PARTS:
            part = compute(seeker, group)
            if part is None:
                return Result(excluded=True, score=0)
            parts.append(part)
    finally:
        _state.language = None
    total = sum(part.points for part in parts)
    return Result(
        excluded=False,
        score=round(100 * total / MAX_SCORE),
        parts=tuple(parts),
    )
