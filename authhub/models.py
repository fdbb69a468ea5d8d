"""Tenancy: organizations own projects; API keys open a project (or, org-wide, any of them)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone

from authhub.fields import PrefixedIdField

API_KEY_PREFIX = "ah_"
_LAST_USED_RESOLUTION = timedelta(minutes=1)


class Organization(models.Model):
    id = PrefixedIdField(prefix="org")
    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def default_project(self) -> Project | None:
        return self.projects.filter(is_default=True).first()


class Project(models.Model):
    id = PrefixedIdField(prefix="proj")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=100)
    # The project an org-wide key acts on when the request names none.
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="project_name_unique_per_org"),
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(is_default=True), name="one_default_project_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}/{self.name}"


def hash_api_key(key: str) -> str:
    # Keys carry 256 bits of randomness, so a fast hash is as safe as a slow one and keeps lookups cheap.
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(models.Model):
    id = PrefixedIdField(prefix="key")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    # Null means org-wide: the key may pick any project of its organization by header.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="api_keys", null=True, blank=True)
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16, editable=False, help_text="The first characters of the key.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'unnamed'})"

    @staticmethod
    def generate() -> str:
        return API_KEY_PREFIX + secrets.token_urlsafe(32)

    def set_key(self, key: str) -> None:
        self.prefix = key[:10]
        self.key_hash = hash_api_key(key)

    def matches(self, key: str) -> bool:
        return hmac.compare_digest(self.key_hash, hash_api_key(key))

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def touch(self) -> None:
        """Record use, at most once a minute, so busy keys do not turn every read into a write."""
        now = timezone.now()
        if self.last_used_at and now - self.last_used_at < _LAST_USED_RESOLUTION:
            return
        ApiKey.objects.filter(pk=self.pk).filter(
            models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=now - _LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        self.last_used_at = now
