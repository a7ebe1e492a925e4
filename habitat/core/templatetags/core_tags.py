from django import template
from django.utils.safestring import mark_safe

from habitat.core.text import render_markdown

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def markdown(text):
    """Markdown from a person, rendered then sanitised by nh3."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised just above
