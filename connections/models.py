from __future__ import annotations

import unicodedata

from django.db import models
from django.utils import timezone

from authhub.fields import PrefixedIdField
from authhub.models import Organization, Project
from credentials.fields import EncryptedField


def name_key(name: str) -> str:
    """Case- and accent-insensitive form of a name, for Kernel's proxy ``name`` filter."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class ProxyQuerySet(models.QuerySet["Proxy"]):
    def alive(self) -> ProxyQuerySet:
        return self.filter(deleted_at__isnull=True)


class Proxy(models.Model):
    class Type(models.TextChoices):
        DATACENTER = "datacenter"
        ISP = "isp"
        RESIDENTIAL = "residential"
        MOBILE = "mobile"
        CUSTOM = "custom"

    class Protocol(models.TextChoices):
        HTTP = "http"
        HTTPS = "https"

    class Status(models.TextChoices):
        AVAILABLE = "available"
        UNAVAILABLE = "unavailable"

    id = PrefixedIdField(prefix="proxy")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="proxies")
    name = models.CharField(max_length=255, blank=True, default="")
    name_key = models.CharField(max_length=255, blank=True, default="", editable=False, db_index=True)
    type = models.CharField(max_length=12, choices=Type.choices)
    protocol = models.CharField(max_length=5, choices=Protocol.choices, default=Protocol.HTTPS)
    # Non-secret settings: host, port, username for custom; targeting (country, city, ...) for pools.
    config = models.JSONField(default=dict, blank=True)
    password = EncryptedField(kind="text")
    ca_bundle = EncryptedField(kind="text")
    bypass_hosts = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, blank=True, default="")
    last_checked = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    last_check_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Deletion is soft (as Kernel's): history that points at a proxy keeps making sense.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProxyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "proxies"

    def __str__(self) -> str:
        return self.name or self.pk

    @property
    def encryption_organization_id(self) -> str:
        return self.organization_id

    @property
    def has_password(self) -> bool:
        return self.__dict__.get("password") is not None

    @property
    def has_ca_bundle(self) -> bool:
        return self.__dict__.get("ca_bundle") is not None

    def set_name(self, name: str) -> None:
        self.name = name
        self.name_key = name_key(name)


class Profile(models.Model):
    """A browser profile: the cookies and storage a connection keeps logged in (state: next issues)."""

    id = PrefixedIdField(prefix="prof")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="profiles")
    # NULL, not "", for unnamed profiles: the per-project unique constraint must allow many of them.
    name = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="profile_name_unique_per_project")]

    def __str__(self) -> str:
        return self.name or self.pk


class LearnedPlan(models.Model):
    """What worked the last time a domain was logged into, replayed first by the next login or re-auth.

    Scoped to a project and a domain: one tenant's plan never steers another tenant's login.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="learned_plans")
    domain = models.CharField(max_length=253)
    plan = models.JSONField(default=dict)
    successes = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "domain"], name="one_plan_per_project_domain")]

    def __str__(self) -> str:
        return f"{self.domain} ({self.successes} successes)"
