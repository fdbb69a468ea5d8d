"""Auth connection workflows: create, update and delete connections (Kernel's managed auth)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from authhub.errors import AppError, Conflict, NotFound
from authhub.models import Project
from authhub.selectors import get_by_id_or_name
from connections import domains
from connections.engine.hosts import normalize_root
from connections.models import AuthConnection, Profile, Proxy
from connections.services import proxy_get
from credentials.models import Credential

logger = logging.getLogger(__name__)

UNSET: Any = object()
DEFAULT_HEALTH_CHECK_INTERVAL = 3600
MIN_HEALTH_CHECK_INTERVAL = 300
MAX_HEALTH_CHECK_INTERVAL = 86400


def connection_get(*, project: Project, ref: str) -> AuthConnection:
    connection = (
        AuthConnection.objects.select_related("profile", "credential", "proxy").filter(project=project, pk=ref).first()
    )
    if connection is None:
        raise NotFound(f"Auth connection {ref!r} was not found.")
    return connection


def resolve_proxy(*, project: Project, spec: dict[str, Any] | None) -> Proxy | None:
    if not spec:
        return None
    if "mode" in spec:
        if spec["mode"] in ("direct", "default"):
            return None  # "default" means Kernel's stealth pool, which a self-hosted AuthHub does not have
        raise AppError("proxy.mode must be 'direct' or 'default'", code="invalid_request")
    ref = spec.get("id") or spec.get("name")
    if not ref:
        raise AppError("proxy needs exactly one of id, name or mode", code="invalid_request")
    return proxy_get(project=project, ref=ref)


def resolve_credential(*, project: Project, spec: dict[str, Any] | None) -> Credential | None:
    if not spec:
        return None
    if "provider" in spec or "path" in spec or "auto" in spec:
        raise AppError(
            "External credential providers (1Password) are not available yet: store the credential in AuthHub "
            "and link it with credential: {name}.",
            code="external_vaults_unavailable",
        )
    name = spec.get("name")
    if not name:
        raise AppError("credential needs a name", code="invalid_request")
    return get_by_id_or_name(Credential.objects.filter(project=project), name, "Credential")


def _check_scope(*, domain: str, allowed_domains: list[str], login_url: str, credential: Credential | None) -> None:
    """Domain fields name one owner's reachable site; a linked credential must be usable under them."""
    domains.check_domain(domain)
    for value in allowed_domains:
        domains.check_domain(value, field="allowed_domains")
    if login_url:
        domains.check_login_url(login_url)
    # The link itself, with the same check a flow runs before it starts.
    domains.check_connection(
        domain=domain, allowed_domains=allowed_domains, credential_domain=credential.domain if credential else None
    )


def normalize_allowed_domains(domains: list[str]) -> list[str]:
    return list(dict.fromkeys(normalize_root(d) for d in domains if d.strip()))


@transaction.atomic
def connection_create(
    *,
    project: Project,
    domain: str,
    profile_name: str,
    login_url: str = "",
    credential: dict[str, Any] | None = None,
    allowed_domains: list[str] | None = None,
    health_check_interval: int | None = None,
    health_checks: bool = True,
    auto_reauth: bool = True,
    save_credentials: bool = True,
    record_session: bool = False,
    browser: dict[str, Any] | None = None,
    proxy: dict[str, Any] | None = None,
) -> AuthConnection:
    browser = dict(browser or {})
    proxy_spec = browser.pop("proxy", None) or proxy
    allowed = normalize_allowed_domains(allowed_domains or [])
    linked = resolve_credential(project=project, spec=credential)
    _check_scope(domain=domain, allowed_domains=allowed, login_url=login_url, credential=linked)
    profile = Profile.objects.filter(project=project, name=profile_name).first()
    if profile is None:
        now = timezone.now()
        profile = Profile.objects.create(
            project=project, organization_id=project.organization_id, name=profile_name, created_at=now, updated_at=now
        )
    if AuthConnection.objects.filter(profile=profile, domain=domain).exists():
        raise Conflict(f"Profile {profile_name!r} already has a connection for {domain}.", code="already_exists")
    now = timezone.now()
    connection = AuthConnection(
        organization_id=project.organization_id,
        project=project,
        domain=domain,
        profile=profile,
        login_url=login_url or "",
        credential=linked,
        allowed_domains=allowed,
        health_check_interval=health_check_interval or DEFAULT_HEALTH_CHECK_INTERVAL,
        health_checks=health_checks,
        auto_reauth=auto_reauth,
        save_credentials=save_credentials,
        record_session=record_session,
        browser_options=browser,
        proxy=resolve_proxy(project=project, spec=proxy_spec),
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            connection.save()
    except IntegrityError:
        raise Conflict(f"Profile {profile_name!r} already has a connection for {domain}.", code="already_exists") from None
    logger.info("connection %s created for %s in profile %s", connection.pk, domain, profile.pk)
    return connection


@transaction.atomic
def connection_update(*, connection: AuthConnection, changes: dict[str, Any]) -> AuthConnection:
    """Only the fields sent change; proxy, interval and flags apply to the next browser started."""
    connection = AuthConnection.objects.select_for_update().get(pk=connection.pk)
    project = connection.project
    browser = changes.pop("browser", UNSET)
    proxy_spec = changes.pop("proxy", UNSET)
    if browser is not UNSET and browser is not None:
        browser = dict(browser)
        if "proxy" in browser:
            proxy_spec = browser.pop("proxy")
        merged = dict(connection.browser_options)
        merged.update(browser)
        connection.browser_options = merged
    if proxy_spec is not UNSET:
        connection.proxy = resolve_proxy(project=project, spec=proxy_spec)
    previous_credential = connection.credential_id
    if "credential" in changes:
        connection.credential = resolve_credential(project=project, spec=changes.pop("credential"))
    if "allowed_domains" in changes:
        connection.allowed_domains = normalize_allowed_domains(changes.pop("allowed_domains") or [])
    if "login_url" in changes:
        connection.login_url = changes.pop("login_url") or ""
    _check_scope(
        domain=connection.domain, allowed_domains=connection.allowed_domains, login_url=connection.login_url,
        credential=connection.credential,
    )
    for field in ("health_check_interval", "health_checks", "auto_reauth", "save_credentials", "record_session"):
        if field in changes:
            value = changes.pop(field)
            if value is not None:
                setattr(connection, field, value)
    connection.updated_at = timezone.now()
    connection.save()
    if connection.credential_id != previous_credential:
        # A login under way types the old credential's values: unlinking must stop it.
        from connections.flows import flows_cancel

        flows_cancel(connection_ids=[connection.pk], reason="The connection's credential was changed.")
    return connection


@transaction.atomic
def connection_delete(*, connection: AuthConnection) -> None:
    # Its in-progress logins are canceled by the pre_delete receiver (connections/signals.py), which
    # every cascade passes through too; the runner then closes their browsers.
    connection.delete()
