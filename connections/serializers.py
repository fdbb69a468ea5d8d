from __future__ import annotations

import ipaddress
import re
from typing import Any

from rest_framework import serializers

from authhub.api.serializers import StrictSerializer, timestamp
from authhub.validators import PROFILE_NAME, validate_name
from connections.models import Profile, Proxy

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


class CustomProxyConfig(StrictSerializer):
    host = serializers.CharField(max_length=253)
    port = serializers.IntegerField(min_value=1, max_value=65535)
    username = serializers.CharField(max_length=255, required=False, allow_blank=True, trim_whitespace=False)
    password = serializers.CharField(
        max_length=1024, min_length=5, required=False, trim_whitespace=False,
        error_messages={"min_length": "password must be at least 5 characters."},
    )
    ca_bundle = serializers.CharField(max_length=MAX_CA_BUNDLE, required=False, trim_whitespace=False)

    def validate_host(self, value: str) -> str:
        value = value.strip().lower()
        if not (_is_ip(value) or _hostname(value)):
            raise serializers.ValidationError("host must be a hostname or an IP address, without scheme or port.")
        return value.strip("[]")

    def validate_ca_bundle(self, value: str) -> str:
        if "-----BEGIN CERTIFICATE-----" not in value:
            raise serializers.ValidationError("ca_bundle must be PEM-encoded certificates.")
        return value


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
    config = serializers.DictField(required=False, child=serializers.JSONField())
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
    url = serializers.URLField(required=False, max_length=2048)


class ProxyOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    type = serializers.ChoiceField([t.value for t in Proxy.Type])
    protocol = serializers.ChoiceField([p.value for p in Proxy.Protocol])
    config = serializers.DictField(help_text="custom: host, port, username, has_password, has_ca_bundle")
    bypass_hosts = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(["available", "unavailable"], allow_null=True)
    last_checked = serializers.DateTimeField(allow_null=True)
    ip_address = serializers.CharField(allow_null=True)
    check_error = serializers.CharField(allow_null=True, help_text="Why the last check failed (AuthHub addition).")
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
