"""HTML of the agenda's rows and dates, built in Python.

A listing shows twenty rows, each with its dates in the zone of its place:
through includes, `{% timezone %}` blocks and date filters that cost more
than the page's queries. The markup is the same as a template would give,
every text escaped by `format_html`/`escape`.
"""

from datetime import date, datetime
from functools import lru_cache

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .recurrence import Occurrence

PARIS = "Europe/Paris"


def _local(value, zone):
    """A datetime in the event's zone (dates are kept as they are)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value, zone)
    return value


@lru_cache(maxsize=4096)
def _day_label(day: date, fmt: str, language: str) -> str:
    """ "samedi 6 mars 2027": Django's date format (translated names), kept
    per day, format and language since a page shows the same days again."""
    return date_format(day, fmt)


def _format(value, fmt: str) -> str:
    """`date_format(value, fmt)` for the formats of this module, without
    parsing the format string for every date of a page."""
    if fmt == "c":
        return value.isoformat()
    day = value.date() if isinstance(value, datetime) else value
    if fmt == "Y-m-d":
        return day.isoformat()
    if fmt == "H\\hi":
        return f"{value:%H}h{value:%M}"
    if fmt.endswith(", H\\hi"):
        label = _day_label(day, fmt[: -len(", H\\hi")], get_language())
        return f"{label}, {value:%H}h{value:%M}"
    return _day_label(day, fmt, get_language())


def _time(value, machine: str, human: str) -> str:
    return format_html(
        '<time datetime="{}">{}</time>', _format(value, machine), _format(value, human)
    )


def when_html(occurrence: Occurrence) -> SafeString:
    """The dates of an occurrence, in the local time of its place."""
    event = occurrence.event
    zone = event.zone
    start = _local(occurrence.start, zone)
    if occurrence.all_day:
        last_day = occurrence.last_day
        if occurrence.start.date() == last_day:
            return mark_safe(_time(start, "Y-m-d", "l j F Y"))  # noqa: S308
        return format_html(
            "{} {} {} {}",
            _("du"),
            _time(start, "Y-m-d", "j F"),
            _("au"),
            _time(last_day, "Y-m-d", "j F Y"),
        )
    end = _local(occurrence.end, zone)
    html = _time(start, "c", "l j F Y, H\\hi")
    if occurrence.end.date() == occurrence.start.date():
        html += " – " + _format(end, "H\\hi")
    if event.time_zone != PARIS:
        html += format_html(
            ' <span class="zone">({} {})</span>', _("heure locale"), event.time_zone
        )
    return mark_safe(html)  # noqa: S308 - built from escaped parts


def _image(event) -> str:
    credit = ""
    if event.image_credit:
        credit = format_html(
            "\n  <figcaption>{} {}</figcaption>", _("Image :"), event.image_credit
        )
    return format_html(
        '<figure class="event-row-image">\n  <img src="{}" alt="{}" loading="lazy"'
        ' decoding="async">{}\n</figure>',
        event.image.url,
        event.image_alt,
        credit,
    )


def _detail_url(event, prefix: str) -> str:
    """event.get_absolute_url() without a reverse() per row."""
    if event.parent_id:
        return event.get_absolute_url()
    return prefix.replace(SLUG, event.slug)


SLUG = "slug-a-remplacer"


def row_html(
    event, occurrence: Occurrence | None, *, target_blank=False, prefix=None
) -> str:
    """One <li> of an event list: title, state, dates, type and place."""
    classes = "event-row"
    if event.is_cancelled:
        classes += " event-cancelled"
    if event.image:
        classes += " event-row-with-image"
    parts = [f'<li class="{classes}">']
    if event.image:
        parts.append(_image(event))
    title = occurrence.title if occurrence else event.title
    parts.append(
        format_html(
            '<h2 class="event-title"><a href="{}"{}>{}</a></h2>',
            _detail_url(event, prefix) if prefix else event.get_absolute_url(),
            mark_safe(' target="_blank" rel="noopener"') if target_blank else "",
            title,
        )
    )
    cancelled = occurrence.is_cancelled if occurrence else event.is_cancelled
    if cancelled:
        parts.append(
            format_html('<p class="badge badge-cancelled">{}</p>', _("Annulé"))
        )
    elif event.state == "postponed":
        parts.append(format_html('<p class="badge">{}</p>', _("Reporté")))
    if occurrence:
        when = when_html(occurrence)
    else:
        when = _time(_local(event.start, event.zone), "c", "j F Y")
    if event.rrule:
        when += format_html(' · <span class="recurring">{}</span>', _("récurrent"))
    parts.append(f'<p class="event-when">{when}</p>')
    meta = [escape(event.get_kind_display())]
    if event.commune:
        meta.append(
            format_html("{} ({})", event.commune.name, event.commune.department_id)
        )
    if event.online:
        meta.append(escape(_("en ligne")))
    if event.organiser:
        meta.append(escape(event.organiser.name))
    parts.append(f'<p class="event-meta">{" · ".join(meta)}</p>')
    parts.append("</li>")
    return "\n  ".join(parts)


def rows_html(rows, *, target_blank=False) -> SafeString:
    """The rows of a list: {"event", "occurrence"} dicts or occurrences."""
    html = []
    prefix = reverse("agenda:detail", args=[SLUG])
    for row in rows:
        if isinstance(row, dict):
            event, occurrence = row["event"], row["occurrence"]
        else:
            event, occurrence = row.event, row
        html.append(
            row_html(event, occurrence, target_blank=target_blank, prefix=prefix)
        )
    return mark_safe("\n".join(html))  # noqa: S308 - rows escape their text
