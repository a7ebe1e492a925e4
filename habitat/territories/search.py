"""Commune look-up by name or postal code (filled in by the territories work)."""

from habitat.core.text import fold

from .models import Commune


def search_communes(query: str, *, limit: int = 20):
    folded = fold(query)
    if not folded:
        return Commune.objects.none()
    return Commune.objects.filter(search_name__startswith=folded).select_related(
        "department"
    )[:limit]
