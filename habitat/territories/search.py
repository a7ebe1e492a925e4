"""Finding a commune from what people and spreadsheets type.

Names are compared folded (no case, accents, hyphens or apostrophes), with
"st"/"ste" read as "saint"/"sainte". Word-prefix search goes through
`CommuneWord`, one indexed row per word-boundary suffix of each name, so that
every look-up is an index range scan, never a scan of the 35,000 communes.
"""

import re

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from habitat.core.text import fold

from .models import Commune, CommuneWord, PostalCode

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# Words too common to search on: "l isle d abeau" is searched as "isle abeau".
LINK_WORDS = frozenset(
    "a au aux d de des du en et l la las le les lez los s sous sur".split()
)
MIN_QUERY_LENGTH = 2
MAX_LIMIT = 50
MAX_QUERY_LENGTH = 100

_INSEE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
_POSTAL = re.compile(r"^[0-9]{4,5}$")
LABEL_PATTERN = re.compile(
    r"^(?P<name>.+?)\s*\(\s*(?P<department>[0-9]{2,3}|2[AB])\s*\)$", re.I
)


def fold_name(text: str) -> str:
    """The search form of a name: folded, with "st"/"ste" expanded."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold(text).split())


def search_key(folded: str) -> str:
    """A folded name without its link words: "l isle d abeau" -> "isle abeau"."""
    return " ".join(word for word in folded.split() if word not in LINK_WORDS)


def name_suffixes(folded: str) -> list[str]:
    """The keys a name is found by: the whole key, then each later word on.

    "saint etienne de baigorry" -> ["saint etienne baigorry",
    "etienne baigorry", "baigorry"].
    """
    words = search_key(folded).split()
    return list(dict.fromkeys(" ".join(words[i:]) for i in range(len(words))))


def is_insee_code(text: str) -> bool:
    return bool(_INSEE.match(text.strip().upper()))


def normalise_postal_code(raw) -> tuple[str | None, bool]:
    """A 5-digit French postal code, and whether it had to be repaired.

    "1300" (a spreadsheet dropped the zero) -> ("01300", True);
    "13013" -> ("13013", False); anything else -> (None, False).
    """
    text = "" if raw is None else str(raw)
    text = text.replace("\u00a0", "").replace(" ", "").strip()
    repaired = False
    if text.endswith(".0"):
        text, repaired = text[:-2], True
    if not _POSTAL.match(text):
        return None, False
    if len(text) == 4:
        text, repaired = "0" + text, True
    if text.startswith("00"):
        return None, False
    return text, repaired


def _prefix(field: str, prefix: str) -> Q:
    """An index-friendly "starts with" on a folded (ASCII) column.

    PostgreSQL uses the pattern_ops index Django adds to indexed CharFields;
    SQLite's LIKE ignores case and so its index, but a range does not.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "~"})


def _as_insee(code: str) -> str:
    return code.upper() if len(code) == 5 else "0" + code


def _communes_with_codes(codes: list[str]) -> Q:
    """Communes whose INSEE or postal code is each code ("1300" is 01300)."""
    condition = Q()
    for code in codes:
        either = Q(insee=_as_insee(code))
        postal, _ = normalise_postal_code(code)
        if postal:
            served = PostalCode.objects.filter(code=postal).values("commune_id")
            either |= Q(insee__in=served)
        condition &= either
    return condition


def _best_words(key: str, limit: int | None) -> QuerySet:
    """The communes of the best-ranked words starting with key, as a subquery.

    Ranked on the narrow word table ("saint" matches 4,000 communes), so only
    a few rows are joined to the communes.
    """
    words = CommuneWord.objects.filter(_prefix("word", key)).annotate(
        same=Case(When(word=key, then=Value(0)), default=Value(1))
    )
    ranked = words.order_by(
        "same", "-is_whole_name", F("population").desc(nulls_last=True), "commune_id"
    )
    if limit is None:
        return words.values("commune_id")
    return ranked.values("commune_id")[: limit * 3]


def search_communes(query: str, *, limit: int = 20) -> QuerySet:
    """Current communes matching a name, postal code or INSEE code, best first.

    Ranking: exact name, then names starting with the query, then names with
    a word starting with it; for a bare code, communes with that postal code
    before the one with that INSEE code; ties by population. "Saint-Denis
    (93)" (a picker label) restricts to that département.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    text = (query or "")[:MAX_QUERY_LENGTH].strip()
    department = None
    label = LABEL_PATTERN.match(text)
    if label:
        text, department = label["name"], label["department"].upper()

    tokens = fold_name(text).split()
    codes = [t for t in tokens if _POSTAL.match(t) or is_insee_code(t)]
    folded = " ".join(t for t in tokens if t not in codes)
    if (len(folded) < MIN_QUERY_LENGTH or folded.isdigit()) and not codes:
        return Commune.objects.none()

    communes = (
        Commune.objects.current()
        .select_related("department")
        .defer("department__outline")
    )
    if department:
        communes = communes.filter(department_id=department)
    if codes:
        communes = communes.filter(_communes_with_codes(codes))
    # A bare code is more often a postal code (69007) than an INSEE code.
    exact = Q(pk__in=[])
    starts = ~Q(insee__in=[_as_insee(code) for code in codes])
    if folded:
        key = search_key(folded)
        if key:
            # Other filters could drop the best words: then keep them all.
            best = None if department or codes else limit
            communes = communes.filter(insee__in=_best_words(key, best))
        else:
            communes = communes.filter(_prefix("search_name", folded))
        exact = Q(search_name=folded)
        starts = Q(search_name__startswith=folded)

    ranked = communes.annotate(
        rank=Case(
            When(exact, then=Value(0)),
            When(starts, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", F("population").desc(nulls_last=True), "name", "insee")
    return ranked[:limit]


def _names_of(commune: Commune) -> set[str]:
    names = {fold_name(commune.name)}
    if commune.parent_id:
        names.add(fold_name(commune.parent.name))
    return names


def _pick_by_name(candidates: list[Commune], name: str) -> list[Commune]:
    """Candidates whose name matches, from the strictest comparison on."""
    wanted = fold_name(name)
    tests = (
        lambda names: wanted in names,
        lambda names: search_key(wanted) in {search_key(n) for n in names},
        lambda names: any(n.startswith(wanted + " ") for n in names),
    )
    for test in tests:
        matches = [commune for commune in candidates if test(_names_of(commune))]
        if matches:
            return matches
    return []


def _label(commune: Commune) -> str:
    return f"{commune.name} ({commune.department_id})"


def resolve_commune(
    *, postal_code: str, name: str = "", insee: str = ""
) -> tuple[Commune | None, list[str]]:
    """The commune an imported row means, and warnings for the operator.

    The INSEE code wins when it is valid; otherwise the communes of the
    (repaired) postal code, arrondissements included, told apart by name.
    A name alone is used only when it designates one commune in France.
    """
    warnings: list[str] = []
    communes = (
        Commune.objects.current()
        .select_related("department", "parent")
        .defer("department__outline")
    )

    insee = (insee or "").strip().upper()
    if insee:
        if len(insee) == 4 and insee.isdigit():
            warnings.append(
                _("code INSEE réparé : %(code)s → 0%(code)s") % {"code": insee}
            )
            insee = "0" + insee
        commune = communes.filter(insee=insee).first() if is_insee_code(insee) else None
        if commune:
            return commune, warnings
        warnings.append(_("code INSEE inconnu : %(code)s") % {"code": insee})

    raw_postal = str(postal_code or "").strip()
    postal, repaired = normalise_postal_code(raw_postal)
    if repaired:
        warnings.append(
            _("code postal réparé : %(raw)s → %(code)s")
            % {"raw": raw_postal, "code": postal}
        )
    elif raw_postal and not postal:
        warnings.append(_("code postal invalide : « %(raw)s »") % {"raw": raw_postal})

    if postal:
        candidates = list(communes.filter(postal_code_links__code=postal))
        if len(candidates) == 1:
            commune = candidates[0]
            if name and not _pick_by_name(candidates, name):
                warnings.append(
                    _(
                        "le nom « %(name)s » ne correspond pas au code postal "
                        "%(code)s : commune retenue %(commune)s"
                    )
                    % {"name": name, "code": postal, "commune": _label(commune)}
                )
            return commune, warnings
        if candidates:
            matches = _pick_by_name(candidates, name) if name else []
            if len(matches) == 1:
                return matches[0], warnings
            warnings.append(
                _(
                    "le code postal %(code)s couvre %(count)s communes ; "
                    "aucune ne correspond seule au nom « %(name)s »"
                )
                % {"code": postal, "count": len(candidates), "name": name}
            )
            return None, warnings
        warnings.append(
            _("aucune commune pour le code postal %(code)s") % {"code": postal}
        )

    if name:
        folded = fold_name(name)
        homonyms = list(communes.filter(search_name=folded)[:2]) if folded else []
        if len(homonyms) == 1:
            warnings.append(
                _("commune trouvée par son seul nom : %(commune)s")
                % {"commune": _label(homonyms[0])}
            )
            return homonyms[0], warnings
        if homonyms:
            warnings.append(
                _(
                    "plusieurs communes s'appellent « %(name)s » : "
                    "précisez le code postal"
                )
                % {"name": name}
            )
        else:
            warnings.append(_("commune introuvable : « %(name)s »") % {"name": name})
    return None, warnings
