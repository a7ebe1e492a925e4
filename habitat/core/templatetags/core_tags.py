import html

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


@register.simple_tag
def field_widget(bound_field):
    """Render a field's widget with its help text and errors wired by ARIA."""
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    attrs = {}
    if bound_field.errors:
        described_by.insert(0, f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def select_options(choices, current):
    """The <option>s of a filter's <select>, the current value selected.

    Built in Python (with the standard library's escape, as Django's):
    a 100-option list through template tags costs more than the rest of a
    listing page.
    """
    current = "" if current is None else str(current)
    return mark_safe(  # noqa: S308 - every value and label is escaped here
        "".join(
            f'<option value="{html.escape(str(value))}"'
            f"{' selected' if str(value) == current else ''}>"
            f"{html.escape(str(label))}</option>"
            for value, label in choices
        )
    )
