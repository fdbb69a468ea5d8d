from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from authhub.api.pagination import paginate
from authhub.api.permissions import ApiKeyOrHostedToken
from authhub.api.serializers import ErrorSerializer, timestamp
from authhub.api.views import ProjectApi
from authhub.models import Project
from connections import flows, managed_auth, services
from connections.models import AuthConnection, LearnedPlan, LoginFlow, Profile, Proxy, name_key
from connections.serializers import (
    ConnectionCreateInput,
    ConnectionUpdateInput,
    ExchangeInput,
    LoginInput,
    LoginOutput,
    ManagedAuthOutput,
    ProfileCreateInput,
    ProfileOutput,
    ProfileRenameInput,
    ProxyCheckInput,
    ProxyCreateInput,
    ProxyOutput,
    RenameInput,
    SubmitInput,
    connection_to_dict,
    profile_to_dict,
    proxy_to_dict,
)
from connections.services import learned_plan_get

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}
SUBMIT_ACCEPTED = inline_serializer("SubmitAccepted", {"accepted": drf_serializers.BooleanField()})
HOSTED_TOKEN = inline_serializer("HostedTokenResponse", {"jwt": drf_serializers.CharField()})
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
            "Type `custom` routes traffic through your proxy (host, port, username, password; ca_bundle is refused). "
            "`datacenter`, `isp`, `residential` and `mobile` need a pool: they are accepted only when the operator "
            "maps the type to an upstream proxy in AUTHHUB_PROXY_UPSTREAMS, otherwise 400 proxy_type_unavailable. "
            "The password is encrypted and never returned."
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


# --- auth connections ---------------------------------------------------------------------------------


def present_by_id(project: Project, ref: str) -> dict:
    # The flow is read before the connection: a flow's end and its connection's new status commit
    # together, so this order never shows a SUCCESS flow beside a stale NEEDS_AUTH status.
    flow = LoginFlow.objects.filter(connection_id=ref, connection__project=project).order_by("-created_at", "-id").first()
    connection = managed_auth.connection_get(project=project, ref=ref)
    plan = learned_plan_get(project=project, domain=connection.domain)
    return connection_to_dict(connection, flow, plan)


def present(connection: AuthConnection) -> dict:
    return present_by_id(connection.project, connection.pk)


def present_page(connections: list[AuthConnection]) -> list[dict]:
    """A page of connections in three queries, whatever its size: latest flows and plans are batched."""
    if not connections:
        return []
    latest = {
        flow.connection_id: flow
        for flow in LoginFlow.objects.filter(
            pk__in=[c.latest_flow_id for c in connections if getattr(c, "latest_flow_id", None)]
        )
    }
    # Re-read after the flows, for the same reason as in present().
    fresh = AuthConnection.objects.select_related("profile", "credential").in_bulk([c.pk for c in connections])
    connections = [fresh.get(c.pk, c) for c in connections]
    plans = {
        plan.domain: plan.plan
        for plan in LearnedPlan.objects.filter(project_id=connections[0].project_id, domain__in={c.domain for c in connections})
    }
    return [connection_to_dict(c, latest.get(c.pk), plans.get(c.domain)) for c in connections]


def _login_options(data: dict) -> dict:
    options: dict = {}
    if "record_session" in data:
        options["record_session"] = data["record_session"]
    if "skill_mode" in data:
        options["skill_mode"] = data["skill_mode"]
    return options


class ConnectionListCreateApi(ProjectApi):
    @extend_schema(
        operation_id="auth_connections_list", summary="List auth connections",
        parameters=[
            OpenApiParameter("domain", str, description="Only connections for this domain."),
            OpenApiParameter("profile_name", str, description="Only connections of this profile."),
            OpenApiParameter("query", str, description="Substring of domain or profile name, or an exact id."),
            *PAGE,
        ],
        responses={200: ManagedAuthOutput(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        latest_flow = LoginFlow.objects.filter(connection=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
        queryset = (
            AuthConnection.objects.select_related("profile", "credential")
            .filter(project=self.project)
            .annotate(latest_flow_id=Subquery(latest_flow))
        )
        if domain := request.query_params.get("domain", "").strip().lower():
            queryset = queryset.filter(domain=domain)
        if profile := request.query_params.get("profile_name", "").strip():
            queryset = queryset.filter(profile__name=profile)
        if query := request.query_params.get("query", "").strip():
            queryset = queryset.filter(Q(domain__icontains=query) | Q(profile__name__icontains=query) | Q(pk=query))
        return paginate(request, queryset.order_by("created_at", "id"), serialize_page=present_page)

    @extend_schema(
        operation_id="auth_connections_create", summary="Create an auth connection",
        description=(
            "A domain kept logged in inside a browser profile (created when missing). 409 when the profile "
            "already has a connection for the domain. `allowed_domains`: unlike Kernel, an empty list does not "
            "mean unrestricted — credentials are typed only on the domain, these hosts and well-known identity "
            "providers."
        ),
        request=ConnectionCreateInput, responses={200: ManagedAuthOutput, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = ConnectionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("browser_telemetry", None)
        connection = managed_auth.connection_create(project=self.project, **values)
        return Response(present(connection))


class ConnectionDetailApi(ProjectApi):
    permission_classes = [ApiKeyOrHostedToken]

    @extend_schema(operation_id="auth_connections_retrieve", summary="Get an auth connection and its flow",
                   responses={200: ManagedAuthOutput, **ERRORS})
    def get(self, request: Request, ref: str) -> Response:
        return Response(present_by_id(self.project, ref))

    @extend_schema(operation_id="auth_connections_update", summary="Update an auth connection",
                   description="Only the fields sent change; proxy, interval and flags apply at once.",
                   request=ConnectionUpdateInput, responses={200: ManagedAuthOutput, **ERRORS})
    def patch(self, request: Request, ref: str) -> Response:
        self._api_key_only()
        connection = managed_auth.connection_get(project=self.project, ref=ref)
        data = ConnectionUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("browser_telemetry", None)
        return Response(present(managed_auth.connection_update(connection=connection, changes=changes)))

    @extend_schema(operation_id="auth_connections_delete", summary="Delete an auth connection",
                   responses={204: None, **ERRORS})
    def delete(self, request: Request, ref: str) -> Response:
        self._api_key_only()
        managed_auth.connection_delete(connection=managed_auth.connection_get(project=self.project, ref=ref))
        return Response(status=204)

    def _api_key_only(self) -> None:
        if self.principal.scope_connection_id is not None:
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied("A hosted sign-in token can only read and answer the login.")


class ConnectionLoginApi(ProjectApi):
    @extend_schema(
        operation_id="auth_connections_login", summary="Start a login",
        description=(
            "Starts a login flow, or answers with the one in progress (and a fresh handoff code). Send the person "
            "to `hosted_url`, or answer the flow's questions with submit. A profile that is still logged in "
            "finishes without typing anything."
        ),
        request=LoginInput, responses={200: LoginOutput, **ERRORS},
    )
    def post(self, request: Request, ref: str) -> Response:
        connection = managed_auth.connection_get(project=self.project, ref=ref)
        data = LoginInput(data=request.data or {})
        data.is_valid(raise_exception=True)
        options = _login_options(data.validated_data)
        proxy_spec = (data.validated_data.get("browser") or {}).get("proxy") or data.validated_data.get("proxy")
        # mode "default" on a login keeps the connection's proxy: only an explicit "direct" (or another
        # proxy) overrides it, so a proxy is never dropped by a value that does not say so.
        if proxy_spec and proxy_spec.get("mode") != "default":
            proxy = managed_auth.resolve_proxy(project=self.project, spec=proxy_spec)
            # Stored either way: None is mode direct, which the runner honours over the connection's proxy.
            options["proxy_id"] = proxy.pk if proxy else None
        flow, code = flows.flow_start(connection=connection, options=options)
        return Response({
            "id": connection.pk,
            "flow_type": flow.flow_type,
            "flow_expires_at": timestamp(flow.expires_at),
            "hosted_url": flows.hosted_url(connection, code),
            "handoff_code": code,
        })


class ConnectionSubmitApi(ProjectApi):
    permission_classes = [ApiKeyOrHostedToken]

    @extend_schema(
        operation_id="auth_connections_submit", summary="Answer what the login asks",
        description=(
            "Legacy: `fields` {name: value} (names from discovered_fields), `mfa_option_id`, `sign_in_option_id`, "
            "`sso_provider` or `sso_button_selector`. Canonical: `field_values` {field id: value} and/or "
            "`selected_choice_id`, with the `interaction_id` they answer."
        ),
        request=SubmitInput, responses={200: SUBMIT_ACCEPTED, **ERRORS},
    )
    def post(self, request: Request, ref: str) -> Response:
        connection = managed_auth.connection_get(project=self.project, ref=ref)
        data = SubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        flows.flow_submit(connection=connection, data=data.validated_data)
        return Response({"accepted": True})


class ConnectionCancelApi(ProjectApi):
    @extend_schema(operation_id="auth_connections_cancel", summary="Cancel the login in progress (AuthHub addition)",
                   request=None, responses={200: ManagedAuthOutput, **ERRORS})
    def post(self, request: Request, ref: str) -> Response:
        connection = managed_auth.connection_get(project=self.project, ref=ref)
        flows.flow_cancel(connection=connection)
        return Response(present(connection))


class ConnectionExchangeApi(ProjectApi):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_connections_exchange", summary="Trade a handoff code for a hosted-page token",
        description="Used by the hosted login page. The code is single-use: 401 when reused, 410 once expired.",
        request=ExchangeInput, responses={200: HOSTED_TOKEN, **ERRORS}, auth=[],
    )
    def post(self, request: Request, ref: str) -> Response:
        data = ExchangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"jwt": flows.flow_exchange(connection_id=ref, code=data.validated_data["code"])})

