"""One JSON shape for every API error: {"error": {"code", "message", "fields"}}."""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from habitat.core.exceptions import HabitatError


def _flatten(detail):
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, HabitatError):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(
            {"error": {"code": exc.code, "message": exc.message, "fields": fields}},
            status=status.HTTP_400_BAD_REQUEST,
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = {}
    if isinstance(detail, dict) and "detail" in detail and len(detail) == 1:
        message = str(detail["detail"])
    elif isinstance(detail, dict):
        fields = _flatten(detail)
        message = _("Certaines valeurs sont invalides.")
    else:
        message = " ".join(_flatten(detail))
    code = getattr(exc, "default_code", "error")
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response
