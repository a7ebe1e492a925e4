from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
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
