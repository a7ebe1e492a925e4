"""Uploaded import files and the state of their import (for the staff page).

The file is kept in the default storage under imports/<job>; its state
(owner, options, progress, report) lives in the shared cache for a day, so
the page, the status URL and the task worker all see it.
"""

import secrets

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

TIMEOUT = 24 * 60 * 60


def _key(job: str) -> str:
    return f"projects:import:{job}"


def create_job(*, data: bytes, filename: str, owner_id: int) -> str:
    job = secrets.token_urlsafe(12)
    default_storage.save(f"imports/{job}", ContentFile(data))
    cache.set(
        _key(job),
        {"owner": owner_id, "filename": filename, "state": "uploaded"},
        TIMEOUT,
    )
    return job


def get_job(job: str) -> dict | None:
    return cache.get(_key(job))


def update_job(job: str, **changes) -> dict:
    state = get_job(job) or {}
    state.update(changes)
    cache.set(_key(job), state, TIMEOUT)
    return state


def job_bytes(job: str) -> bytes:
    with default_storage.open(f"imports/{job}", "rb") as handle:
        return handle.read()
