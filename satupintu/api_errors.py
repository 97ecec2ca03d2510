"""One error body for every API endpoint (REST_FRAMEWORK's EXCEPTION_HANDLER).

Whatever refused the request (a serializer, a service's Django ``ValidationError`` or
``PermissionDenied``, a missing object, authentication, throttling), the client gets::

    {"code": "validation_error",
     "detail": "Penerima harus pendamping aktif ...",
     "errors": [{"field": "receiver", "code": "invalid", "message": "Penerima harus ..."}]}

``code`` is stable and meant for programs (``validation_error``, ``permission_denied``,
``not_found``, ``not_authenticated``, ``authentication_failed``, ``throttled``,
``method_not_allowed``, ``parse_error``, ``unsupported_media_type``, ``conflict``,
``precondition_failed``, ...); ``detail`` is one Indonesian sentence for people; ``errors``
lists each message with the field it belongs to (``null`` when it belongs to none; nested fields
are dotted, ``items.0.name``) and its own code. Only validation errors fill ``errors``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from accounts import throttle
from satupintu.forms import error_texts

VALIDATION = "validation_error"
NON_FIELD = {NON_FIELD_ERRORS, api_settings.NON_FIELD_ERRORS_KEY}


def validation_error_from_django(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError, keeping each message's field and code."""
    if hasattr(error, "error_dict"):
        detail: Any = {
            field: [
                exceptions.ErrorDetail(message, code=item.code or "invalid")
                for item in items
                for message in error_texts(item)
            ]
            for field, items in error.error_dict.items()
        }
    else:
        detail = [
            exceptions.ErrorDetail(message, code=item.code or "invalid")
            for item in error.error_list
            for message in error_texts(item)
        ]
    return exceptions.ValidationError(detail)


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = None if key in NON_FIELD else str(key)
            out += _flatten(value, f"{field}.{name}" if field and name else (name or field))
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            # A list of nested objects (one per item) names the item; a list of messages not.
            nested = isinstance(value, dict | list)
            out += _flatten(value, f"{field}.{index}" if nested and field else field)
        return out
    return [
        {"field": field, "code": getattr(detail, "code", None) or "invalid", "message": str(detail)}
    ]


def error_body(code: str, detail: str, errors: list[dict[str, Any]] | None = None) -> dict:
    return {"code": code, "detail": detail, "errors": errors or []}


def conflict_body(code: str, facts: dict[str, Any]) -> dict:
    """A refused stale edit (409/412): the error body and what changed since."""
    return {**error_body(code, facts["detail"]), **facts}


def exception_handler(exc: Exception, context: dict) -> Any:
    if isinstance(exc, exceptions.Throttled):
        # DRF sets Retry-After; the message says the wait in Indonesian.
        exc.detail = exceptions.ErrorDetail(throttle.message(int(exc.wait or 60)), code="throttled")
    if isinstance(exc, DjangoValidationError):
        exc = validation_error_from_django(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = errors[0] if errors else None
        summary = first["message"] if first else "Data tidak valid."
        response.data = error_body(VALIDATION, summary, errors)
        return response
    detail = exc.detail
    if isinstance(detail, dict | list):
        # An endpoint that raised with a structure keeps it as the errors, with one summary.
        errors = _flatten(detail)
        response.data = error_body(
            exc.default_code, errors[0]["message"] if errors else str(exc.default_detail), errors
        )
        return response
    response.data = error_body(getattr(detail, "code", None) or exc.default_code, str(detail))
    return response


ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every error response (4xx): one shape for every endpoint.",
    "required": ["code", "detail", "errors"],
    "properties": {
        "code": {
            "type": "string",
            "description": "Kode tetap untuk program: validation_error, permission_denied, "
            "not_found, not_authenticated, authentication_failed, throttled, "
            "method_not_allowed, parse_error, unsupported_media_type, conflict, "
            "precondition_failed, ...",
        },
        "detail": {"type": "string", "description": "Satu kalimat untuk manusia (Indonesia)"},
        "errors": {
            "type": "array",
            "description": "Tiap pesan validasi dengan bidangnya (kosong untuk galat lain)",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
ERROR_RESPONSES = {
    "400": "Data tidak valid (code: validation_error, parse_error)",
    "401": "Belum masuk atau token tidak berlaku",
    "403": "Peran atau cakupan Anda tidak mengizinkan",
    "404": "Tidak ditemukan dalam cakupan Anda",
    "429": "Terlalu banyak permintaan",
}


def schema_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: every operation documents the one error body."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                existing = responses.get(status)
                if existing is None:
                    responses[status] = {"description": description, "content": ref}
                else:
                    existing["content"] = ref
    return result
