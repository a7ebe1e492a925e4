"""The yearly "is your sheet current?" link.

Mail scanners and link previews open the links of an e-mail (GET), so the
link only shows a page with a button; the sheet is confirmed by its POST.
The signed token is enough: no login is needed.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import services


@require_http_methods(["GET", "POST"])
def confirm_project(request, slug, token):
    project = services.project_for_confirmation(token=token)
    if project is None:
        return render(
            request, "projects/confirm.html", {"state": "invalid"}, status=400
        )
    if project.slug != slug:
        raise Http404

    if request.method == "POST":
        services.confirm_current(project=project, actor=request.user)
        state = "confirmed"
    else:
        state = "ask"
    return render(
        request, "projects/confirm.html", {"state": state, "project": project}
    )
