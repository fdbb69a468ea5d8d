from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone
from rest_framework import serializers

from authhub.api.serializers import StrictSerializer, timestamp
from authhub.validators import PROFILE_NAME, validate_name
from connections.managed_auth import MAX_HEALTH_CHECK_INTERVAL, MIN_HEALTH_CHECK_INTERVAL
from connections.models import AuthConnection, LoginFlow, Profile, Proxy

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_CA_BUNDLE = 64 * 1024


def _hostname(value: str) -> bool:
    return len(value) <= 253 and all(_HOST_LABEL.match(label) for label in value.split("."))


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


CA_BUNDLE_HELP = (
    "Not supported: any value is refused with 400 ca_bundle_unsupported (a deviation from Kernel). Chromium on "
    "Linux trusts certificates per browser (its NSS database), not per login, so one tenant's intercepting CA "
    "would be trusted for every other tenant's logins. Use a proxy that tunnels TLS (CONNECT)."
)
PROXY_HOST_HELP = (
    "Host name or IP address (IPv6 with or without brackets), without scheme or port. A host in this AuthHub's "
    "own network (loopback, private, link-local, metadata, multicast or reserved addresses in any notation, "
    "single-label or local-network names) is refused with 400 address_not_allowed unless the operator allows it "
    "(AUTHHUB_ALLOW_PRIVATE_NETWORK, AUTHHUB_PRIVATE_NETWORK_ALLOW)."
)


class CustomProxyConfig(StrictSerializer):
    host = serializers.CharField(max_length=253, help_text=PROXY_HOST_HELP)
    port = serializers.IntegerField(min_value=1, max_value=65535)
    username = serializers.CharField(max_length=255, required=False, allow_blank=True, trim_whitespace=False)
    password = serializers.CharField(
        max_length=1024, min_length=5, required=False, trim_whitespace=False,
        error_messages={"min_length": "password must be at least 5 characters."},
    )
    # Kept as a known field so it is refused with a reason (the service) rather than as an unknown one.
    ca_bundle = serializers.CharField(max_length=MAX_CA_BUNDLE, required=False, trim_whitespace=False,
                                      help_text=CA_BUNDLE_HELP)

    def validate_host(self, value: str) -> str:
        value = value.strip().lower()
        if "%" in value:
            raise serializers.ValidationError("host must not carry an IPv6 zone index (%).")
        if not (_is_ip(value) or _hostname(value)):
            raise serializers.ValidationError("host must be a hostname or an IP address, without scheme or port.")
        return value.strip("[]")


class PoolProxyConfig(StrictSerializer):
    country = serializers.CharField(max_length=2, required=False)
    state = serializers.CharField(max_length=50, required=False)
    city = serializers.CharField(max_length=100, required=False)
    zip = serializers.CharField(max_length=10, required=False)
    asn = serializers.CharField(max_length=20, required=False)
    os = serializers.ChoiceField(["windows", "macos", "android"], required=False)

    allowed_by_type = {
        "datacenter": {"country"},
        "isp": {"country"},
        "mobile": {"country", "state", "city"},
        "residential": {"country", "state", "city", "zip", "asn", "os"},
    }

    def validate_country(self, value: str) -> str:
        value = value.upper()
        if not _COUNTRY.match(value):
            raise serializers.ValidationError("country must be a two-letter ISO code, e.g. US.")
        return value

    def validate_city(self, value: str) -> str:
        if value != value.lower() or " " in value:
            raise serializers.ValidationError("city must be lowercase without spaces, e.g. sanfrancisco.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = self.context["type"]
        extra = sorted(set(attrs) - self.allowed_by_type[kind])
        if extra:
            raise serializers.ValidationError(f"{', '.join(extra)} cannot be set on a {kind} proxy.")
        if set(attrs) - {"country"} and "country" not in attrs:
            raise serializers.ValidationError("country is required when other targeting fields are set.")
        if "zip" in attrs and (attrs.get("country") != "US" or {"city", "state"} & set(attrs)):
            raise serializers.ValidationError("zip is US-only and cannot be combined with city or state.")
        if "asn" in attrs and {"city", "state"} & set(attrs):
            raise serializers.ValidationError("asn cannot be combined with city or state.")
        if kind == "mobile" and "state" in attrs and attrs.get("country") != "US":
            raise serializers.ValidationError("state is supported for US mobile proxies only.")
        return attrs


def normalize_bypass_host(value: str) -> str:
    host = value.strip().lower()
    bare = host[2:] if host.startswith("*.") else host
    if not host or len(host) > 253 or "://" in host or "/" in host or ":" in bare or _is_ip(bare) or not _hostname(bare):
        raise ValueError(f"{value[:60]!r} is not a host name or *.wildcard (no scheme, port, path or IP)")
    return host


class ProxyCreateInput(StrictSerializer):
    type = serializers.ChoiceField([t.value for t in Proxy.Type])
    name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    protocol = serializers.ChoiceField([p.value for p in Proxy.Protocol], required=False)
    config = serializers.DictField(
        required=False, child=serializers.JSONField(),
        help_text=(
            "custom: host, port, username, password. host: " + PROXY_HOST_HELP + " ca_bundle: " + CA_BUNDLE_HELP
            + " Pool types: country, state, city, zip, asn, os (by type)."
        ),
    )
    bypass_hosts = serializers.ListField(child=serializers.CharField(max_length=300), required=False, max_length=100)

    def validate_name(self, value: str) -> str:
        try:
            return validate_name(value) if value else value
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_bypass_hosts(self, value: list[str]) -> list[str]:
        try:
            return list(dict.fromkeys(normalize_bypass_host(host) for host in value))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["type"]
        config = attrs.get("config") or {}
        if kind == Proxy.Type.CUSTOM:
            if not config:
                raise serializers.ValidationError({"config": ["A custom proxy needs config.host and config.port."]})
            nested = CustomProxyConfig(data=config)
        else:
            nested = PoolProxyConfig(data=config, context={"type": kind})
        if not nested.is_valid():
            raise serializers.ValidationError({"config": nested.errors})
        attrs["config"] = dict(nested.validated_data)
        return attrs


class RenameInput(StrictSerializer):
    name = serializers.CharField(max_length=255)


class ProxyCheckInput(StrictSerializer):
    # A CharField, not a URLField: Django's URL validator turns away some address notations (2130706433,
    # 0x7f000001) as merely invalid; the service refuses them, and every other refused host, by name.
    url = serializers.CharField(
        required=False, max_length=2048,
        help_text=(
            "An http(s) URL to fetch through the proxy instead of the operator's check URL; the result is only "
            "reported. Refused with 400 address_not_allowed, before any connection, when its host is in this "
            "AuthHub's own network: loopback, private, link-local, metadata, multicast or reserved addresses in "
            "any notation (decimal, hex, octal, IPv4-mapped IPv6), single-label or local-network names. A name "
            "is resolved by the proxy, not by AuthHub."
        ),
    )

    def validate_url(self, value: str) -> str:
        if any(ch.isspace() or ord(ch) < 32 for ch in value):
            raise serializers.ValidationError("url must not contain spaces or control characters.")
        return value


class ProxyOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    type = serializers.ChoiceField([t.value for t in Proxy.Type])
    protocol = serializers.ChoiceField([p.value for p in Proxy.Protocol])
    config = serializers.DictField(
        help_text=(
            "custom: host, port, username, has_password, has_ca_bundle (true only for proxies stored before "
            "ca_bundle was refused; such a bundle is not used)"
        )
    )
    bypass_hosts = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(["available", "unavailable"], allow_null=True)
    last_checked = serializers.DateTimeField(allow_null=True)
    ip_address = serializers.CharField(allow_null=True)
    check_error = serializers.CharField(
        allow_null=True,
        help_text=(
            "Why the last check failed (AuthHub addition), one of: 'cannot connect to the proxy', 'the proxy "
            "refused the credentials (407 Proxy Authentication Required)', 'the proxy did not deliver a working "
            "response from the check URL'. Which of many target failures happened is deliberately not said."
        ),
    )
    created_at = serializers.DateTimeField()


def proxy_to_dict(proxy: Proxy) -> dict[str, Any]:
    config = dict(proxy.config)
    if proxy.type == Proxy.Type.CUSTOM:
        config["has_password"] = proxy.has_password
        config["has_ca_bundle"] = proxy.has_ca_bundle
    return {
        "id": proxy.pk,
        "name": proxy.name or None,
        "type": proxy.type,
        "protocol": proxy.protocol,
        "config": config,
        "bypass_hosts": list(proxy.bypass_hosts),
        "status": proxy.status or None,
        "last_checked": timestamp(proxy.last_checked),
        "ip_address": proxy.ip_address,
        "check_error": proxy.last_check_error or None,
        "created_at": timestamp(proxy.created_at),
    }


class ProfileCreateInput(StrictSerializer):
    name = serializers.CharField(max_length=255, required=False, allow_null=True)

    def validate_name(self, value: str | None) -> str | None:
        if value is not None and not PROFILE_NAME.match(value):
            raise serializers.ValidationError("name must be 1 to 255 letters, digits, '.', '_' or '-'.")
        return value


class ProfileRenameInput(StrictSerializer):
    name = serializers.CharField(max_length=255)

    validate_name = ProfileCreateInput.validate_name


class ProfileOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    return {
        "id": profile.pk,
        "name": profile.name,
        "created_at": timestamp(profile.created_at),
        "updated_at": timestamp(profile.updated_at),
        "last_used_at": timestamp(profile.last_used_at),
    }


# --- auth connections ---------------------------------------------------------------------------------

FLOW_FIELDS = (
    "discovered_fields", "fields", "choices", "mfa_options", "pending_sso_buttons", "sign_in_options",
)


def can_reauth(connection: AuthConnection, plan: dict[str, Any] | None) -> tuple[bool, str]:
    """Kernel's can_reauth: a credential, a prior success, and a learned login that needs no person."""
    credential = connection.credential
    if credential is None:
        return False, "no_credential"
    if not plan or not plan.get("successes"):
        return False, "no_prior_successful_login"
    actions = [a for page in plan.get("pages", []) for a in page.get("actions", [])]
    if any(a.get("kind") == "input" and a.get("key") == "external_action" for a in actions):
        return False, "requires_external_action"
    if any(a.get("kind") == "input" and a.get("key") == "code" for a in actions):
        return False, "requires_email_code"
    if any(a.get("kind") == "input" for a in actions):
        return False, "requires_customer_input"
    if any(a.get("kind") == "totp" for a in actions) and not credential.has_totp_secret:
        return False, "requires_totp_without_secret"
    return True, "viable_plans_found"


def flow_state(flow: LoginFlow | None, *, hosted: str | None = None) -> dict[str, Any]:
    """The flow part of a ManagedAuth object (and of a managed_auth_state event)."""
    if flow is None:
        return {key: None for key in (
            "flow_status", "flow_step", "flow_type", "flow_expires_at", "hosted_url", "interaction_id",
            "external_action_message", "website_error", "error_code", "error_message", *FLOW_FIELDS,
        )}
    pause = flow.current_pause
    state = {
        "flow_status": flow.status,
        "flow_step": flow.step,
        "flow_type": flow.flow_type,
        "flow_expires_at": timestamp(flow.expires_at),
        "hosted_url": hosted if flow.status == LoginFlow.Status.IN_PROGRESS else None,
        "interaction_id": pause.interaction_id if pause else None,
        "external_action_message": flow.external_action_message or None,
        "website_error": flow.website_error or None,
        "error_code": flow.error_code or None,
        "error_message": flow.error_message or None,
        "progress_message": flow.message or None,  # AuthHub addition: what the browser is doing now
    }
    for key in FLOW_FIELDS:
        state[key] = pause.wire(key) if pause else None
    if flow.post_login_url:
        state["post_login_url"] = flow.post_login_url
    return state


def connection_to_dict(connection: AuthConnection, flow: LoginFlow | None, plan: dict[str, Any] | None) -> dict[str, Any]:
    from connections.flows import hosted_url

    browser = dict(connection.browser_options)
    if connection.proxy_id:
        browser["proxy"] = {"id": connection.proxy_id}
    reauth, reason = can_reauth(connection, plan)
    credential = connection.credential
    data = {
        "id": connection.pk,
        "domain": connection.domain,
        "profile_name": connection.profile.name or connection.profile_id,
        "status": connection.status,
        "login_url": connection.login_url or None,
        "allowed_domains": list(connection.allowed_domains),
        "credential": {"name": credential.name} if credential else None,
        "sso_provider": (credential.sso_provider or None) if credential else None,
        "health_checks": connection.health_checks,
        "health_check_interval": connection.health_check_interval,
        "auto_reauth": connection.auto_reauth,
        "save_credentials": connection.save_credentials,
        "record_session": connection.record_session,
        "browser": browser,
        "proxy_id": connection.proxy_id,
        "can_reauth": reauth,
        "can_reauth_reason": reason,
        "last_auth_check_at": timestamp(connection.last_auth_check_at),
        "post_login_url": connection.post_login_url or None,
        "created_at": timestamp(connection.created_at),
        "updated_at": timestamp(connection.updated_at),
    }
    data.update(flow_state(flow, hosted=hosted_url(connection)))
    if connection.post_login_url:
        data["post_login_url"] = connection.post_login_url
    return data


def state_event(flow: LoginFlow | None) -> dict[str, Any]:
    return {"event": "managed_auth_state", "timestamp": timestamp(timezone.now()), **flow_state(flow)}


class ProxyRef(StrictSerializer):
    id = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    mode = serializers.ChoiceField(["direct", "default"], required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs) != 1:
            raise serializers.ValidationError("proxy needs exactly one of id, name or mode.")
        return attrs


class BrowserOptions(StrictSerializer):
    proxy = ProxyRef(required=False, allow_null=True)
    region = serializers.ChoiceField(["us-east", "us-west", "eu-west", "ap-southeast"], required=False)
    stealth = serializers.BooleanField(required=False)
    telemetry = serializers.JSONField(required=False, allow_null=True)


class CredentialRef(StrictSerializer):
    name = serializers.CharField(required=False)
    provider = serializers.CharField(required=False)
    path = serializers.CharField(required=False)
    auto = serializers.BooleanField(required=False)


def _allowed_domain(value: str) -> str:
    from connections.engine.hosts import normalize_root

    root = normalize_root(value)
    if not root or "/" in root or ":" in root or " " in root:
        raise serializers.ValidationError(f"{value[:80]!r} is not a host name.")
    return root


class ConnectionCreateInput(StrictSerializer):
    domain = serializers.CharField(max_length=253)
    profile_name = serializers.CharField(max_length=255)
    login_url = serializers.URLField(required=False, allow_blank=True, max_length=2048)
    credential = CredentialRef(required=False, allow_null=True)
    allowed_domains = serializers.ListField(
        child=serializers.CharField(max_length=253), required=False, max_length=50,
        help_text=(
            "Extra host roots (and their subdomains) where AuthHub may type credentials, e.g. an SSO identity "
            "provider. Unlike Kernel, an empty list does NOT mean unrestricted: secrets go only to the "
            "connection's domain, these hosts and well-known identity providers."
        ),
    )
    health_check_interval = serializers.IntegerField(
        required=False, min_value=MIN_HEALTH_CHECK_INTERVAL, max_value=MAX_HEALTH_CHECK_INTERVAL
    )
    health_checks = serializers.BooleanField(required=False)
    auto_reauth = serializers.BooleanField(required=False)
    save_credentials = serializers.BooleanField(required=False)
    record_session = serializers.BooleanField(required=False)
    browser = BrowserOptions(required=False)
    proxy = ProxyRef(required=False, allow_null=True, help_text="Deprecated: use browser.proxy.")
    browser_telemetry = serializers.JSONField(required=False, allow_null=True, help_text="Deprecated.")

    def validate_domain(self, value: str) -> str:
        from authhub.validators import normalize_domain

        try:
            return normalize_domain(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_profile_name(self, value: str) -> str:
        if not PROFILE_NAME.match(value):
            raise serializers.ValidationError("profile_name must be 1 to 255 letters, digits, '.', '_' or '-'.")
        return value

    def validate_allowed_domains(self, value: list[str]) -> list[str]:
        return [_allowed_domain(v) for v in value]

    def validate_login_url(self, value: str) -> str:
        try:
            parts = urlsplit(value) if value else None
            valid = parts is None or (parts.scheme in ("http", "https") and bool(parts.hostname))
        except ValueError:  # e.g. an unclosed IPv6 bracket
            valid = False
        if not valid:
            raise serializers.ValidationError("login_url must be an absolute http or https URL.")
        return value


class ConnectionUpdateInput(ConnectionCreateInput):
    domain = None  # type: ignore[assignment]
    profile_name = None  # type: ignore[assignment]
    # "" clears it on update (Kernel), so not a URLField; validate_login_url is inherited.
    login_url = serializers.CharField(required=False, allow_blank=True, max_length=2048)


class LoginInput(StrictSerializer):
    browser = BrowserOptions(required=False)
    record_session = serializers.BooleanField(required=False)
    skill_mode = serializers.ChoiceField(["enabled", "disabled"], required=False)
    proxy = ProxyRef(required=False, allow_null=True, help_text="Deprecated: use browser.proxy.")
    browser_telemetry = serializers.JSONField(required=False, allow_null=True, help_text="Deprecated.")


class SubmitInput(StrictSerializer):
    fields = serializers.DictField(child=serializers.CharField(max_length=4096, trim_whitespace=False), required=False)
    field_values = serializers.DictField(child=serializers.CharField(max_length=4096, trim_whitespace=False), required=False)
    interaction_id = serializers.CharField(required=False, max_length=64)
    selected_choice_id = serializers.CharField(required=False, max_length=200)
    mfa_option_id = serializers.CharField(required=False, max_length=50)
    sign_in_option_id = serializers.CharField(required=False, max_length=200)
    sso_provider = serializers.CharField(required=False, max_length=100)
    sso_button_selector = serializers.CharField(required=False, max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("sso_provider") and attrs.get("sso_button_selector"):
            raise serializers.ValidationError("Send sso_provider or sso_button_selector, not both.")
        return attrs


class ExchangeInput(StrictSerializer):
    code = serializers.CharField(max_length=200)


class ManagedAuthOutput(serializers.Serializer):
    """The ManagedAuth object (documentation; ``connection_to_dict`` builds it)."""

    id = serializers.CharField()
    domain = serializers.CharField()
    profile_name = serializers.CharField()
    status = serializers.ChoiceField(["AUTHENTICATED", "NEEDS_AUTH"])
    flow_status = serializers.ChoiceField(["IN_PROGRESS", "SUCCESS", "FAILED", "EXPIRED", "CANCELED"], allow_null=True)
    flow_step = serializers.ChoiceField(
        ["DISCOVERING", "AWAITING_INPUT", "AWAITING_EXTERNAL_ACTION", "SUBMITTING", "COMPLETED"], allow_null=True
    )
    flow_type = serializers.ChoiceField(["LOGIN", "REAUTH"], allow_null=True)
    interaction_id = serializers.CharField(allow_null=True)
    discovered_fields = serializers.ListField(child=serializers.DictField(), allow_null=True)
    fields = serializers.ListField(child=serializers.DictField(), allow_null=True)
    choices = serializers.ListField(child=serializers.DictField(), allow_null=True)
    can_reauth = serializers.BooleanField()
    can_reauth_reason = serializers.CharField()


class LoginOutput(serializers.Serializer):
    id = serializers.CharField()
    flow_type = serializers.ChoiceField(["LOGIN", "REAUTH"])
    flow_expires_at = serializers.DateTimeField()
    hosted_url = serializers.CharField()
    handoff_code = serializers.CharField()
