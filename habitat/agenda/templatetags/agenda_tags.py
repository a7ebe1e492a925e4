from django import template

from .. import rendering

register = template.Library()


@register.simple_tag
def when(occurrence):
    """`{% when occurrence %}`: its dates in the local time of its place."""
    return rendering.when_html(occurrence)


@register.simple_tag
def event_rows(rows, target_blank=False):
    """`{% event_rows rows %}`: the <li>s of an event list."""
    return rendering.rows_html(rows, target_blank=target_blank)
