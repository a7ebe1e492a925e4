"""Rows, dates and filters of the agenda lists, built in Python
(agenda.rendering, core_tags.select_options, forms.filter_bar)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.http import QueryDict

from habitat.agenda import queries, rendering
from habitat.agenda.forms import filter_bar
from habitat.agenda.recurrence import Occurrence
from habitat.core.templatetags.core_tags import select_options


def test_options_escape_and_select_the_current_value():
    html = select_options([("", "Tous"), ("a&b", 'Lyon "<b>"'), ("84", "ARA")], "84")

    assert '<option value="a&amp;b">Lyon &quot;&lt;b&gt;&quot;</option>' in html
    assert '<option value="84" selected>ARA</option>' in html
    assert html.count("selected") == 1


def test_filter_bar_keeps_what_was_asked(db):
    bar = filter_bar(QueryDict("q=atelier&type=open-day&du=2026-12-01&en_ligne=1"))

    assert bar["q"] == "atelier"
    assert bar["du"] == "2026-12-01"
    assert bar["en_ligne"] is True
    kinds = next(select for select in bar["selects"] if select["name"] == "type")
    assert '<option value="open-day" selected>' in kinds["options"]


def test_row_escapes_text_and_links_to_the_event(make_event):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    event = make_event(
        title='<script>alert("x")</script>', start=start, end=start + timedelta(hours=2)
    )
    listed = queries.listed_events([event.pk])

    html = rendering.rows_html(queries.next_occurrences(listed, datetime.now(UTC)))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert f'href="{event.get_absolute_url()}"' in html


def test_an_override_row_links_to_its_series(make_event):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    series = make_event(
        title="Série",
        rrule="FREQ=WEEKLY;COUNT=3",
        start=start,
        end=start + timedelta(hours=1),
    )
    moved = make_event(
        title="Déplacée",
        parent=series,
        recurrence_id=start,
        start=start + timedelta(hours=3),
        end=start + timedelta(hours=4),
    )

    html = rendering.rows_html([{"event": moved, "occurrence": None}])

    assert f'href="{series.get_absolute_url()}"' in html


def test_dates_in_the_zone_of_the_place(make_event):
    start = datetime(2027, 3, 6, 14, 0, tzinfo=UTC)  # 10:00 in Guadeloupe
    event = make_event(
        time_zone="America/Guadeloupe", start=start, end=start + timedelta(hours=2)
    )

    html = rendering.when_html(Occurrence(event, event.local_start, event.local_end))

    assert "samedi 6 mars 2027, 10h00</time> – 12h00" in html
    assert 'datetime="2027-03-06T10:00:00-04:00"' in html
    assert "America/Guadeloupe" in html


def test_all_day_dates_over_several_days(make_event):
    event = make_event(
        all_day=True,
        start_date=date(2027, 5, 1),
        end_date=date(2027, 5, 2),
        start=datetime(2027, 4, 30, 22, 0, tzinfo=UTC),
        end=datetime(2027, 5, 2, 22, 0, tzinfo=UTC),
        time_zone="Europe/Paris",
    )
    occurrence = Occurrence(event, event.local_start, event.local_end)

    html = rendering.when_html(occurrence)

    assert '<time datetime="2027-05-01">' in html
    assert '<time datetime="2027-05-02">' in html


def test_a_geography_load_drops_the_cached_filter_lists(
    db, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from habitat.territories.models import Commune
    from habitat.territories.signals import geography_loaded

    queries.geography()
    assert cache.get("agenda:geography") is not None
    cache.set("projects:choices:region", [("84", "ARA")])

    with django_capture_on_commit_callbacks(execute=True):
        geography_loaded.send(sender=Commune)

    assert cache.get("agenda:geography") is None
    assert cache.get("projects:choices:region") is None


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Guadeloupe"])
def test_fast_date_formats_equal_djangos(language, zone):
    """rendering._format gives what Django's date format gives, across a
    change of summer time, in both languages."""
    from zoneinfo import ZoneInfo

    from django.utils import translation
    from django.utils.dateformat import format as django_format

    base = datetime(2027, 3, 27, 22, 30, tzinfo=ZoneInfo(zone))
    formats = ("c", "Y-m-d", "H\\hi", "l j F Y, H\\hi", "j F Y", "l j F Y", "j F")
    with translation.override(language):
        for hours in range(0, 400, 7):
            moment = (base + timedelta(hours=hours)).astimezone(ZoneInfo(zone))
            for fmt in formats:
                assert rendering._format(moment, fmt) == django_format(moment, fmt)
            for fmt in ("Y-m-d", "j F Y", "l j F Y", "j F"):
                day = moment.date()
                assert rendering._format(day, fmt) == django_format(day, fmt)
