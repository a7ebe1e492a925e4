"""Data for `make bench`: many seekers and groups, bulk-created in seconds.

    from habitat.matching.bench import generate
    generate(seekers=20_000, groups=5_000)   # then engine.recompute_all()

Rows are marked is_demo and their e-mails end with @bench.invalid, so
`remove()` (or the demo remover) deletes them.
"""

import random

from django.db import transaction

from habitat.accounts.models import User
from habitat.moderation.models import Status
from habitat.projects.models import Project
from habitat.territories.models import Commune

from . import scoring
from .choices import Skill, Tenure, Timeline, Value
from .models import GroupSearch, SeekerProfile

BATCH = 2000
DOMAIN = "bench.invalid"


def _sample(rng, values, high):
    return rng.sample(values, rng.randint(1, high))


@transaction.atomic
def generate(*, seekers: int = 20_000, groups: int = 5_000, seed: int = 7) -> None:
    rng = random.Random(seed)
    communes = list(
        Commune.objects.filter(latitude__isnull=False, population__gte=2000)
        .values_list("insee", "department_id", "latitude", "longitude")
        .order_by("insee")
    )

    users = User.objects.bulk_create(
        [
            User(email=f"seeker-{n}@{DOMAIN}", email_verified=True, is_demo=True)
            for n in range(seekers + groups)
        ],
        batch_size=BATCH,
    )
    projects = Project.objects.bulk_create(
        [
            Project(
                name=f"Groupe banc d'essai {n}",
                slug=f"banc-essai-{n}",
                commune_id=insee,
                department_id=department,
                map_latitude=lat,
                map_longitude=lng,
                status=Status.PUBLISHED,
                seeking_members=True,
                is_demo=True,
            )
            for n, (insee, department, lat, lng) in enumerate(
                rng.choice(communes) for _ in range(groups)
            )
        ],
        batch_size=BATCH,
    )
    editors = Project.editors.through
    editors.objects.bulk_create(
        [
            editors(project_id=project.pk, user_id=users[seekers + n].pk)
            for n, project in enumerate(projects)
        ],
        batch_size=BATCH,
    )
    place = {insee: (lat, lng) for insee, _d, lat, lng in communes}
    GroupSearch.objects.bulk_create(
        [
            GroupSearch(
                project_id=project.pk,
                latitude=place[project.commune_id][0],
                longitude=place[project.commune_id][1],
                department_code=project.department_id,
                price_min=rng.choice([None, 150_000, 220_000]),
                rent_min=rng.choice([None, 500, 650]),
                tenures=_sample(rng, Tenure.values, 2),
                timeline=rng.choice(Timeline.values),
                values=_sample(rng, Value.values, 3),
                skills_sought=_sample(rng, Skill.values, 2),
                wants_children=rng.random() < 0.3,
                is_demo=True,
            )
            for project in projects
        ],
        batch_size=BATCH,
    )

    profiles, homes = [], []
    for user in users[:seekers]:
        insee, department, lat, lng = rng.choice(communes)
        radius = rng.choice([10, 20, 30, 50])
        min_lat, max_lat, min_lng, max_lng = scoring.bounding_box(lat, lng, radius)
        findable = rng.random() < 0.5
        homes.append(insee)
        profiles.append(
            SeekerProfile(
                user_id=user.pk,
                findable=findable,
                pseudonym=f"Pseudo {user.pk}" if findable else "",
                radius_km=radius,
                zone_points=[[lat, lng]],
                min_latitude=min_lat,
                max_latitude=max_lat,
                min_longitude=min_lng,
                max_longitude=max_lng,
                budget_purchase=rng.choice([None, 180_000, 260_000]),
                budget_rent=rng.choice([None, 600, 800]),
                tenures=_sample(rng, Tenure.values, 2),
                timeline=rng.choice(Timeline.values),
                values=_sample(rng, Value.values, 3),
                skills=_sample(rng, Skill.values, 2),
                children=rng.choice([0, 0, 1, 2]),
                is_demo=True,
            )
        )
    SeekerProfile.objects.bulk_create(profiles, batch_size=BATCH)
    # The commune link is what the profile form shows; the zone above is the cache.
    through = SeekerProfile.communes.through
    through.objects.bulk_create(
        [
            through(seekerprofile_id=profile.pk, commune_id=insee)
            for profile, insee in zip(profiles, homes, strict=True)
        ],
        batch_size=BATCH,
    )


def remove() -> None:
    Project.objects.filter(slug__startswith="banc-essai-", is_demo=True).delete()
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
