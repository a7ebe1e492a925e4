"""Staff upload page: file, preview and mapping, dry run, import, report."""

import logging

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from habitat.accounts.rules import is_national_team
from habitat.core.exceptions import HabitatError

from .forms import ImportForm, mapping_choices
from .jobs import create_job, get_job, job_bytes, update_job
from .run import ACTION_LABELS, import_projects, preview
from .tasks import run_import

logger = logging.getLogger(__name__)

# Files larger than this are imported by the task worker, with a progress page.
INLINE_LIMIT = 256 * 1024


def can_import(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or is_national_team(user)))


def _guard(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_import(request.user):
        raise PermissionDenied
    return None


def _options(source) -> dict:
    options = {}
    for name in ("format", "encoding", "delimiter"):
        value = source.get(name) or ""
        if name != "delimiter":
            value = value.strip()
        if value:
            options[name] = value
    return options


def import_upload(request):
    """/projets/import/: upload → preview and mapping → dry run or import."""
    refused = _guard(request)
    if refused:
        return refused
    if request.method == "POST" and request.POST.get("job"):
        return _run(request)

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        options = _options(form.cleaned_data)
        try:
            shown = preview(data, filename=upload.name, **options)
        except HabitatError as error:
            form.add_error(
                error.field if error.field in form.fields else "file", error.message
            )
        else:
            job = create_job(data=data, filename=upload.name, owner_id=request.user.pk)
            return render(
                request,
                "projects/import_preview.html",
                {
                    "job": job,
                    "filename": upload.name,
                    "preview": shown,
                    "options": options,
                    "columns": [
                        (index, header, shown["mapping"].get(header, ""))
                        for index, header in enumerate(shown["headers"])
                    ],
                    "choices": mapping_choices(),
                },
            )
    return render(request, "projects/import.html", {"form": form})


def _own_job(request, job: str) -> dict:
    state = get_job(job)
    if state is None or (
        state.get("owner") != request.user.pk and not request.user.is_staff
    ):
        raise Http404
    return state


def _run(request):
    job = request.POST["job"]
    state = _own_job(request, job)
    data = job_bytes(job)
    options = _options(request.POST)
    options["filename"] = state.get("filename", "")
    headers = request.POST.getlist("header")
    mapping = {
        header: request.POST.get(f"map_{index}", "")
        for index, header in enumerate(headers)
    }
    options["mapping"] = mapping
    options["dry_run"] = request.POST.get("action") != "import"

    if len(data) > INLINE_LIMIT:
        update_job(job, state="queued", progress=[0, 1], dry_run=options["dry_run"])
        run_import.enqueue(job, options, request.user.pk)
        return redirect("projects:import_status", job=job)

    try:
        report = import_projects(data, actor=request.user, **options)
    except HabitatError as error:
        update_job(job, state="failed", error=error.message)
        return render(
            request, "projects/import.html", {"form": ImportForm(), "error": error}
        )
    update_job(job, state="done", report=report.as_dict())
    return redirect("projects:import_status", job=job)


def import_status(request, job: str):
    """Progress of an import (JSON with ?format=json), then its report."""
    refused = _guard(request)
    if refused:
        return refused
    state = _own_job(request, job)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": state.get("state"),
                "progress": state.get("progress", [0, 1]),
                "error": state.get("error", ""),
            }
        )
    report = state.get("report")
    return render(
        request,
        "projects/import_report.html",
        {
            "job": job,
            "state": state,
            "report": report,
            "labels": ACTION_LABELS,
            "status_url": reverse("projects:import_status", kwargs={"job": job})
            + "?format=json",
            "title": _("Rapport d'import"),
        },
    )
