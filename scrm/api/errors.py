"""One error shape for every error the API returns.

    {"code": "invalid", "detail": "Invalid input.", "errors": {"field": ["message", ...]}}

`code` is machine-readable and stable, `detail` is for people, `errors` (present for input
errors) maps each offending field — nested fields dotted, list items indexed, e.g.
`mentions.3.published_at` — to its messages. Services raise the errors of `scrm.errors`; the
handler below gives each its status and turns those and every DRF and Django exception into
this shape.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

from scrm.errors import ApplicationError, Conflict, Forbidden, NotFound

logger = logging.getLogger(__name__)


def status_for(exc: ApplicationError) -> int:
    """The HTTP status of a domain error, by its kind."""
    if isinstance(exc, NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(exc, Forbidden):
        return status.HTTP_403_FORBIDDEN
    if isinstance(exc, Conflict):
        return status.HTTP_409_CONFLICT
    return status.HTTP_400_BAD_REQUEST


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "The request body is too large."


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error structure into {"dotted.field": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else "non_field_errors"
            dotted = f"{prefix}.{name}" if prefix else str(name)
            for field, messages in flatten_errors(value, dotted).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            flat.setdefault(prefix or "non_field_errors", []).extend(str(i) for i in detail)
        else:
            for index, item in enumerate(detail):
                if item in ({}, []):
                    continue
                dotted = f"{prefix}.{index}" if prefix else str(index)
                for field, messages in flatten_errors(item, dotted).items():
                    flat.setdefault(field, []).extend(messages)
    else:
        flat.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return flat


def error_body(code: str, detail: str, errors: dict | None = None) -> dict:
    body = {"code": code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


_STATUS_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
}


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error becomes the one JSON shape."""
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.detail, exc.errors), status=status_for(exc))
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(
            error_body("invalid", "Invalid input.", flatten_errors(detail)),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's 500 handler answers with the JSON shape too

    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", "Invalid input.", flatten_errors(exc.detail))
        return response
    code = next((c for cls, c in _STATUS_CODES.items() if isinstance(exc, cls)), None)
    if code is None:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    response.data = error_body(code, str(detail))
    return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


@csrf_exempt  # it changes nothing; a POST to an unknown API URL is a 404, not a CSRF 403
def json_not_found(request, exception=None):
    """404 for URLs no view matched: JSON under /api/, Django's page elsewhere (the admin)."""
    if _is_api(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def json_server_error(request, *args, **kwargs):
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", "An unexpected error occurred; it has been logged."),
            status=500,
        )
    return defaults.server_error(request)
