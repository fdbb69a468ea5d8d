from __future__ import annotations

import unicodedata

from django.db import models
from django.utils import timezone

from authhub.fields import PrefixedIdField
from authhub.models import Organization, Project
from connections.engine.types import Fingerprint, Pause
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
    # Playwright storage_state (cookies, local storage, IndexedDB) of every domain logged into, encrypted.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", null=True, editable=False)
    state = EncryptedField(kind="json")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="profile_name_unique_per_project")]

    def __str__(self) -> str:
        return self.name or self.pk

    @property
    def encryption_organization_id(self) -> str:
        return self.organization_id or self.project.organization_id


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


class AuthConnection(models.Model):
    """A domain kept logged in inside a browser profile (Kernel's managed auth connection)."""

    class Status(models.TextChoices):
        AUTHENTICATED = "AUTHENTICATED"
        NEEDS_AUTH = "NEEDS_AUTH"

    id = PrefixedIdField(prefix="ma")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="connections")
    domain = models.CharField(max_length=253)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="connections")
    login_url = models.CharField(max_length=2048, blank=True, default="")
    credential = models.ForeignKey(
        "credentials.Credential", on_delete=models.SET_NULL, null=True, blank=True, related_name="connections"
    )
    allowed_domains = models.JSONField(default=list, blank=True)
    health_checks = models.BooleanField(default=True)
    health_check_interval = models.PositiveIntegerField(default=3600)
    auto_reauth = models.BooleanField(default=True)
    save_credentials = models.BooleanField(default=True)
    record_session = models.BooleanField(default=False)
    # region, stealth and telemetry: kept and echoed (a self-hosted browser has no regions or stealth pool).
    browser_options = models.JSONField(default=dict, blank=True)
    proxy = models.ForeignKey(Proxy, on_delete=models.PROTECT, null=True, blank=True, related_name="connections")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEEDS_AUTH)
    post_login_url = models.CharField(max_length=2048, blank=True, default="")
    # What proved the last successful login (sign-out/account controls, session cookie names, landing
    # path): later session verdicts on this connection look for it first. Holds no secret.
    session_fingerprint = models.JSONField(default=dict, blank=True)
    last_auth_check_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "domain"], name="one_connection_per_profile_domain")]

    def __str__(self) -> str:
        return f"{self.domain} @ {self.profile}"

    @property
    def fingerprint(self) -> Fingerprint | None:
        return Fingerprint.from_dict(self.session_fingerprint)

    def latest_flow(self) -> LoginFlow | None:
        return self.flows.order_by("-created_at", "-id").first()


class LoginFlow(models.Model):
    """One login or re-authentication of a connection, run by a browser runner.

    The database holds its state; a runner claims it with a conditional update and heart-beats the
    claim, so a runner that dies is noticed and its flows end EXPIRED.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "IN_PROGRESS"
        SUCCESS = "SUCCESS"
        FAILED = "FAILED"
        EXPIRED = "EXPIRED"
        CANCELED = "CANCELED"

    class Step(models.TextChoices):
        DISCOVERING = "DISCOVERING"
        AWAITING_INPUT = "AWAITING_INPUT"
        AWAITING_EXTERNAL_ACTION = "AWAITING_EXTERNAL_ACTION"
        SUBMITTING = "SUBMITTING"
        COMPLETED = "COMPLETED"

    class Type(models.TextChoices):
        LOGIN = "LOGIN"
        REAUTH = "REAUTH"

    id = PrefixedIdField(prefix="flow")
    connection = models.ForeignKey(AuthConnection, on_delete=models.CASCADE, related_name="flows")
    flow_type = models.CharField(max_length=8, choices=Type.choices, default=Type.LOGIN)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS, db_index=True)
    step = models.CharField(max_length=28, choices=Step.choices, default=Step.DISCOVERING)
    # What the current pause asks (discovered_fields, fields, choices, interaction_id, …) and progress text.
    pause = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=500, blank=True, default="")
    external_action_message = models.CharField(max_length=500, blank=True, default="")
    website_error = models.CharField(max_length=500, blank=True, default="")
    error_code = models.CharField(max_length=40, blank=True, default="")
    error_message = models.CharField(max_length=1000, blank=True, default="")
    post_login_url = models.CharField(max_length=2048, blank=True, default="")
    # Per-login overrides: record_session, skill_mode, proxy id.
    options = models.JSONField(default=dict, blank=True)
    runner_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    handoff_code_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    handoff_expires_at = models.DateTimeField(null=True, blank=True)
    recording_path = models.CharField(max_length=1000, blank=True, default="")
    # Where each value was typed (credential key -> host; never a value), kept as the login's record.
    typed_hosts = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    input_deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "runner_id"])]

    def __str__(self) -> str:
        return f"{self.flow_type} {self.connection_id} {self.status}/{self.step}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.IN_PROGRESS and self.expires_at > timezone.now()

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.IN_PROGRESS

    @property
    def current_pause(self) -> Pause | None:
        """What the flow asks now, as the engine's typed ``Pause``; None unless it is waiting for input."""
        return Pause.from_dict(self.pause) if self.step == self.Step.AWAITING_INPUT else None

    @property
    def interaction_id(self) -> str | None:
        pause = self.current_pause
        return pause.interaction_id if pause else None


class FlowInput(models.Model):
    """What a person submitted for a waiting flow: encrypted, and deleted once the runner consumed it."""

    id = PrefixedIdField(prefix="in")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", editable=False)
    flow = models.ForeignKey(LoginFlow, on_delete=models.CASCADE, related_name="inputs")
    interaction_id = models.CharField(max_length=64)
    payload = EncryptedField(kind="json")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # One answer per pause: a second submit for the same interaction is refused, not queued.
        constraints = [models.UniqueConstraint(fields=["flow", "interaction_id"], name="one_input_per_interaction")]

    def __str__(self) -> str:
        return f"input for {self.flow_id}"

    @property
    def encryption_organization_id(self) -> str:
        return self.organization_id
