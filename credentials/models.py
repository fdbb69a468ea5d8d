from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from authhub.fields import PrefixedIdField
from authhub.models import Organization, Project
from credentials import totp
from credentials.fields import EncryptedField


class OrganizationKeyset(models.Model):
    """An organization's data-encryption keyset, wrapped (encrypted) by the master key."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, primary_key=True, related_name="keyset")
    wrapped_keyset = models.TextField(editable=False)
    # Bumped on every change, so processes holding a cached keyset notice before they encrypt.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    rotated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "organization keyset"

    def __str__(self) -> str:
        return f"keyset of {self.organization_id} (v{self.version})"

    @classmethod
    def create_for(cls, organization_id: str, keyring: Any) -> OrganizationKeyset:
        try:
            with transaction.atomic():
                return cls.objects.create(
                    organization_id=organization_id, wrapped_keyset=keyring.new_wrapped_keyset(organization_id)
                )
        except IntegrityError:
            # Another process created it first: use theirs.
            return cls.objects.get(organization_id=organization_id)

    def key_summary(self) -> list[tuple[int, str, bool]]:
        """(key id, status, is primary) read from the keyset's cleartext metadata; no key material."""
        info = json.loads(self.wrapped_keyset).get("keysetInfo", {})
        primary = info.get("primaryKeyId")
        return [(key["keyId"], key["status"], key["keyId"] == primary) for key in info.get("keyInfo", [])]


class Credential(models.Model):
    id = PrefixedIdField(prefix="cred")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="credentials")
    name = models.CharField(max_length=255)
    domain = models.CharField(max_length=253)
    values = EncryptedField(kind="json")
    # The keys of ``values`` (not secret: the API returns them) so lists never decrypt.
    value_keys = models.JSONField(default=list, editable=False)
    totp_secret = EncryptedField(kind="text")
    totp_algorithm = models.CharField(max_length=8, blank=True, default="")
    totp_digits = models.PositiveSmallIntegerField(null=True, blank=True)
    totp_period = models.PositiveSmallIntegerField(null=True, blank=True)
    sso_provider = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="credential_name_unique_per_project")]
        indexes = [models.Index(fields=["project", "domain"])]

    def __str__(self) -> str:
        return self.name

    @property
    def encryption_organization_id(self) -> str:
        return self.organization_id

    @property
    def has_totp_secret(self) -> bool:
        return self.__dict__.get("totp_secret") is not None

    def set_values(self, values: dict[str, str]) -> None:
        self.values = values or None
        self.value_keys = sorted(values)

    def set_totp(self, spec: totp.TotpSpec | None) -> None:
        if spec is None:
            self.totp_secret = None
            self.totp_algorithm, self.totp_digits, self.totp_period = "", None, None
            return
        self.totp_secret = spec.secret
        self.totp_algorithm = spec.algorithm or ""
        self.totp_digits = spec.digits
        self.totp_period = spec.period

    def totp_parameters(self) -> dict[str, Any]:
        return {
            "algorithm": self.totp_algorithm or totp.DEFAULT_ALGORITHM,
            "digits": self.totp_digits or totp.DEFAULT_DIGITS,
            "period": self.totp_period or totp.DEFAULT_PERIOD,
        }

    def totp_code(self, at: float | None = None) -> tuple[str, float]:
        if self.totp_secret is None:
            raise ValueError("this credential has no TOTP secret")
        return totp.generate(self.totp_secret, at=at, **self.totp_parameters())


class CredentialAuditEvent(models.Model):
    """Append-only: who did what to which credential, and when. Never a value.

    No foreign keys, so the trail outlives the credential; database triggers refuse UPDATE and DELETE.
    """

    class Action(models.TextChoices):
        CREATED = "created"
        UPDATED = "updated"
        DELETED = "deleted"
        TOTP_CODE_READ = "totp_code_read"
        USED = "used"

    id = models.BigAutoField(primary_key=True)
    organization_id = models.CharField(max_length=40, db_index=True)
    project_id = models.CharField(max_length=40, db_index=True)
    credential_id = models.CharField(max_length=40, db_index=True)
    credential_name = models.CharField(max_length=255)
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.CharField(max_length=200, help_text="api_key:<id>, user:<username>, or system:<component>")
    # Names of what changed (value keys, "totp_secret", "name"), never the values.
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "credential audit event"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.credential_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit events are append-only")
