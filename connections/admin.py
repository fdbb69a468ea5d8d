from __future__ import annotations

from django.contrib import admin

from connections.models import LearnedPlan, Profile, Proxy


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
