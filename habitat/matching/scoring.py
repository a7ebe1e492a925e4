"""How well a person and a group fit: pure functions, no database.

A score is made of parts. Each part says, in plain French, why it counts
(or why it does not): a mismatch is shown, not hidden. A part may be a hard
constraint (outside the territory, budget far outside): the pair is then
excluded and gets no score. The same function scores a pair whichever side
looks at it, so a person and a group see the same number.
"""

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from django.utils.translation import get_language, gettext, gettext_noop

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


# A full recomputation scores millions of pairs: it asks `points()`, which
# builds no sentence. Pages ask `score()` for the 20 rows they show; Django's
# gettext walks every catalogue on each call, so wordings are memoised per
# language.

PERSON = "person"  # a person reads about a group
GROUP = "group"  # a group's editors (or a land owner) read about a person
READERS = (PERSON, GROUP)

# What each verdict says, to the person and to the group: (person, group).
WORDINGS = {
    "zone": (
        gettext_noop("dans votre zone"),
        gettext_noop("cherche dans votre département"),
    ),
    "same_place": (
        gettext_noop("dans votre zone"),
        gettext_noop("souhaite habiter dans votre commune"),
    ),
    "km": (
        gettext_noop("à %(km)d km de votre zone"),
        gettext_noop("souhaite habiter à %(km)d km de votre commune"),
    ),
    "budget_unknown": (
        gettext_noop("budget non comparable"),
        gettext_noop("budget non comparable"),
    ),
    "budget_ok": (
        gettext_noop("budget compatible"),
        gettext_noop("budget compatible avec vos prix"),
    ),
    "budget_short": (
        gettext_noop("budget un peu juste"),
        gettext_noop("budget un peu inférieur à vos prix"),
    ),
    "tenure_unknown": (
        gettext_noop("statut d'occupation non précisé"),
        gettext_noop("statut d'occupation non précisé"),
    ),
    "tenure_ok": (
        gettext_noop("le groupe propose ce que vous cherchez : %(common)s"),
        gettext_noop("cherche ce que vous proposez : %(common)s"),
    ),
    "tenure_mismatch": (
        gettext_noop("le groupe cherche en %(group)s, vous en %(person)s"),
        gettext_noop("cherche en %(person)s, vous proposez : %(group)s"),
    ),
    "no_children": (
        gettext_noop("le groupe recherche une famille avec enfants"),
        gettext_noop("sans enfant, vous recherchez une famille avec enfants"),
    ),
    "ages": (
        gettext_noop("le groupe recherche des personnes de %(low)d à %(high)d ans"),
        gettext_noop("hors des âges que vous recherchez (de %(low)d à %(high)d ans)"),
    ),
    "no_children_ages": (
        gettext_noop(
            "le groupe recherche une famille avec enfants, de %(low)d à %(high)d ans"
        ),
        gettext_noop(
            "sans enfant et hors des âges que vous recherchez "
            "(de %(low)d à %(high)d ans)"
        ),
    ),
    "family": (
        gettext_noop("le groupe recherche une famille avec enfants : c'est votre cas"),
        gettext_noop("famille avec enfants : ce que vous recherchez"),
    ),
    "household_ok": (
        gettext_noop("votre foyer correspond"),
        gettext_noop("son foyer correspond à ce que vous recherchez"),
    ),
    "no_values": (
        gettext_noop("aucune valeur commune indiquée"),
        gettext_noop("aucune valeur commune indiquée"),
    ),
    "values": (
        gettext_noop("valeurs partagées : %(common)s"),
        gettext_noop("valeurs partagées : %(common)s"),
    ),
    "no_skills_sought": (
        gettext_noop("pas de compétence recherchée"),
        gettext_noop("vous ne cherchez pas de compétence particulière"),
    ),
    "skills_missing": (
        gettext_noop("le groupe cherche : %(group)s"),
        gettext_noop("n'apporte pas ce que vous cherchez : %(group)s"),
    ),
    "skills_ok": (
        gettext_noop("le groupe cherche ce que vous savez faire : %(common)s"),
        gettext_noop("apporte ce que vous cherchez : %(common)s"),
    ),
    "timeline_unknown": (
        gettext_noop("calendrier non précisé"),
        gettext_noop("calendrier non précisé"),
    ),
    "timeline_same": (
        gettext_noop("même calendrier"),
        gettext_noop("même calendrier que le vôtre"),
    ),
    "timeline_gap": (
        gettext_noop("le groupe emménage %(group)s, vous %(person)s"),
        gettext_noop("souhaite emménager %(person)s, votre groupe %(group)s"),
    ),
    "no_access_need": (
        gettext_noop("pas de besoin d'accessibilité"),
        gettext_noop("pas de besoin d'accessibilité"),
    ),
    "accessible": (
        gettext_noop("logements accessibles"),
        gettext_noop("a besoin d'un logement accessible : vous en proposez"),
    ),
    "not_accessible": (
        gettext_noop("le groupe n'annonce pas de logement accessible"),
        gettext_noop("a besoin d'un logement accessible, vous n'en annoncez pas"),
    ),
}


@lru_cache(maxsize=2048)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


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


def word(verdict: "Verdict", reader: str = PERSON) -> str:
    """The sentence explaining a verdict, worded for its reader."""
    language = get_language()
    message = WORDINGS[verdict.code][READERS.index(reader)]
    text = _translated(language, message)
    if not verdict.params:
        return text
    values = {
        name: _joined(language, value[1], value[0])
        if isinstance(value, tuple)
        else value
        for name, value in verdict.params.items()
    }
    return text % values


class Verdict(NamedTuple):
    """One part of a score, before it is put into words."""

    key: str
    points: int
    ok: bool
    code: str
    params: dict | None = None


# Each part returns a Verdict, or None when the pair is excluded. A param
# given as (kind, keys) is a set of choices, joined into labels in words.


def territory_part(seeker: Seeker, group: Group) -> Verdict | None:
    weight = WEIGHTS["territory"]
    if group.department and group.department in seeker.departments:
        return Verdict("territory", weight, True, "zone")
    if group.latitude is None or group.longitude is None or not seeker.points:
        # No zone, or no place to measure: the territory cannot be checked.
        return None
    nearest = min(
        distance_km(point, (group.latitude, group.longitude)) for point in seeker.points
    )
    if nearest > seeker.radius_km:
        return None
    if nearest < 1:
        return Verdict("territory", weight, True, "same_place")
    closeness = 1 - nearest / max(seeker.radius_km, 1)
    points = round(weight * (0.5 + 0.5 * closeness))
    return Verdict("territory", points, True, "km", {"km": round(nearest)})


def _budget_fit(budget: int | None, low: int | None) -> str | None:
    """'ok', 'short', 'far', or None when there is nothing to compare."""
    if budget is None or not low:
        return None
    if budget >= low:
        return "ok"
    if budget >= low * FAR_BUDGET_RATIO:
        return "short"
    return "far"


def budget_part(seeker: Seeker, group: Group) -> Verdict | None:
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
        return Verdict("budget", weight // 2, True, "budget_unknown")
    if "ok" in fits:
        return Verdict("budget", weight, True, "budget_ok")
    if "short" in fits:
        return Verdict("budget", weight // 3, False, "budget_short")
    return None


def tenure_part(seeker: Seeker, group: Group) -> Verdict:
    weight = WEIGHTS["tenure"]
    if not seeker.tenures or not group.tenures:
        return Verdict("tenure", weight // 2, True, "tenure_unknown")
    common = seeker.tenures & group.tenures
    if common:
        return Verdict(
            "tenure", weight, True, "tenure_ok", {"common": ("tenure", common)}
        )
    params = {
        "group": ("tenure", group.tenures),
        "person": ("tenure", seeker.tenures),
    }
    return Verdict("tenure", 0, False, "tenure_mismatch", params)


def household_part(seeker: Seeker, group: Group) -> Verdict:
    weight = WEIGHTS["household"]
    no_children = group.wants_children and not seeker.children
    if group.age_min or group.age_max:
        low = group.age_min or 0
        high = group.age_max or 200
        adult_ages = [age for age in seeker.ages if age >= 18]
        if adult_ages and not any(low <= age <= high for age in adult_ages):
            code = "no_children_ages" if no_children else "ages"
            params = {"low": low, "high": min(high, 120)}
            return Verdict("household", 0, False, code, params)
    if no_children:
        return Verdict("household", 0, False, "no_children")
    if group.wants_children:
        return Verdict("household", weight, True, "family")
    return Verdict("household", weight, True, "household_ok")


def values_part(seeker: Seeker, group: Group) -> Verdict:
    overlap = shared(seeker.values, group.values)
    if not overlap:
        return Verdict("values", 0, False, "no_values")
    params = {"common": ("value", seeker.values & group.values)}
    return Verdict("values", round(WEIGHTS["values"] * overlap), True, "values", params)


def skills_part(seeker: Seeker, group: Group) -> Verdict:
    weight = WEIGHTS["skills"]
    if not group.skills_sought:
        return Verdict("skills", weight // 2, True, "no_skills_sought")
    common = seeker.skills & group.skills_sought
    if not common:
        params = {"group": ("skill", group.skills_sought)}
        return Verdict("skills", 0, False, "skills_missing", params)
    return Verdict("skills", weight, True, "skills_ok", {"common": ("skill", common)})


def timeline_part(seeker: Seeker, group: Group) -> Verdict:
    weight = WEIGHTS["timeline"]
    if seeker.timeline not in TIMELINE_ORDER or group.timeline not in TIMELINE_ORDER:
        return Verdict("timeline", weight // 2, True, "timeline_unknown")
    gap = abs(
        TIMELINE_ORDER.index(seeker.timeline) - TIMELINE_ORDER.index(group.timeline)
    )
    if gap == 0:
        return Verdict("timeline", weight, True, "timeline_same")
    params = {
        "group": ("timeline", frozenset({group.timeline})),
        "person": ("timeline", frozenset({seeker.timeline})),
    }
    points = weight // 2 if gap == 1 else 0
    return Verdict("timeline", points, gap == 1, "timeline_gap", params)


def accessibility_part(seeker: Seeker, group: Group) -> Verdict:
    weight = WEIGHTS["accessibility"]
    if not seeker.needs_accessibility:
        return Verdict("accessibility", weight, True, "no_access_need")
    if group.accessible:
        return Verdict("accessibility", weight, True, "accessible")
    return Verdict("accessibility", 0, False, "not_accessible")


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


def points(seeker: Seeker, group: Group) -> int | None:
    """The score alone (None when excluded): what a full recomputation needs."""
    total = 0
    for compute in PARTS:
        verdict = compute(seeker, group)
        if verdict is None:
            return None
        total += verdict.points
    return round(100 * total / MAX_SCORE)


def score(seeker: Seeker, group: Group, *, reader: str = PERSON) -> Result:
    """Score a pair and explain it to `reader`, or exclude it on a hard constraint.

    The number is the same whoever reads; only the sentences differ.
    """
    verdicts = []
    for compute in PARTS:
        verdict = compute(seeker, group)
        if verdict is None:
            return Result(excluded=True, score=0)
        verdicts.append(verdict)
    total = sum(verdict.points for verdict in verdicts)
    return Result(
        excluded=False,
        score=round(100 * total / MAX_SCORE),
        parts=tuple(Part(v.key, v.points, word(v, reader), v.ok) for v in verdicts),
    )
