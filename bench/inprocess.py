"""Figures the issues name that are not HTTP: measured by calling the apps.

Run by bench.run in a process pointed at a bench database. Every measure
looks up the app function it needs and says "skipped: not yet built" when it
is missing, so the bench runs while features land.
"""

import argparse
import importlib
import json
import os
import statistics
import sys
import time


def lookup(*specs):
    """First existing "module:function" among specs, else None."""
    for spec in specs:
        module_name, _, name = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, name, None)
        if function is not None:
            return function, spec
    return None, None


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


SEARCH_MIX = [
    "habitat",
    "habitats",
    "coopérative",
    "ecolieu",
    "coeur",
    "l'oasis",
    "jardins lyon",
    "paille",
    "intergénérationnel",
    "bretagne",
    "zzzz introuvable",
]


def measure_search(quick):
    search_in, spec = lookup("habitat.core.search:search")
    search = None
    if search_in is not None:
        from django.apps import apps

        Project = apps.get_model("projects", "Project")
        count = Project.objects.count()

        def search(query):
            return search_in(Project.objects.all(), query).values_list("pk", flat=True)

        spec = f"{spec} over {count} indexed projects"
    goal_common = {"max_ms": 50}
    if search is None:
        return [
            {
                "key": "search_p99_common_word",
                "goal": goal_common,
                "skipped": "search function not yet built",
            }
        ]

    def run(query):
        result = search(query)
        if hasattr(result, "__iter__") and not isinstance(result, (str, bytes)):
            list(result[:20]) if hasattr(result, "__getitem__") else list(result)

    repeat = 20 if quick else 100
    common = timed(lambda: run("habitat"), repeat)
    mix = []
    for _ in range(2 if quick else 6):
        for query in SEARCH_MIX:
            mix.extend(timed(lambda q=query: run(q), 1))
    p99 = percentile(common, 0.99) * 1000
    p50 = statistics.median(mix) * 1000
    return [
        {
            "key": "search_p99_common_word",
            "value": round(p99, 2),
            "unit": "ms",
            "via": spec,
            "goal": goal_common,
            "pass": p99 <= 50,
        },
        {
            "key": "search_p50_mix",
            "value": round(p50, 2),
            "unit": "ms",
            "via": spec,
            "goal": {"max_ms": 15},
            "pass": p50 <= 15,
        },
    ]


def measure_feed(quick):
    """Agenda (agp): the real build path of the whole-agenda ICS feed, query
    and stored VEVENT fragments included, per event of the feed's window.
    The generator renders the fragments after its bulk load
    (habitat.agenda.ics:rebuild_fragments); events without one would be
    rendered on the fly, which is what a missing fragment costs."""
    build_feed, spec = lookup("habitat.agenda.feeds:build_agenda_feed")
    goal = {"max_us": 25}
    if build_feed is None:
        return [
            {
                "key": "feed_build_per_event",
                "goal": goal,
                "skipped": "feed builder not yet built",
            }
        ]
    from habitat.agenda import queries

    filters = queries.Filters()
    events = queries.feed_events(filters).count()
    rendered = queries.feed_events(filters).exclude(ics_fragment="").count()
    samples = timed(lambda: build_feed(filters), 3)
    per_event = min(samples) / max(1, events) * 1e6
    return [
        {
            "key": "feed_build_per_event",
            "value": round(per_event, 2),
            "unit": "µs",
            "via": f"{spec} ({events} events, {rendered} with a stored fragment)",
            "goal": goal,
            "pass": per_event <= 25,
        }
    ]


def measure_matches(quick):
    """Median render of a person's matches page, through the test client."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    goal = {"max_ms": 200}
    url = None
    for name in ("matching:my_matches", "matching:matches"):
        try:
            url = reverse(name)
            break
        except NoReverseMatch:
            continue
    if url is None:
        return [
            {
                "key": "matches_page_median",
                "goal": goal,
                "skipped": "matches page not yet built",
            }
        ]
    from django.apps import apps

    try:
        Seeker = apps.get_model("matching", "SeekerProfile")
    except LookupError:
        return [{"key": "matches_page_median", "goal": goal, "skipped": "no seekers"}]
    # The person with the most matches: the page's worst case (the bench
    # data gives realistic zones, so most people have some).
    from django.db.models import Count

    busiest = (
        Seeker.objects.annotate(n_matches=Count("matches"))
        .order_by("-n_matches", "pk")
        .values_list("pk", "n_matches")
        .first()
    )
    if busiest is None:
        return [{"key": "matches_page_median", "goal": goal, "skipped": "no seekers"}]
    seeker = Seeker.objects.select_related("user").get(pk=busiest[0])
    client = Client()
    client.force_login(seeker.user)
    first = client.get(url)
    if first.status_code != 200:
        return [
            {
                "key": "matches_page_median",
                "goal": goal,
                "skipped": f"{url} answered {first.status_code}",
            }
        ]
    samples = timed(lambda: client.get(url), 10 if quick else 30)
    median = statistics.median(samples) * 1000
    return [
        {
            "key": "matches_page_median",
            "value": round(median, 1),
            "unit": "ms",
            "via": f"{url} ({busiest[1]} matches)",
            "goal": goal,
            "pass": median <= 200,
        }
    ]


def measure_recompute(quick):
    recompute, spec = lookup("habitat.matching.engine:recompute_all")
    goal = {"max_s": 120}
    if recompute is None:
        return [
            {
                "key": "matching_full_recompute",
                "goal": goal,
                "skipped": "recomputation not yet built",
            }
        ]
    started = time.perf_counter()
    recompute()
    elapsed = time.perf_counter() - started
    return [
        {
            "key": "matching_full_recompute",
            "value": round(elapsed, 2),
            "unit": "s",
            "via": spec,
            "goal": goal,
            "pass": elapsed <= 120,
        }
    ]


def measure_map_rebuild(quick):
    rebuild, spec = lookup("habitat.projects.map:rebuild_map_data")
    goal = {"max_ms": 25}
    if rebuild is None:
        return [
            {
                "key": "map_rebuild_after_change",
                "goal": goal,
                "skipped": "map data builder not yet built",
            }
        ]
    from habitat.projects import map as project_map

    rebuild()

    def after_change():
        project_map.invalidate()  # what a saved project's signal does
        project_map.compact_bytes()

    samples = timed(after_change, 5 if quick else 15)
    median = statistics.median(samples) * 1000
    return [
        {
            "key": "map_rebuild_after_change",
            "value": round(median, 1),
            "unit": "ms",
            "via": spec,
            "goal": goal,
            "pass": median <= 25,
        }
    ]


# The recomputation comes before the matches page: it writes the Match rows
# the page reads (bench.generate leaves them to it).
def measure_map_render(quick):
    """First clustered render of 5,000 markers in Chromium (bench/map_browser.py)."""
    from bench.map_browser import measure_map_first_render

    return measure_map_first_render(quick)


MEASURES = [
    measure_search,
    measure_feed,
    measure_recompute,
    measure_matches,
    measure_map_rebuild,
    measure_map_render,
]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", help="comma-separated measure names")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habitat.settings")
    import django

    django.setup()
    measures = []
    wanted = set(args.only.split(",")) if args.only else None
    for measure in MEASURES:
        if wanted and measure.__name__.removeprefix("measure_") not in wanted:
            continue
        try:
            measures.extend(measure(args.quick))
        except Exception as exc:  # report, never stop the bench
            measures.append(
                {
                    "key": measure.__name__.removeprefix("measure_"),
                    "skipped": f"error: {type(exc).__name__}: {exc}"[:200],
                }
            )
    with open(args.out, "w") as handle:
        json.dump({"measures": measures}, handle, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
