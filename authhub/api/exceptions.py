"""Every API error is ``{"code": "...", "message": "..."}`` with the right status, a 500 included."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from authhub.errors import AppError
from authhub.redaction import redact

logger = logging.getLogger("authhub.api")

_CODES = {
    exceptions.ParseError: "invalid_json",
    exceptions.AuthenticationFailed: "unauthorized",
    exceptions.NotAuthenticated: "unauthorized",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ValidationError: "invalid_request",
}


def _flatten(detail: Any, path: str = "") -> list[tuple[str, str, str]]:
    """(field path, message, code) for each message in a DRF error tree."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            sub = key if key == "non_field_errors" or not path else f"{path}.{key}"
            out += _flatten(value, "" if key == "non_field_errors" else sub)
        return out
    if isinstance(detail, list):
        return [item for value in detail for item in _flatten(value, path)]
    return [(path, str(detail), getattr(detail, "code", "invalid"))]


def error_body(code: str, message: str, details: list[dict[str, str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": redact(message)}
    if details:
        body["details"] = details
    return body


def _validation_response(exc: exceptions.ValidationError) -> Response:
    problems = _flatten(exc.detail)
    details = [{"code": code, "message": redact(f"{field}: {msg}" if field else msg)} for field, msg, code in problems]
    message = "; ".join(d["message"] for d in details) or "Invalid request."
    # A single problem with its own code (e.g. unknown_field) names the error; otherwise the generic one.
    codes = {code for _, _, code in problems}
    code = codes.pop() if len(codes) == 1 and next(iter(codes)) not in ("invalid", "required", "null", "blank") else "invalid_request"
    return Response(error_body(code, message, details), status=400)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, AppError):
        return Response(error_body(exc.code, exc.message), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(exc)
    if isinstance(exc, exceptions.APIException):
        # DRF's own exceptions get our names; our subclasses carry theirs (e.g. project_not_found).
        code = _CODES.get(type(exc), type(exc).default_code)
        response = Response(error_body(str(code), str(exc.detail)), status=exc.status_code)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response
    view = context.get("view")
    logger.exception("Unhandled error in %s", type(view).__name__ if view else "API")
    return Response(error_body("internal_error", "Internal server error."), status=500)
