"""Kernel-style offset pagination: a bare JSON array, with ``X-Has-More`` and ``X-Next-Offset``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from authhub.errors import AppError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _int_param(request: Request, name: str, default: int, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AppError(f"{name} must be a whole number", code="invalid_request") from None
    if value < minimum:
        raise AppError(f"{name} must be at least {minimum}", code="invalid_request")
    return value


def paginate(
    request: Request,
    queryset: QuerySet[Any],
    serialize: Callable[[Any], dict[str, Any]] | None = None,
    *,
    serialize_page: Callable[[list[Any]], list[dict[str, Any]]] | None = None,
) -> Response:
    """One page of ``queryset``. ``serialize_page`` turns the whole page at once (to batch its queries)."""
    # Larger limits are clamped to MAX_LIMIT (documented), as most offset APIs do.
    limit = min(_int_param(request, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = _int_param(request, "offset", 0, 0)
    rows = list(queryset[offset : offset + limit + 1])
    has_more = len(rows) > limit
    page = rows[:limit]
    response = Response(serialize_page(page) if serialize_page else [serialize(row) for row in page])  # type: ignore[misc]
    response["X-Has-More"] = "true" if has_more else "false"
    response["X-Next-Offset"] = str(offset + limit) if has_more else "0"
    return response
