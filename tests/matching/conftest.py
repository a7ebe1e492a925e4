"""Factories of the matching tests.

`make_project(**fields)`: a published project in Lyon (69123) by default.
`make_group(project=None, **fields)`: a GroupSearch (and its project) with
its cached place. `make_seeker(user, communes=("69387",), **fields)`: a
SeekerProfile saved through the service. `recompute()` refreshes every match.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from habitat.matching import engine, services
from habitat.matching.models import GroupSearch, SeekerProfile
from habitat.moderation.models import Status
from habitat.projects.models import Project
from habitat.territories.models import Commune, Department

_counter = itertools.count(1)


@pytest.fixture
def make_project(db):
    def make(*, editors=(), commune="69123", **fields):
        n = next(_counter)
        fields.setdefault("name", f"Groupe {n}")
        fields.setdefault("slug", f"groupe-{n}")
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("seeking_members", True)
        project = Project.objects.create(
            commune=Commune.objects.get(pk=commune), **fields
        )
        project.editors.add(*editors)
        return project

    return make


@pytest.fixture
def make_group(make_project):
    def make(*, project=None, editors=(), commune="69123", **fields):
        if project is None:
            project = make_project(editors=editors, commune=commune)
        fields.setdefault("tenures", ["cooperative"])
        search = GroupSearch(project=project, **fields)
        services.refresh_group_place(search)
        search.save()
        return search

    return make


@pytest.fixture
def make_seeker(db):
    def make(user, *, communes=("69387",), departments=(), **fields):
        fields.setdefault("tenures", ["cooperative"])
        profile = SeekerProfile(user=user, **fields)
        services.save_profile(
            profile=profile,
            communes=list(Commune.objects.filter(pk__in=communes)),
            departments=list(Department.objects.filter(pk__in=departments)),
        )
        return profile

    return make


@pytest.fixture
def recompute(db):
    return engine.recompute_all


@pytest.fixture
def aged(db):
    """aged(user, days): make `user` look `days` old."""

    def make(user, days: int):
        type(user).objects.filter(pk=user.pk).update(
            date_joined=timezone.now() - timedelta(days=days)
        )
        user.refresh_from_db()
        return user

    return make
