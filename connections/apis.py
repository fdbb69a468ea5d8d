from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from authhub.api.pagination import paginate
from authhub.api.serializers import ErrorSerializer
from authhub.api.views import ProjectApi
from connections import services
from connections.models import Profile, Proxy, name_key
from connections.serializers import (
    ProfileCreateInput,
    ProfileOutput,
    ProfileRenameInput,
    ProxyCheckInput,
    ProxyCreateInput,
    ProxyOutput,
    RenameInput,
    profile_to_dict,
    proxy_to_dict,
)

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}
PAGE = [
    OpenApiParameter("limit", int, description="Page size, 1-100 (default 20)."),
    OpenApiParameter("offset", int, description="Offset of the first item (see X-Next-Offset)."),
]


class ProxyListCreateApi(ProjectApi):
    @extend_schema(
        operation_id="proxies_list",
        summary="List proxies",
        parameters=[
            OpenApiParameter("name", str, description="Exact name, case- and accent-insensitive."),
            OpenApiParameter("query", str, description="Substring of name, host or IP, or an exact id."),
            *PAGE,
        ],
        responses={200: ProxyOutput(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        queryset = Proxy.objects.alive().filter(project=self.project)
        if name := request.query_params.get("name", "").strip():
            queryset = queryset.filter(name_key=name_key(name))
        if query := request.query_params.get("query", "").strip():
            match = Q(name__icontains=query) | Q(config__host__icontains=query) | Q(pk=query)
            if _ip(query):
                match |= Q(ip_address=query)
            queryset = queryset.filter(match)
        return paginate(request, queryset.order_by("created_at", "id"), proxy_to_dict)

    @extend_schema(
        operation_id="proxies_create",
        summary="Create a proxy",
        description=(
            "Type `custom` routes traffic through your proxy (host, port, username, password, ca_bundle). "
            "`datacenter`, `isp`, `residential` and `mobile` need a pool: they are accepted only when the operator "
            "maps the type to an upstream proxy in AUTHHUB_PROXY_UPSTREAMS, otherwise 400 proxy_type_unavailable. "
            "The password and CA bundle are encrypted and never returned."
        ),
        request=ProxyCreateInput,
        responses={200: ProxyOutput, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = ProxyCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(proxy_to_dict(services.proxy_create(project=self.project, **data.validated_data)))


def _ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class ProxyDetailApi(ProjectApi):
    @extend_schema(operation_id="proxies_retrieve", summary="Get a proxy by id or name",
                   responses={200: ProxyOutput, **ERRORS})
    def get(self, request: Request, ref: str) -> Response:
        return Response(proxy_to_dict(services.proxy_get(project=self.project, ref=ref)))

    @extend_schema(operation_id="proxies_update", summary="Rename a proxy", request=RenameInput,
                   responses={200: ProxyOutput, **ERRORS})
    def patch(self, request: Request, ref: str) -> Response:
        proxy = services.proxy_get(project=self.project, ref=ref)
        data = RenameInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(proxy_to_dict(services.proxy_rename(proxy=proxy, name=data.validated_data["name"])))

    @extend_schema(operation_id="proxies_delete", summary="Delete a proxy", responses={204: None, **ERRORS})
    def delete(self, request: Request, ref: str) -> Response:
        services.proxy_delete(proxy=services.proxy_get(project=self.project, ref=ref))
        return Response(status=204)


class ProxyCheckApi(ProjectApi):
    @extend_schema(
        operation_id="proxies_check",
        summary="Check a proxy",
        description=(
            "Fetches `url` (default: the operator's check URL) through the proxy. Without `url` the result "
            "becomes the proxy's stored status; with one, it is only reported."
        ),
        request=ProxyCheckInput,
        responses={200: ProxyOutput, **ERRORS},
    )
    def post(self, request: Request, ref: str) -> Response:
        proxy = services.proxy_get(project=self.project, ref=ref)
        data = ProxyCheckInput(data=request.data or {})
        data.is_valid(raise_exception=True)
        proxy, _ = services.proxy_check(proxy=proxy, url=data.validated_data.get("url"))
        return Response(proxy_to_dict(proxy))


class ProfileListCreateApi(ProjectApi):
    @extend_schema(
        operation_id="profiles_list",
        summary="List browser profiles",
        parameters=[
            OpenApiParameter("name", str, description="Exact name."),
            OpenApiParameter("query", str, description="Substring of name or id."),
            *PAGE,
        ],
        responses={200: ProfileOutput(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        queryset = Profile.objects.filter(project=self.project)
        if name := request.query_params.get("name", "").strip():
            queryset = queryset.filter(name=name)
        if query := request.query_params.get("query", "").strip():
            queryset = queryset.filter(Q(name__icontains=query) | Q(pk__icontains=query))
        return paginate(request, queryset.order_by("created_at", "id"), profile_to_dict)

    @extend_schema(operation_id="profiles_create", summary="Create a browser profile", request=ProfileCreateInput,
                   responses={200: ProfileOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        data = ProfileCreateInput(data=request.data or {})
        data.is_valid(raise_exception=True)
        return Response(profile_to_dict(services.profile_create(project=self.project, **data.validated_data)))


class ProfileDetailApi(ProjectApi):
    @extend_schema(operation_id="profiles_retrieve", summary="Get a profile by id or name",
                   responses={200: ProfileOutput, **ERRORS})
    def get(self, request: Request, ref: str) -> Response:
        return Response(profile_to_dict(services.profile_get(project=self.project, ref=ref)))

    @extend_schema(operation_id="profiles_update", summary="Rename a profile", request=ProfileRenameInput,
                   responses={200: ProfileOutput, **ERRORS})
    def patch(self, request: Request, ref: str) -> Response:
        profile = services.profile_get(project=self.project, ref=ref)
        data = ProfileRenameInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(profile_to_dict(services.profile_rename(profile=profile, name=data.validated_data["name"])))

    @extend_schema(operation_id="profiles_delete", summary="Delete a profile", responses={204: None, **ERRORS})
    def delete(self, request: Request, ref: str) -> Response:
        services.profile_delete(profile=services.profile_get(project=self.project, ref=ref))
        return Response(status=204)
