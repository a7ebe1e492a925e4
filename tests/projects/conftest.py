"""Factories of the directory's tests, shared by every tests/projects file.

`make_project(**fields)` creates a sheet (published by default) in Lyon
(69123) unless `commune` is given; `editors=[user]` sets its group.
"""

import itertools

import pytest

from habitat.moderation.models import Status
from habitat.projects.models import Project
from habitat.territories.models import Commune

_counter = itertools.count(1)


@pytest.fixture
def make_project(db):
    def make(*, editors=(), commune="69123", **fields):
        n = next(_counter)
        fields.setdefault("name", f"Projet {n}")
        fields.setdefault("slug", f"projet-{n}")
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("contact_email", f"contact-{n}@prive.example")
        fields.setdefault("contact_phone", "06 12 34 56 78")
        if isinstance(commune, str):
            commune = Commune.objects.get(pk=commune)
        project = Project.objects.create(commune=commune, **fields)
        if editors:
            project.editors.add(*editors)
        return project

    return make
