"""The sheet's photos page: editors add, caption, reorder and remove photos.

Writes go through `services` (history, audit trail, clean_image). People
who may see the sheet but not edit it get 403; others 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from habitat.core.exceptions import HabitatError

from . import services
from .forms import PhotoDetailsForm, PhotoUploadForm
from .models import Photo, Project


def _editable_project(request, slug) -> Project:
    project = get_object_or_404(Project.objects.select_related("commune"), slug=slug)
    if not request.user.has_perm("projects.change_project", project):
        if request.user.has_perm("projects.view_project", project):
            raise PermissionDenied
        raise Http404
    return project


def _photo_of(project, photo_id) -> Photo:
    return get_object_or_404(
        Photo.objects.select_related("project"), pk=photo_id, project=project
    )


def _details_form(photo, data=None):
    initial = {
        "caption": photo.caption,
        "credit": photo.credit,
        "licence": photo.licence,
    }
    return PhotoDetailsForm(data, initial=initial, prefix=f"photo-{photo.pk}")


def _render(request, project, *, upload_form=None, edited=None, status=200):
    photos = list(project.photos.order_by("position", "id"))
    rows = [
        {
            "photo": photo,
            "form": edited
            if edited and edited.prefix == f"photo-{photo.pk}"
            else _details_form(photo),
            "first": index == 0,
            "last": index == len(photos) - 1,
        }
        for index, photo in enumerate(photos)
    ]
    return render(
        request,
        "projects/photos.html",
        {
            "project": project,
            "rows": rows,
            "upload_form": upload_form or PhotoUploadForm(),
            "max_photos": services.MAX_PHOTOS,
        },
        status=status,
    )


@login_required
def photo_list(request, slug):
    """The photos of a sheet, each with its form, and the upload form."""
    project = _editable_project(request, slug)
    if request.method != "POST":
        return _render(request, project)

    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                project=project,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
                licence=form.cleaned_data["licence"],
                actor=request.user,
            )
        except HabitatError as error:
            form.add_error(error.field, error.message)
    if form.errors:
        return _render(request, project, upload_form=form, status=400)
    messages.success(request, _("Photo ajoutée."))
    return redirect("projects:photos", slug=project.slug)


@login_required
@require_POST
def photo_edit(request, slug, photo_id):
    project = _editable_project(request, slug)
    photo = _photo_of(project, photo_id)
    form = _details_form(photo, request.POST)
    if form.is_valid():
        try:
            services.update_photo(photo=photo, actor=request.user, **form.cleaned_data)
        except HabitatError as error:
            form.add_error(error.field, error.message)
    if form.errors:
        return _render(request, project, edited=form, status=400)
    messages.success(request, _("Photo enregistrée."))
    return redirect("projects:photos", slug=project.slug)


@login_required
@require_POST
def photo_move(request, slug, photo_id):
    project = _editable_project(request, slug)
    photo = _photo_of(project, photo_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.move_photo(photo=photo, step=step, actor=request.user)
    messages.success(request, _("Ordre des photos enregistré."))
    return redirect("projects:photos", slug=project.slug)


@login_required
@require_POST
def photo_delete(request, slug, photo_id):
    project = _editable_project(request, slug)
    photo = _photo_of(project, photo_id)
    services.remove_photo(photo=photo, actor=request.user)
    messages.success(request, _("Photo retirée de la fiche."))
    return redirect("projects:photos", slug=project.slug)
