import time

from habitat.accounts import demo as accounts_demo
from habitat.core import search
from habitat.core.demo import DemoContext
from habitat.moderation.models import Status
from habitat.projects import demo
from habitat.projects.models import Project
from habitat.territories.models import Region


def test_demo_fills_every_region_quickly_and_is_removable(db):
    context = DemoContext()
    accounts_demo.build(context)

    started = time.monotonic()
    demo.build(context)
    elapsed = time.monotonic() - started

    published = Project.objects.filter(status=Status.PUBLISHED, is_demo=True)
    regions = set(published.values_list("department__region_id", flat=True))
    assert elapsed < 60
    assert published.count() >= 300
    assert regions == set(Region.objects.values_list("code", flat=True))
    assert Project.objects.filter(status=Status.PENDING, is_demo=True).count() == 4
    assert search.search(published, "lucioles").exists()
    assert published.first().history.count() == 1

    demo.remove()
    assert Project.objects.count() == 0
