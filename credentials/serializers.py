from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from authhub.api.serializers import StrictSerializer, timestamp
from authhub.validators import normalize_domain, validate_name
from credentials.models import Credential

VALUE_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MAX_VALUE_KEYS = 50
MAX_VALUES_BYTES = 64 * 1024
TOTP_ALGORITHMS = ["SHA1", "SHA256", "SHA512"]


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string"}, "writeOnly": True,
     "example": {"username": "octocat", "password": "…"}}
)
class SecretValuesField(serializers.Field):
    """A flat ``{key: string}`` dict. Values are kept exactly as sent (no trimming) and never echoed."""

    default_error_messages = {
        "not_a_dict": "Expected an object of string values, e.g. {\"username\": \"…\", \"password\": \"…\"}.",
        "too_many": f"At most {MAX_VALUE_KEYS} keys.",
        "bad_key": "Keys must be 1 to 64 letters, digits, '_', '.' or '-'.",
        "bad_value": "The value of {name!r} must be a string.",
        "too_large": f"Values may hold at most {MAX_VALUES_BYTES // 1024} KiB in total.",
    }

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict):
            self.fail("not_a_dict")
        if len(data) > MAX_VALUE_KEYS:
            self.fail("too_many")
        size = 0
        for key, value in data.items():
            if not VALUE_KEY.match(key):
                self.fail("bad_key")
            if not isinstance(value, str):
                self.fail("bad_value", name=key)
            size += len(key.encode()) + len(value.encode())
        if size > MAX_VALUES_BYTES:
            self.fail("too_large")
        return dict(data)

    def to_representation(self, value: Any) -> Any:  # pragma: no cover - write-only
        raise NotImplementedError


class _Name(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=255, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        try:
            return validate_name(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class _Domain(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        try:
            return normalize_domain(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class _TotpSecret(serializers.CharField):
    """Never echoes the value; format errors come from the service with a clear message."""

    default_error_messages = {"invalid": "totp_secret must be a string."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=2048, allow_blank=True, allow_null=True, trim_whitespace=False, **kwargs)


class CredentialCreateInput(StrictSerializer):
    name = _Name()
    domain = _Domain(max_length=253)
    values = SecretValuesField()
    sso_provider = serializers.CharField(max_length=100, required=False, allow_null=True, allow_blank=True)
    totp_secret = _TotpSecret(required=False)
    totp_algorithm = serializers.ChoiceField(TOTP_ALGORITHMS, required=False, allow_null=True)
    totp_digits = serializers.IntegerField(required=False, allow_null=True, min_value=6, max_value=8)
    totp_period = serializers.IntegerField(required=False, allow_null=True, min_value=10, max_value=300)


class CredentialUpdateInput(StrictSerializer):
    name = _Name(required=False)
    values = SecretValuesField(required=False)
    remove_value_keys = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=MAX_VALUE_KEYS
    )
    sso_provider = serializers.CharField(max_length=100, required=False, allow_null=True, allow_blank=True)
    totp_secret = _TotpSecret(required=False)
    totp_algorithm = serializers.ChoiceField(TOTP_ALGORITHMS, required=False, allow_null=True)
    totp_digits = serializers.IntegerField(required=False, allow_null=True, min_value=6, max_value=8)
    totp_period = serializers.IntegerField(required=False, allow_null=True, min_value=10, max_value=300)


class CredentialOutput(serializers.Serializer):
    """Documentation of the response shape; ``credential_to_dict`` builds it."""

    id = serializers.CharField()
    name = serializers.CharField()
    domain = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    has_values = serializers.BooleanField()
    value_keys = serializers.ListField(child=serializers.CharField(), required=False, help_text="Not in lists.")
    has_totp_secret = serializers.BooleanField()
    sso_provider = serializers.CharField(allow_null=True)
    totp_algorithm = serializers.ChoiceField(TOTP_ALGORITHMS, allow_null=True)
    totp_digits = serializers.IntegerField(allow_null=True)
    totp_period = serializers.IntegerField(allow_null=True)
    totp_code = serializers.CharField(required=False, help_text="Only when this request set the TOTP secret.")
    totp_code_expires_at = serializers.DateTimeField(required=False)


class TotpCodeOutput(serializers.Serializer):
    code = serializers.CharField()
    expires_at = serializers.DateTimeField()


def credential_to_dict(credential: Credential, *, single: bool = True, with_totp_code: bool = False) -> dict[str, Any]:
    has_totp = credential.has_totp_secret
    params = credential.totp_parameters() if has_totp else {}
    data: dict[str, Any] = {
        "id": credential.pk,
        "name": credential.name,
        "domain": credential.domain,
        "created_at": timestamp(credential.created_at),
        "updated_at": timestamp(credential.updated_at),
        "has_values": bool(credential.value_keys),
        "has_totp_secret": has_totp,
        "sso_provider": credential.sso_provider or None,
        "totp_algorithm": params.get("algorithm"),
        "totp_digits": params.get("digits"),
        "totp_period": params.get("period"),
    }
    if single:
        data["value_keys"] = list(credential.value_keys)
    if with_totp_code and has_totp:
        from datetime import UTC, datetime

        code, expires = credential.totp_code()
        data["totp_code"] = code
        data["totp_code_expires_at"] = timestamp(datetime.fromtimestamp(expires, tz=UTC))
    return data
