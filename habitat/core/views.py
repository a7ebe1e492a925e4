import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "core/home.html")


def about(request):
    return render(request, "core/about.html")


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Health check failed: %s", exc)
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def api_docs(request):
    """A plain page listing the open-data routes; the schema is machine-readable."""
    from django.urls import get_resolver

    routes = sorted(
        {
            "/api/v1/" + str(pattern.pattern).replace("^", "").replace("$", "")
            for pattern in get_resolver("habitat.api.urls").url_patterns
            for pattern in getattr(pattern, "url_patterns", [pattern])
        }
    )
    return render(request, "core/api_docs.html", {"routes": routes})
