from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from authhub import services
from authhub.models import ApiKey, Organization, Project


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0
    fields = ("name", "is_default", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "created_at")
    search_fields = ("name", "id")
    readonly_fields = ("id", "created_at")
    inlines = [ProjectInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "is_default", "id", "created_at")
    list_filter = ("organization", "is_default")
    search_fields = ("name", "id")
    readonly_fields = ("id", "created_at")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix_display", "name", "organization", "project", "created_at", "last_used_at", "revoked_at")
    list_filter = ("organization", "project")
    search_fields = ("name", "prefix", "id")
    fields = ("id", "name", "organization", "project", "prefix_display", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("id", "prefix_display", "created_at", "last_used_at")
    actions = ["revoke"]

    @admin.display(description="key")
    def prefix_display(self, obj: ApiKey) -> str:
        return f"{obj.prefix}…" if obj.prefix else "(generated on save)"

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        api_key, key = services.apikey_create(organization=obj.organization, project=obj.project, name=obj.name)
        obj.pk = api_key.pk
        messages.warning(request, f"New API key (copy it now, it is not shown again): {key}")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        from django.utils import timezone

        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, f"Revoked {count} key(s).")
