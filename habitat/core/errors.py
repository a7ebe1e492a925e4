"""Error pages: JSON under /api/, French HTML elsewhere."""

import sys

from django.http import HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from .context_processors import site_urls

MESSAGES = {
    400: ("bad_request", _("Requête incorrecte.")),
    403: ("forbidden", _("Vous n'avez pas les droits nécessaires pour cette action.")),
    404: ("not_found", _("Ressource introuvable.")),
    500: ("server_error", _("Erreur interne du serveur.")),
}


def _api_error(status):
    code, message = MESSAGES[status]
    return JsonResponse(
        {"error": {"code": code, "message": str(message), "fields": {}}}, status=status
    )


def bad_request(request, exception):
    if request.path.startswith("/api/"):
        return _api_error(400)
    # As Django's handler (no request context: the request may be the
    # problem), with the links of the page's header and footer.
    body = loader.get_template("400.html").render({"site_urls": site_urls()})
    return HttpResponseBadRequest(body)


def permission_denied(request, exception):
    if request.path.startswith("/api/"):
        return _api_error(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return _api_error(404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    from .middleware import is_database_down, unavailable_response

    if is_database_down(sys.exc_info()[1]):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return _api_error(500)
    return defaults.server_error(request)
