"""A generation counter for the directory's cached outputs.

Every change to a sheet bumps the generation (signals.py); cached fragments
and exports put it in their keys, so a change invalidates them all at once
and every process sees it (the cache is shared: database or Redis).
"""

from django.core.cache import cache

GENERATION_KEY = "projects:generation"
TIMEOUT = 60 * 60


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def cached(name: str, variant: str, build):
    """`build()` cached under (name, generation, variant)."""
    key = f"projects:{name}:{generation()}:{variant}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
