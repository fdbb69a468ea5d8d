from __future__ import annotations

from django.contrib import admin, messages

from connections.models import AuthConnection, LearnedPlan, LoginFlow, Profile, Proxy


@admin.register(Proxy)
class ProxyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "type", "endpoint", "project", "status", "last_checked", "deleted_at")
    list_filter = ("type", "status", "project")
    search_fields = ("name", "id")
    fields = (
        "id", "name", "type", "protocol", "endpoint", "has_password", "has_ca_bundle", "bypass_hosts",
        "status", "last_checked", "last_check_error", "ip_address", "project", "created_at", "deleted_at",
    )
    readonly_fields = (
        "id", "type", "protocol", "endpoint", "has_password", "has_ca_bundle", "bypass_hosts", "status",
        "last_checked", "last_check_error", "ip_address", "project", "created_at", "deleted_at",
    )

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    @admin.display(description="endpoint")
    def endpoint(self, obj: Proxy) -> str:
        if obj.type != Proxy.Type.CUSTOM:
            return f"{obj.type} pool {obj.config or ''}"
        user = f"{obj.config.get('username')}@" if obj.config.get("username") else ""
        return f"{obj.protocol}://{user}{obj.config.get('host')}:{obj.config.get('port')}"

    @admin.display(boolean=True)
    def has_password(self, obj: Proxy) -> bool:
        return obj.has_password

    @admin.display(boolean=True)
    def has_ca_bundle(self, obj: Proxy) -> bool:
        return obj.has_ca_bundle


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "project", "created_at", "updated_at", "last_used_at")
    list_filter = ("project",)
    search_fields = ("name", "id")
    readonly_fields = ("id", "project", "created_at", "updated_at", "last_used_at")


@admin.register(LearnedPlan)
class LearnedPlanAdmin(admin.ModelAdmin):
    list_display = ("domain", "project", "successes", "updated_at")
    list_filter = ("project",)
    search_fields = ("domain",)
    readonly_fields = ("project", "domain", "plan", "successes", "updated_at")


class LoginFlowInline(admin.TabularInline):
    model = LoginFlow
    extra = 0
    max_num = 0
    fields = ("id", "flow_type", "status", "step", "error_code", "created_at", "finished_at")
    readonly_fields = fields
    ordering = ("-created_at",)
    show_change_link = True


@admin.register(AuthConnection)
class AuthConnectionAdmin(admin.ModelAdmin):
    list_display = ("domain", "profile", "status", "flow_status", "flow_step", "credential", "project", "updated_at")
    list_filter = ("status", "project", "health_checks", "auto_reauth")
    search_fields = ("domain", "id", "profile__name")
    readonly_fields = ("id", "status", "post_login_url", "last_auth_check_at", "created_at", "updated_at", "project", "profile")
    fields = (
        "id", "domain", "profile", "project", "status", "login_url", "credential", "allowed_domains", "proxy",
        "health_checks", "health_check_interval", "auto_reauth", "save_credentials", "record_session",
        "post_login_url", "last_auth_check_at", "created_at", "updated_at",
    )
    inlines = [LoginFlowInline]
    actions = ["start_login", "cancel_flow"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False  # created through the API, which validates and creates the profile

    def _flow(self, obj: AuthConnection) -> LoginFlow | None:
        return obj.latest_flow()

    @admin.display(description="flow")
    def flow_status(self, obj: AuthConnection) -> str:
        flow = self._flow(obj)
        return flow.status if flow else "—"

    @admin.display(description="step")
    def flow_step(self, obj: AuthConnection) -> str:
        flow = self._flow(obj)
        return flow.step if flow else "—"

    @admin.action(description="Start a login (shows the hosted sign-in link)")
    def start_login(self, request, queryset) -> None:  # noqa: ANN001
        from connections import flows

        for connection in queryset:
            _, code = flows.flow_start(connection=connection)
            messages.info(request, f"{connection.domain}: send the person to {flows.hosted_url(connection, code)}")

    @admin.action(description="Cancel the login in progress")
    def cancel_flow(self, request, queryset) -> None:  # noqa: ANN001
        from authhub.errors import AppError
        from connections import flows

        for connection in queryset:
            try:
                flows.flow_cancel(connection=connection)
                messages.success(request, f"{connection.domain}: login canceled.")
            except AppError as exc:
                messages.warning(request, f"{connection.domain}: {exc.message}")


@admin.register(LoginFlow)
class LoginFlowAdmin(admin.ModelAdmin):
    list_display = ("id", "connection", "flow_type", "status", "step", "error_code", "runner_id", "created_at")
    list_filter = ("status", "step", "flow_type")
    search_fields = ("id", "connection__domain")
    exclude = ("handoff_code_hash",)
    readonly_fields = [f.name for f in LoginFlow._meta.fields if f.name != "handoff_code_hash"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False
