"""A generation counter for the directory's cached outputs.

Every change to a sheet bumps the generation (signals.py); cached fragments
and exports are stored with the generation they were built under, so a
change invalidates them all at once and every process sees it (the cache is
shared: database or Redis). A lookup is one cache read (generation and value
together).
"""

import hashlib

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
    """`build()` cached under (name, variant), valid for the current generation."""
    digest = hashlib.sha256(variant.encode()).hexdigest()[:32]
    key = f"projects:{name}:{digest}"
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    entry = found.get(key)
    if current is not None and entry is not None and entry[0] == current:
        return entry[1]
    current = current if current is not None else generation()
    value = build()
    cache.set(key, (current, value), TIMEOUT)
    return value
