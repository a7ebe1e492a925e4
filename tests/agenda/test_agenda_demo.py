import pytest

from habitat.accounts import demo as accounts_demo
from habitat.agenda import demo
from habitat.agenda.models import Event
from habitat.core.demo import DemoContext
from habitat.moderation.models import Status

pytestmark = pytest.mark.django_db


def test_demo_builds_events_in_every_region_then_removes_them():
    context = DemoContext()
    accounts_demo.build(context)

    demo.build(context)

    events = Event.objects.series()
    regions = set(events.values_list("department__region_id", flat=True))
    assert events.count() == 18 * demo.EVENTS_PER_REGION + 1
    assert len(regions) == 18
    assert set(events.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert events.exclude(rrule="").count() == 18 * 3
    assert events.filter(state="cancelled").count() == 18 * 2
    demo.remove()
    assert Event.objects.count() == 0
