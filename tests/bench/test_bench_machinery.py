"""The bench's own machinery: table, verdicts, baseline comparison, generator.

Fast: no server, no wrk; the generator runs at its "tiny" scale in the test
database.
"""

import random

import pytest

from bench import generate, run
from habitat.core import search


def http_row(key, rps, **extra):
    return {
        "key": key,
        "db": "postgres",
        "rps": rps,
        "p50_ms": 2.0,
        "p99_ms": 8.0,
        "bytes_raw": 20480,
        "bytes_gzip": 4000,
        "gzip_negotiated": True,
        **extra,
    }


def results_with(rows, inprocess=()):
    return {"mode": "full", "http": rows, "inprocess": list(inprocess)}


# ------------------------------------------------------------------ verdicts
def test_judge_applies_each_goal_against_the_floor_of_the_same_run():
    row = http_row("list", 100.0, goal={"min_ratio": 0.10, "max_p99_ms": 10})
    assert run.judge(row, {}, floor_rps=900.0) is True
    assert run.judge(row, {}, floor_rps=1100.0) is False  # 9% of F_dj
    slow = http_row("list", 100.0, p99_ms=12.0, goal={"max_p99_ms": 10})
    assert run.judge(slow, {}, floor_rps=900.0) is False
    big = http_row("gz", 100.0, bytes_gzip=70 * 1024, goal={"max_gzip_kb": 60})
    assert run.judge(big, {}, floor_rps=900.0) is False


def test_judge_relative_goal_and_errors():
    other = http_row("small", 50.0, p50_ms=10.0)
    row = http_row(
        "big",
        20.0,
        p50_ms=19.0,
        goal={"max_slowdown": 2.0, "relative_to": "small"},
    )
    assert run.judge(row, {"small": other}, floor_rps=900.0) is True
    row["p50_ms"] = 21.0
    assert run.judge(row, {"small": other}, floor_rps=900.0) is False
    failing = http_row("e", 500.0, errors=3, goal={"min_ratio": 0.1})
    assert run.judge(failing, {}, floor_rps=900.0) is False
    assert run.judge(http_row("no goal", 5.0), {}, floor_rps=900.0) is None


# ------------------------------------------------------------------ baseline
def test_a_ratio_more_than_15_percent_worse_is_flagged():
    baseline = results_with(
        [
            http_row("a", 500.0, ratio_F_dj=0.50),
            http_row("b", 500.0, ratio_F_dj=0.50),
            http_row("c", 500.0, ratio_F_dj=0.50),
        ]
    )
    now = results_with(
        [
            http_row("a", 400.0, ratio_F_dj=0.40),  # -20%: flagged
            http_row("b", 450.0, ratio_F_dj=0.45),  # -10%: within noise
            http_row("c", 900.0, ratio_F_dj=0.90),  # better
            http_row("new", 10.0, ratio_F_dj=0.01),  # not in the baseline
        ]
    )
    assert run.compare(now, baseline) == 1
    rows = {row["key"]: row for row in now["http"]}
    assert rows["a"]["regression"] == "-20% vs baseline"
    assert "regression" not in rows["b"] and "regression" not in rows["c"]
    assert "change_vs_baseline" not in rows["new"]


def test_in_process_figures_are_flagged_when_they_grow():
    baseline = results_with(
        [],
        [
            {"key": "recompute", "db": "sqlite", "value": 10.0, "unit": "s"},
            {"key": "page", "db": "sqlite", "value": 100.0, "unit": "ms"},
        ],
    )
    now = results_with(
        [],
        [
            {"key": "recompute", "db": "sqlite", "value": 12.0, "unit": "s"},
            {"key": "page", "db": "sqlite", "value": 110.0, "unit": "ms"},
            {"key": "page", "db": "postgres", "value": 900.0, "unit": "ms"},
        ],
    )
    assert run.compare(now, baseline) == 1
    assert now["inprocess"][0]["regression"] == "+20% vs baseline"


def test_the_table_shows_every_column_verdicts_and_regressions():
    rows = [
        http_row("F_dj", 900.0, ratio_F_dj=1.0, ratio_nginx=0.1),
        http_row(
            "list",
            50.0,
            ratio_F_dj=0.056,
            ratio_nginx=0.006,
            goal={"min_ratio": 0.1},
            regression="-30% vs baseline",
        ),
        {"key": "later", "db": "postgres", "skipped": "route not yet built"},
    ]
    rows[1]["pass"] = False
    text = run.table(
        results_with(
            rows,
            [
                {
                    "key": "search",
                    "db": "sqlite",
                    "value": 4.2,
                    "unit": "ms",
                    "goal": {"max_ms": 15},
                    "pass": True,
                }
            ],
        )
    )
    lines = text.splitlines()
    assert lines[0].startswith("| endpoint | db | req/s (32) | p50 ms | p99 ms")
    assert (
        "×F_dj" in lines[0] and "×nginx" in lines[0] and "| goal | result |" in lines[0]
    )
    assert all(line.count("|") == 12 for line in lines[:5])
    list_line = next(line for line in lines if line.startswith("| list "))
    assert "≥10% F_dj" in list_line
    assert "FAIL ⚠ regression -30% vs baseline" in list_line
    assert "route not yet built" in text
    assert "| search | sqlite | 4.2 ms | ≤15ms | pass |" in text


def test_data_fingerprint_follows_the_generator_not_the_endpoints():
    base, data = run.keys()
    assert len(base) == len(data) == 16
    assert "bench/generate.py" in run.DATA_INPUTS
    assert not any("endpoints" in pattern for pattern in run.DATA_INPUTS)
    assert run.fingerprint(run.DATA_INPUTS, extra="x") != data


# ------------------------------------------------------------------ generator
def test_fast_terms_equal_the_index_terms():
    from bench import text

    rng = random.Random(4)
    for _ in range(50):
        sample = "\n".join(
            [
                text.project_name(rng, "Saint-Étienne"),
                text.paragraph(rng, rng.randint(1, 6)),
                text.phrase(rng, 4),
            ]
        )
        assert generate.fast_terms(sample) == search.terms(sample)
    from habitat.core.text import fold

    sample = text.paragraph(rng, 5) + " L’Œuvre-Commune : « d’accord ! »"
    assert generate.fast_fold(sample) == fold(sample)


@pytest.mark.django_db
def test_tiny_generation_makes_the_planned_rows_and_a_consistent_index():
    from django.contrib.contenttypes.models import ContentType

    from habitat.ads.models import Ad
    from habitat.agenda.models import Event
    from habitat.core.models import SearchTerm
    from habitat.matching.models import GroupSearch, SeekerProfile
    from habitat.projects.models import Project
    from habitat.projects.services import refresh_map_points

    report = generate.generate("tiny")
    planned = generate.counts("tiny")
    assert Project.objects.count() == planned["projects"]
    assert Event.objects.count() == planned["events"]
    assert SeekerProfile.objects.count() == planned["seekers"]
    assert Ad.objects.count() == planned["ads"] + planned["land_offers"]
    assert (
        Ad.objects.filter(category="land", kind="offer").count()
        == (planned["land_offers"])
    )
    # Group searches for the published projects seeking members, placed.
    seeking = Project.objects.filter(seeking_members=True, status="published")
    assert GroupSearch.objects.count() == seeking.count() > 0
    assert not GroupSearch.objects.filter(latitude__isnull=True).exists()
    # Seekers have a zone (the matching needs it); some are findable.
    assert not SeekerProfile.objects.filter(min_latitude__isnull=True).exists()
    assert SeekerProfile.objects.filter(findable=True).exclude(pseudonym="").exists()
    assert report["projects"]["rows"] == planned["projects"]
    # Events carry the VEVENT text feeds read.
    assert not Event.objects.filter(parent=None, ics_fragment="").exists()
    # The terms written while generating are those a reindex writes.
    content_type = ContentType.objects.get_for_model(Project)
    written = set(
        SearchTerm.objects.filter(content_type=content_type).values_list(
            "object_id", "term"
        )
    )
    search.reindex(Project)
    assert written == set(
        SearchTerm.objects.filter(content_type=content_type).values_list(
            "object_id", "term"
        )
    )
    # Stored map points are those save() would have computed.
    assert Project.objects.filter(map_latitude__isnull=False).exists()
    assert refresh_map_points() == 0
    # Primary keys were assigned by the generator: sequences follow.
    project = Project.objects.first()
    project.pk = None
    project.slug = "after-the-bench"
    project.save()
    assert project.pk > max(
        Project.objects.exclude(pk=project.pk).values_list("pk", flat=True)
    )


def test_gzip_must_be_on_the_wire_not_only_in_the_probe():
    probe = {"gzip_negotiated": True, "bytes_raw": 20480, "bytes_gzip": 4300}
    assert run.gzip_on_wire(probe, 4300 + 350) is True
    assert run.gzip_on_wire(probe, 20480 + 350) is False
    assert run.gzip_on_wire({**probe, "gzip_negotiated": False}, 20830) is None
    tiny = {"gzip_negotiated": True, "bytes_raw": 900, "bytes_gzip": 500}
    assert run.gzip_on_wire(tiny, 1200) is None
    row = http_row("page", 100.0, gzip_on_wire=False)
    assert "(gzip not on the wire)" in run.table(results_with([row]))


def test_sigterm_stops_the_bench_and_every_process_it_started(tmp_path):
    """No deadlock in the handler, no orphan: the child's pid is gone too."""
    import os
    import signal
    import subprocess
    import sys
    import time

    pid_file = tmp_path / "child.pid"
    script = (
        "import sys; from bench import run; run.install_handlers(); "
        "run.run_tracked([sys.executable, '-c', "
        f"\"import os, time; open('{pid_file}', 'w').write(str(os.getpid())); "
        'time.sleep(60)"])'
    )
    bench = subprocess.Popen([sys.executable, "-c", script], cwd=run.ROOT)
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()):
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.05)
    child = int(pid_file.read_text())
    bench.send_signal(signal.SIGTERM)
    assert bench.wait(timeout=20) == 128 + signal.SIGTERM
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
