"""The bench data generator and the periodic-task command."""

from io import StringIO

from django.core.management import call_command

from habitat.matching import bench
from habitat.matching.models import GroupSearch, Match, SeekerProfile


def test_bench_generator_creates_scorable_rows_and_removes_them(db):
    bench.generate(seekers=40, groups=10)
    call_command("matching_tasks", "recompute", "--now", stdout=StringIO())

    counts = (SeekerProfile.objects.count(), GroupSearch.objects.active().count())
    has_matches = Match.objects.exists()
    bench.remove()

    assert counts == (40, 10)
    assert has_matches
    assert (SeekerProfile.objects.count(), GroupSearch.objects.count()) == (0, 0)


def test_digest_command_runs_in_place_with_now(db):
    output = StringIO()

    call_command("matching_tasks", "daily", "--now", stdout=output)

    assert output.getvalue() == "daily : 0\n"
