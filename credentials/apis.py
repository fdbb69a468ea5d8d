from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from authhub.api.pagination import paginate
from authhub.api.serializers import ErrorSerializer, timestamp
from authhub.api.views import ProjectApi
from credentials import services
from credentials.models import Credential
from credentials.serializers import (
    CredentialCreateInput,
    CredentialOutput,
    CredentialUpdateInput,
    TotpCodeOutput,
    credential_to_dict,
)

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class CredentialListCreateApi(ProjectApi):
    @extend_schema(
        operation_id="credentials_list",
        summary="List credentials",
        parameters=[
            OpenApiParameter("domain", str, description="Only credentials for this domain."),
            OpenApiParameter("query", str, description="Case-insensitive substring of name or domain, or an exact id."),
            OpenApiParameter("limit", int, description="Page size, 1-100 (default 20)."),
            OpenApiParameter("offset", int, description="Offset of the first item (see X-Next-Offset)."),
        ],
        responses={200: CredentialOutput(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        queryset = Credential.objects.filter(project=self.project)
        if domain := request.query_params.get("domain", "").strip().lower():
            queryset = queryset.filter(domain=domain)
        if query := request.query_params.get("query", "").strip():
            queryset = queryset.filter(Q(name__icontains=query) | Q(domain__icontains=query) | Q(pk=query))
        return paginate(request, queryset.order_by("created_at", "id"), lambda c: credential_to_dict(c, single=False))

    @extend_schema(
        operation_id="credentials_create",
        summary="Create a credential",
        description="Values are write-only: they are encrypted with the organization's key and never returned.",
        request=CredentialCreateInput,
        responses={200: CredentialOutput, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = CredentialCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        credential = services.credential_create(project=self.project, actor=self.principal.actor, **data.validated_data)
        return Response(credential_to_dict(credential, with_totp_code=bool(data.validated_data.get("totp_secret"))))


class CredentialDetailApi(ProjectApi):
    @extend_schema(operation_id="credentials_retrieve", summary="Get a credential by id or name",
                   responses={200: CredentialOutput, **ERRORS})
    def get(self, request: Request, ref: str) -> Response:
        return Response(credential_to_dict(services.credential_get(project=self.project, ref=ref)))

    @extend_schema(
        operation_id="credentials_update",
        summary="Update a credential",
        description=(
            "`values` are merged into the stored ones (after `remove_value_keys` is applied). "
            "An empty or null `totp_secret` or `sso_provider` removes it."
        ),
        request=CredentialUpdateInput,
        responses={200: CredentialOutput, **ERRORS},
    )
    def patch(self, request: Request, ref: str) -> Response:
        credential = services.credential_get(project=self.project, ref=ref)
        data = CredentialUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        credential, totp_set = services.credential_update(
            credential=credential, actor=self.principal.actor, **data.validated_data
        )
        return Response(credential_to_dict(credential, with_totp_code=totp_set))

    @extend_schema(operation_id="credentials_delete", summary="Delete a credential", responses={204: None, **ERRORS})
    def delete(self, request: Request, ref: str) -> Response:
        credential = services.credential_get(project=self.project, ref=ref)
        services.credential_delete(credential=credential, actor=self.principal.actor)
        return Response(status=204)


class CredentialTotpCodeApi(ProjectApi):
    @extend_schema(operation_id="credentials_totp_code", summary="The current TOTP code of a credential",
                   responses={200: TotpCodeOutput, **ERRORS})
    def get(self, request: Request, ref: str) -> Response:
        credential = services.credential_get(project=self.project, ref=ref)
        code, expires_at = services.credential_totp_code(credential=credential, actor=self.principal.actor)
        return Response({"code": code, "expires_at": timestamp(expires_at)})
