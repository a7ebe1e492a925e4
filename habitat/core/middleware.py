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


def is_database_down(exception) -> bool:
    """A lost or refused database connection (not SQLite's "locked")."""
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    return not (isinstance(exception, DatabaseError) and "locked" in str(exception))


def unavailable_response(request):
    """The French 503 (JSON under /api/), rendered without the database."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"code": "unavailable", "message": UNAVAILABLE_MESSAGE}},
            status=503,
        )
    else:
        body = render_to_string("503.html", {"message": UNAVAILABLE_MESSAGE})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into a French 503, never a 500.

    Views raising a connection error are answered here; errors raised in
    other middleware (sessions, cache) reach `core.errors.server_error`,
    which answers the same 503. No connection is kept between requests
    (CONN_MAX_AGE 0, health checks on), so the portal recovers by itself
    once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_down(exception):
            return None
        logger.warning("Database unavailable on %s: %s", request.path, exception)
        return unavailable_response(request)


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
