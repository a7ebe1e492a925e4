from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from habitat.core.exceptions import HabitatError
from habitat.core.pagination import paginate

from . import registry, services
from .models import ModerationLog, Report, Status


def _scope(queryset, codes, field="department_id"):
    if codes is None:
        return queryset
    return queryset.filter(**{f"{field}__in": codes})


@login_required
def queue(request):
    """Pending content and open reports in the moderator's territory."""
    if not request.user.has_perm("moderation.view_queue"):
        raise PermissionDenied
    codes = request.user.moderated_department_codes

    sections = []
    for entry in registry.registered():
        pending = _scope(
            entry.model.objects.filter(status=Status.PENDING), codes
        ).select_related("department", *entry.select_related)[:50]
        items = [
            {"obj": obj, "diff": entry.diff(obj) if entry.diff else None}
            for obj in pending
        ]
        sections.append(
            {
                "label": entry.label,
                "model": entry.model._meta.label_lower,
                "items": items,
            }
        )

    reports = (
        _scope(Report.objects.filter(resolved_at=None), codes, "department_code")
        .select_related("content_type", "reporter")
        .prefetch_related("content_object")
    )
    return render(
        request,
        "moderation/queue.html",
        {"sections": sections, "reports_page": paginate(request, reports, per_page=30)},
    )


@login_required
def journal(request):
    codes = request.user.moderated_department_codes
    if codes is not None and not codes:
        raise PermissionDenied
    entries = _scope(
        ModerationLog.objects.all(), codes, "department_code"
    ).select_related("actor", "content_type")
    return render(
        request,
        "moderation/journal.html",
        {"page_obj": paginate(request, entries, per_page=50)},
    )


@login_required
@require_POST
def decide(request, model, pk):
    entry = registry.get(model)
    if entry is None:
        raise Http404
    obj = entry.model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    if not request.user.has_perm("moderation.decide", obj):
        raise PermissionDenied

    try:
        services.decide(
            obj=obj,
            decision=request.POST.get("decision", ""),
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except HabitatError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Décision enregistrée : « %(object)s ».") % {"object": obj}
        )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        return redirect(next_url)
    return redirect("moderation:queue")
