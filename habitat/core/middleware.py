import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "Le service est momentanément indisponible : la base de données ne répond "
    "pas. Réessayez dans quelques minutes, rien de ce qui était enregistré "
    "n'est perdu."
)


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into a French 503, never a 500.

    Django reconnects on the next request (CONN_HEALTH_CHECKS), so the portal
    recovers by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if isinstance(exception, DatabaseError) and "locked" in str(exception):
            return None
        logger.warning("Database unavailable on %s: %s", request.path, exception)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"error": {"code": "unavailable", "message": UNAVAILABLE_MESSAGE}},
                status=503,
            )
        else:
            body = render_to_string(
                "503.html", {"message": UNAVAILABLE_MESSAGE}, request=None
            )
            response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response


class StaffPreviewFramingMiddleware:
    """Let Wagtail's preview panel frame pages of the back office.

    The site denies framing everywhere (X_FRAME_OPTIONS = "DENY"); embed routes
    opt out with their own decorators, and the staff back office needs
    same-origin frames for page previews.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/cms/"):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
