"""Agenda search through the shared index (habitat.core.search).

Events are indexed like the directory's project sheets: folded (no case,
accents or ligatures), French stems, the last word matched as a prefix; the
same rows and the same queries on SQLite and PostgreSQL. Every save of an
event reindexes it (post_save); bulk loads call `reindex_events()`.

    from habitat.agenda.search import search_events
    events = search_events(Event.objects.series().published(), "atelier velo")
"""

from habitat.core import search

from .models import Event

# Title, text and where/who/what: "portes ouvertes Lyon", "atelier Grenoble",
# "formation Habitat AURA" all find what people expect.
SEARCH_FIELDS = (
    "title",
    "description",
    "address",
    "commune.name",
    "organiser.name",
    "audience",
    "get_kind_display",
)


def register_events() -> None:
    """Index events on save (called once, from AgendaConfig.ready)."""
    search.register(Event, fields=SEARCH_FIELDS)


def search_events(queryset, query: str):
    """`queryset` (of events) narrowed to those matching `query`.

    Accent-, case- and ending-insensitive ("reunion" finds "Réunions");
    an empty query returns the queryset unchanged.
    """
    return search.search(queryset, query)


def reindex_events(queryset=None) -> int:
    """Rebuild the index of every event (or of `queryset`); rows written."""
    return search.reindex(Event, queryset)
