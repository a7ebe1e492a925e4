from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_link(context, name, value):
    """Query string with facet `name` set to `value` (removed if empty), page 1."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if value in (None, ""):
        query.pop(name, None)
    else:
        query[name] = value
    return query.urlencode()


@register.simple_tag
def project_cards(projects):
    """`{% project_cards page_obj %}`: the result cards (projects.rendering)."""
    from habitat.projects.rendering import cards_html

    return cards_html(projects)
