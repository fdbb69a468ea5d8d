"""API authentication: ``Authorization: Bearer <api key>`` and the project the request acts on."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from authhub.models import ApiKey, Organization, Project, hash_api_key


@dataclass
class Principal:
    """Who is calling (``request.user``) and on which project."""

    organization: Organization
    project: Project
    api_key: ApiKey | None = None
    label: str = ""
    # Set for hosted-page tokens: the one connection they may read and answer.
    scope_connection_id: str | None = None

    is_authenticated = True
    is_anonymous = False

    @property
    def actor(self) -> str:
        return f"api_key:{self.api_key.id}" if self.api_key else self.label


class ProjectNotFound(exceptions.NotFound):
    default_code = "project_not_found"


def resolve_project(api_key: ApiKey, project_id: str | None, project_name: str | None) -> Project:
    """The project named by the SDK's headers, checked against what the key may open.

    Never falls back to another project when the header names one that is unknown.
    """
    candidates = Project.objects.select_related("organization").filter(organization_id=api_key.organization_id)
    if api_key.project_id:
        candidates = candidates.filter(pk=api_key.project_id)
    if project_id:
        candidates = candidates.filter(pk=project_id)
    if project_name:
        candidates = candidates.filter(name=project_name)
    if not project_id and not project_name and not api_key.project_id:
        candidates = candidates.filter(is_default=True)
    project = candidates.first()
    if project is None:
        if project_id or project_name:
            named = project_id or project_name
            raise ProjectNotFound(f"Project {named!r} was not found or this API key cannot use it.")
        raise exceptions.ParseError(
            "This organization has no default project: name one with the X-Kernel-Project-Id header."
        )
    return project


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Principal, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <api key>'.")
        api_key = (
            ApiKey.objects.select_related("organization", "project").filter(key_hash=hash_api_key(token)).first()
        )
        if api_key is None or not api_key.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        project = resolve_project(
            api_key,
            request.META.get("HTTP_X_KERNEL_PROJECT_ID", "").strip() or None,
            request.META.get("HTTP_X_KERNEL_PROJECT", "").strip() or None,
        )
        api_key.touch()
        return Principal(organization=api_key.organization, project=project, api_key=api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="authhub"'
