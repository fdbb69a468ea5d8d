from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join

from credentials.models import Credential, CredentialAuditEvent, OrganizationKeyset


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    """Values are write-only everywhere, here too: the admin shows which keys exist, never what they hold."""

    list_display = ("name", "domain", "project", "keys", "has_totp_secret", "sso_provider", "updated_at")
    list_filter = ("project__organization", "project")
    search_fields = ("name", "domain", "id")
    fields = (
        "id", "name", "domain", "project", "keys", "has_totp_secret", "totp_algorithm", "totp_digits",
        "totp_period", "sso_provider", "created_at", "updated_at",
    )
    readonly_fields = ("id", "project", "keys", "has_totp_secret", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # create credentials through the API, which validates and audits them

    @admin.display(description="value keys")
    def keys(self, obj: Credential) -> str:
        return ", ".join(obj.value_keys) or "—"

    @admin.display(boolean=True, description="TOTP")
    def has_totp_secret(self, obj: Credential) -> bool:
        return obj.has_totp_secret


@admin.register(CredentialAuditEvent)
class CredentialAuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "credential_name", "actor", "project_id", "detail")
    list_filter = ("action",)
    search_fields = ("credential_name", "credential_id", "actor", "project_id")
    date_hierarchy = "at"


@admin.register(OrganizationKeyset)
class OrganizationKeysetAdmin(ReadOnlyAdmin):
    list_display = ("organization", "version", "keys", "created_at", "rotated_at")
    fields = ("organization", "version", "keys", "created_at", "rotated_at")
    readonly_fields = fields

    @admin.display(description="keys (id, status)")
    def keys(self, obj: OrganizationKeyset) -> str:
        return format_html_join(
            ", ", "{}{} {}", ((key_id, " (primary)" if primary else "", status) for key_id, status, primary in obj.key_summary())
        )
