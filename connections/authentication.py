"""Authentication for the hosted login page's bearer token (see ``connections.tokens``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions

from authhub.api.authentication import Principal
from connections import tokens
from connections.models import LoginFlow


def principal_for_token(token: str) -> Principal:
    claims = tokens.verify(token)
    if claims is None:
        raise exceptions.AuthenticationFailed("This sign-in session has expired. Ask for a new link.")
    flow = LoginFlow.objects.select_related("connection__project__organization").filter(
        pk=claims.flow_id, connection_id=claims.connection_id
    ).first()
    if flow is None:
        raise exceptions.AuthenticationFailed("This sign-in session has ended.")
    if flow.finished_at and (timezone.now() - flow.finished_at).total_seconds() > tokens.READ_GRACE_SECONDS:
        raise exceptions.AuthenticationFailed("This sign-in session has ended.")
    project = flow.connection.project
    return Principal(
        organization=project.organization, project=project, label=f"hosted:{flow.pk}",
        scope_connection_id=claims.connection_id,
    )


def hosted_principal(token: str, connection_id: str) -> Principal:
    """A hosted-page token's principal, for that one connection (another connection: not found)."""
    principal = principal_for_token(token)
    if principal.scope_connection_id != connection_id:
        raise exceptions.NotFound(f"Auth connection {connection_id!r} was not found.")
    return principal


class HostedTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[Principal, None] | None:
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not tokens.looks_like_token(token):
            return None
        return principal_for_token(token), None

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="authhub"'
