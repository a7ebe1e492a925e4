"""Find the commune of an imported row.

The territories app owns commune look-up
(`habitat.territories.search.resolve_commune`); this module calls it, with
a small look-up of its own for as long as that function is not available.
"""

from habitat.core.text import fold
from habitat.territories.models import Commune


def resolve(*, postal_code: str = "", name: str = "", insee: str = ""):
    """(commune or None, warnings) for a postal code, a name and an INSEE code."""
    try:
        from habitat.territories.search import resolve_commune
    except ImportError:
        return _resolve_locally(postal_code=postal_code, name=name, insee=insee)
    return resolve_commune(postal_code=postal_code, name=name, insee=insee)


def cached_resolver():
    """`resolve` with answers remembered for one import batch."""
    answers = {}

    def resolver(*, postal_code="", name="", insee=""):
        key = (postal_code, fold(name), insee)
        if key not in answers:
            answers[key] = resolve(postal_code=postal_code, name=name, insee=insee)
        return answers[key]

    return resolver


def _resolve_locally(*, postal_code, name, insee):
    communes = Commune.objects.current().select_related("parent")
    if insee:
        commune = communes.filter(insee=insee).first()
        if commune is not None:
            return commune, []
    if not postal_code:
        matches = list(communes.filter(search_name=fold(name))[:2])
        return (matches[0], []) if len(matches) == 1 else (None, [])

    candidates = list(communes.filter(postal_code_links__code=postal_code))
    if len(candidates) == 1:
        return candidates[0], []
    wanted = fold(name)
    for commune in candidates:
        parent = commune.parent.name if commune.parent_id else ""
        if wanted in (fold(commune.name), fold(parent)):
            return commune, []
    return None, []
