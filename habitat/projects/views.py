import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from habitat.agenda.queries import upcoming_for_project
from habitat.core.exceptions import HabitatError
from habitat.core.pagecache import anonymous_cache
from habitat.moderation import services as moderation_services
from habitat.moderation.models import Status

from . import cache as project_cache
from . import relay, services
from .exports import csv_bytes
from .filters import SORT_LABELS, ProjectFilter, facet_counts, known_params
from .forms import ContactForm, MergeForm, ProjectForm, ReportForm
from .models import (
    EcologicalFeature,
    LegalStructure,
    Project,
    SharedSpace,
    Tenure,
)
from .rendering import CARD, ListedProject

logger = logging.getLogger(__name__)

CONFIRM_SALT = "projects.confirm_current"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 90


def list_queryset():
    return Project.objects.published()


@anonymous_cache
def project_list(request):
    """The directory: search, facets with live counts, sort, 20 per page.

    Facet counts are the same for everyone (published sheets): they and their
    links are rendered once per filter combination and cache generation, so a
    request costs the list query and its 20 rows. Anonymous visitors get the
    whole page from core.pagecache.
    """
    filters = known_params(request.GET)
    facets_html, total = project_cache.cached(
        f"facets:{get_language()}", filters.urlencode(), lambda: _facets(filters)
    )
    filterset = ProjectFilter(request.GET, queryset=list_queryset())
    page_obj = paginate_counted(request, filterset.qs.values_list(*CARD), total)
    return render(
        request,
        "projects/project_list.html",
        {
            "facets_html": facets_html,
            "page_obj": page_obj,
            "cards": [ListedProject(row) for row in page_obj],
            "total": page_obj.paginator.count,
            "sorts": SORT_LABELS.items(),
            "current_sort": request.GET.get("sort", "name"),
            "q": request.GET.get("q", ""),
        },
    )


def _facets(filters) -> tuple[str, int | None]:
    facets, total = facet_counts(filters, Project.objects.published())
    html = render_to_string("projects/_list_facets.html", {"facets": facets.values()})
    return html, total


def paginate_counted(request, queryset, total: int | None):
    """core.pagination.paginate, reusing a count already made by the facets."""
    paginator = Paginator(queryset, 20)
    if total is not None:
        paginator.__dict__["count"] = total  # cached_property: skip COUNT(*)
    try:
        return paginator.page(request.GET.get("page", "1"))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("Page introuvable") from exc


def _visible_project(request, slug) -> Project:
    project = get_object_or_404(
        Project.objects.select_related(
            "commune", "department", "landlord_partner", "support_professional"
        ),
        slug=slug,
    )
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    return project


def project_detail(request, slug):
    project = get_object_or_404(
        Project.objects.select_related(
            "commune",
            "department",
            "department__region",
            "landlord_partner",
            "support_professional",
            "merged_into",
        ),
        slug=slug,
    )
    if project.status == Status.WITHDRAWN and project.merged_into_id:
        return redirect(project.merged_into, permanent=True)
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    return render_detail(request, project)


def _labels(values, choices) -> list[str]:
    names = dict(choices)
    return [str(names.get(value, value)) for value in values or []]


def render_detail(request, project, *, contact_form=None, report_form=None, status=200):
    can_change = request.user.has_perm("projects.change_project", project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "legal_labels": _labels(project.legal_structures, LegalStructure.choices),
            "tenure_labels": _labels(project.tenure_mix, Tenure.choices),
            "space_labels": _labels(project.shared_spaces, SharedSpace.choices),
            "ecology_labels": _labels(
                project.ecological_features, EcologicalFeature.choices
            ),
            "upcoming_events": upcoming_for_project(project, limit=5),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "photos": project.photos.all(),
            "contact_form": contact_form or ContactForm(),
            "report_form": report_form or ReportForm(),
            "can_change": can_change,
            "can_merge": request.user.has_perm("projects.merge_project", project),
            "merge_form": MergeForm(),
        },
        status=status,
    )


@require_POST
def project_contact(request, slug):
    """The relay: the message goes to the group, the visitor's address in Reply-To."""
    project = _visible_project(request, slug)
    if project.status != Status.PUBLISHED:
        raise Http404
    form = ContactForm(request.POST)
    if not form.is_valid():
        return render_detail(request, project, contact_form=form, status=400)
    if form.cleaned_data["nickname"]:
        logger.info("Relay honeypot filled for project %s", project.pk)
        messages.success(request, _("Votre message a été transmis au groupe."))
        return redirect(project)
    try:
        relay.send_message(
            project=project,
            sender_name=form.cleaned_data["name"],
            sender_email=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
            ip=request.META.get("REMOTE_ADDR", ""),
            user=request.user,
        )
    except HabitatError as error:
        form.add_error(error.field, error.message)
        return render_detail(request, project, contact_form=form, status=429)
    messages.success(request, _("Votre message a été transmis au groupe."))
    return redirect(project)


@login_required
@require_POST
def project_report(request, slug):
    project = _visible_project(request, slug)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            moderation_services.report(
                obj=project, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except HabitatError as error:
            form.add_error("reason", error.message)
    if form.errors:
        return render_detail(request, project, report_form=form, status=400)
    messages.success(request, _("Merci : la modération du territoire est prévenue."))
    return redirect(project)


@login_required
def project_propose(request):
    """A new sheet; likely duplicates are shown before it is created."""
    duplicates = []
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicates = services.likely_duplicates(
            name=form.cleaned_data["name"], commune=form.cleaned_data["commune"]
        )
        if duplicates and not request.POST.get("not_duplicate"):
            messages.warning(
                request,
                _("Des fiches semblables existent déjà : vérifiez avant de créer."),
            )
        else:
            try:
                project = services.propose_project(
                    author=request.user, data=form.service_data()
                )
            except HabitatError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Merci ! La fiche sera publiée après relecture par la modération."
                    ),
                )
                return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "duplicates": duplicates, "creating": True},
    )


@login_required
def project_edit(request, slug):
    """Editors save directly; other verified people suggest a change."""
    project = _visible_project(request, slug)
    direct = services.can_edit_directly(request.user, project)
    if not direct and project.status != Status.PUBLISHED:
        raise Http404
    if not direct and not request.user.email_verified:
        raise PermissionDenied

    form = ProjectForm(
        request.POST or None,
        instance=Project.objects.get(pk=project.pk),
        include_private=direct,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if direct:
                services.update_project(
                    project=project,
                    data=form.service_data(),
                    editor=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )
                messages.success(request, _("Fiche enregistrée."))
            else:
                services.suggest_change(
                    project=project, data=form.service_data(), author=request.user
                )
                messages.success(
                    request,
                    _("Merci : votre proposition est transmise à la modération."),
                )
            return redirect(project)
        except services.StaleVersionError as error:
            conflict = error
            form.add_error(None, error.message)
            data = form.data.copy()
            data["version"] = error.current.version
            form.data = data
        except HabitatError as error:
            form.add_error(error.field, error.message)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project, "direct": direct, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
def project_history(request, slug):
    project = _visible_project(request, slug)
    if not request.user.has_perm("projects.change_project", project):
        raise PermissionDenied
    records = list(
        project.history.select_related("history_user", "commune").order_by(
            "-history_id"
        )[:51]
    )
    entries = []
    for record, previous in zip(records, records[1:] + [None], strict=False):
        changes = services.diff(previous, record) if previous else []
        entries.append({"record": record, "changes": changes, "first": not previous})
    return render(
        request,
        "projects/project_history.html",
        {"project": project, "entries": entries[:50]},
    )


@login_required
@require_POST
def project_revert(request, slug, history_id):
    project = _visible_project(request, slug)
    if not request.user.has_perm("projects.change_project", project):
        raise PermissionDenied
    try:
        services.revert_project(
            project=project, history_id=history_id, actor=request.user
        )
    except HabitatError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La version choisie est rétablie."))
    return redirect("projects:history", slug=project.slug)


@login_required
@require_POST
def project_merge(request, slug):
    source = _visible_project(request, slug)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez l'adresse de la fiche à conserver."))
        return redirect(source)
    target = Project.objects.filter(slug=form.cleaned_data["target"]).first()
    if target is None:
        messages.error(request, _("Fiche à conserver introuvable."))
        return redirect(source)
    try:
        services.merge_projects(source=source, target=target, actor=request.user)
    except HabitatError as error:
        if error.code == "permission_denied":
            raise PermissionDenied from error
        messages.error(request, error.message)
        return redirect(source)
    messages.success(request, _("Fiches fusionnées."))
    return redirect(target)


def confirmation_token(project) -> str:
    return signing.dumps({"p": project.pk, "v": project.version}, salt=CONFIRM_SALT)


def project_confirm(request, slug, token):
    """One click from the yearly e-mail: the sheet is still current."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return render(request, "projects/confirm.html", {"ok": False}, status=400)
    project = get_object_or_404(Project, pk=data.get("p"), slug=slug)
    services.confirm_current(project=project, actor=request.user)
    return render(request, "projects/confirm.html", {"ok": True, "project": project})


def export_csv(request):
    """Published sheets, public fields only, with the list's filters."""
    filterset = ProjectFilter(
        request.GET,
        queryset=Project.objects.published().select_related(
            "commune", "department", "department__region"
        ),
    )
    excel = request.GET.get("excel") == "1"
    body = project_cache.cached(
        "csv", request.GET.urlencode(), lambda: csv_bytes(filterset.qs, excel=excel)
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="projets.csv"'
    return response
