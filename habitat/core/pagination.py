from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window
from django.http import Http404
from django.utils.translation import gettext as _


def paginate(request, object_list, *, per_page: int = 20, orphans: int = 0):
    """Page of `object_list` named by ?page=; out of range or malformed is 404."""
    paginator = Paginator(object_list, per_page, orphans=orphans)
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(raw)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404(_("Page introuvable")) from exc


def paginate_ids(request, queryset, *, per_page: int = 20):
    """(page, ids) of an ordered queryset: the ids of the page named by
    ?page= and the total, in a single query (a window count), where
    `paginate` would count then select. Out of range or malformed is 404.
    """
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError as exc:
        raise Http404(_("Page introuvable")) from exc
    if number < 1:
        raise Http404(_("Page introuvable"))
    offset = (number - 1) * per_page
    rows = list(
        queryset.annotate(listing_total=Window(Count("id"))).values_list(
            "id", "listing_total"
        )[offset : offset + per_page]
    )
    if not rows and number > 1:
        raise Http404(_("Page introuvable"))
    paginator = Paginator(queryset, per_page)
    paginator.__dict__["count"] = rows[0][1] if rows else 0  # cached_property
    return paginator.page(number), [pk for pk, _total in rows]
