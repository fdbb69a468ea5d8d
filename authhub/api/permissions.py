from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class ApiKeyRequired(BasePermission):
    """The default: an API key. Hosted-page tokens open only the views that opt in below."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "scope_connection_id", None) is None)


class ApiKeyOrHostedToken(BasePermission):
    """An API key, or the hosted-page token of the connection in the URL (any other: 404, as if absent)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        scope = getattr(user, "scope_connection_id", None)
        if scope is not None and scope != view.kwargs.get("ref"):
            raise NotFound(f"Auth connection {view.kwargs.get('ref')!r} was not found.")
        return True
