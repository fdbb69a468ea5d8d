"""Proxy and profile workflows."""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import tempfile
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from authhub.errors import AppError, Conflict, NotFound
from authhub.models import Project
from authhub.selectors import get_by_id_or_name
from connections.models import LearnedPlan, Profile, Proxy

logger = logging.getLogger(__name__)

DEFAULT_CHECK_URL = "https://www.gstatic.com/generate_204"


# --- proxies ----------------------------------------------------------------------------------------


def proxy_get(*, project: Project, ref: str) -> Proxy:
    """By id first; by name only when exactly one proxy has it (Kernel's ``ambiguous_proxy_name``)."""
    alive = Proxy.objects.alive().filter(project=project)
    proxy = alive.filter(pk=ref).first()
    if proxy is not None:
        return proxy
    named = list(alive.filter(name=ref)[:2])
    if len(named) > 1:
        raise AppError(f"More than one proxy is named {ref!r}: use its id.", code="ambiguous_proxy_name")
    if not named:
        raise NotFound(f"Proxy {ref!r} was not found.")
    return named[0]


@transaction.atomic
def proxy_create(
    *,
    project: Project,
    type: str,
    name: str = "",
    protocol: str | None = None,
    config: dict[str, Any] | None = None,
    bypass_hosts: list[str] | None = None,
) -> Proxy:
    config = dict(config or {})
    if type != Proxy.Type.CUSTOM and type not in settings.AUTHHUB.proxy_upstreams:
        raise AppError(
            f"Proxy type {type!r} needs a pool of {type} exit addresses, which this self-hosted AuthHub does not "
            "have. Use type 'custom' with your own proxy, or ask the operator to map the type to an upstream "
            "proxy in AUTHHUB_PROXY_UPSTREAMS.",
            code="proxy_type_unavailable",
        )
    password = config.pop("password", None)
    ca_bundle = config.pop("ca_bundle", None)
    now = timezone.now()
    proxy = Proxy(
        created_at=now,
        updated_at=now,
        organization_id=project.organization_id,
        project=project,
        type=type,
        protocol=protocol or Proxy.Protocol.HTTPS,
        config=config,
        bypass_hosts=bypass_hosts or [],
    )
    proxy.set_name(name)
    proxy.password = password
    proxy.ca_bundle = ca_bundle
    proxy.save()
    logger.info("proxy %s (%s) created", proxy.pk, proxy.type)
    return proxy


@transaction.atomic
def proxy_rename(*, proxy: Proxy, name: str) -> Proxy:
    proxy.set_name(name)
    proxy.updated_at = timezone.now()
    proxy.save(update_fields=["name", "name_key", "updated_at"])
    return proxy


@transaction.atomic
def proxy_delete(*, proxy: Proxy) -> None:
    users = list(proxy.connections.values_list("pk", flat=True)[:3])
    if users:
        raise AppError(
            f"The proxy is used by connection(s) {', '.join(users)}; change their proxy first.", code="resource_in_use"
        )
    proxy.deleted_at = timezone.now()
    proxy.save(update_fields=["deleted_at"])


def proxy_url(proxy: Proxy) -> str:
    """The proxy as a URL with credentials, for HTTP clients and the browser."""
    if proxy.type != Proxy.Type.CUSTOM:
        return settings.AUTHHUB.proxy_upstreams[proxy.type]
    auth = ""
    if proxy.config.get("username"):
        auth = quote(proxy.config["username"], safe="")
        if proxy.password:
            auth += ":" + quote(proxy.password, safe="")
        auth += "@"
    host = proxy.config["host"]
    host = f"[{host}]" if ":" in host else host
    return f"{proxy.protocol}://{auth}{host}:{proxy.config['port']}"


def _is_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return any(not ipaddress.ip_address(info[4][0]).is_global for info in infos)


def _check_target(url: str | None) -> str:
    if not url:
        return settings.AUTHHUB.proxy_check_url or DEFAULT_CHECK_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AppError("url must be an http or https URL", code="invalid_request")
    if not settings.AUTHHUB.network.allow_private and _is_private(parts.hostname):
        raise AppError("url must resolve to a public address", code="invalid_request")
    return url


def proxy_check(*, proxy: Proxy, url: str | None = None) -> tuple[Proxy, str]:
    """Fetch ``url`` through the proxy. Without a url the result is stored as the proxy's status.

    Returns the proxy and the error message ('' when it worked).
    """
    target = _check_target(url)
    verify: Any = True
    bundle_file = None
    if proxy.ca_bundle:
        bundle_file = tempfile.NamedTemporaryFile("w", suffix=".pem")  # noqa: SIM115
        bundle_file.write(proxy.ca_bundle)
        bundle_file.flush()
        verify = ssl.create_default_context(cafile=bundle_file.name)
    error = ""
    try:
        with httpx.Client(proxy=proxy_url(proxy), verify=verify, timeout=settings.AUTHHUB.proxy_check_timeout) as client:
            response = client.get(target)
        if response.status_code >= 500 or response.status_code == 407:
            error = f"the proxy answered {response.status_code} {response.reason_phrase}"
    except httpx.ProxyError as exc:
        error = f"proxy error: {_describe(exc)}"
    except httpx.ConnectError as exc:
        # Every connection goes to the proxy first, so this one is the proxy's.
        error = f"cannot connect to the proxy: {_describe(exc)}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {_describe(exc)}"
    finally:
        if bundle_file is not None:
            bundle_file.close()
    status = Proxy.Status.UNAVAILABLE if error else Proxy.Status.AVAILABLE
    checked_at = timezone.now()
    if url is None:
        Proxy.objects.filter(pk=proxy.pk).update(status=status, last_checked=checked_at, last_check_error=error[:500])
    proxy.status, proxy.last_checked, proxy.last_check_error = status, checked_at, error[:500]
    logger.info("proxy %s check: %s%s", proxy.pk, status, f" ({error})" if error else "")
    return proxy, error


def _describe(exc: Exception) -> str:
    # httpx messages can contain the proxy URL; never echo its password.
    from authhub.redaction import redact

    return redact(str(exc) or type(exc).__name__)[:300]


# --- profiles ---------------------------------------------------------------------------------------


def profile_get(*, project: Project, ref: str) -> Profile:
    return get_by_id_or_name(Profile.objects.filter(project=project), ref, "Profile")


def _save_profile(profile: Profile, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            profile.save(**kwargs)
    except IntegrityError:
        raise Conflict(f"A profile named {profile.name!r} already exists in this project.", code="already_exists") from None


@transaction.atomic
def profile_create(*, project: Project, name: str | None = None) -> Profile:
    if name and Profile.objects.filter(project=project, name=name).exists():
        raise Conflict(f"A profile named {name!r} already exists in this project.", code="already_exists")
    now = timezone.now()
    profile = Profile(
        project=project, organization_id=project.organization_id, name=name or None, created_at=now, updated_at=now
    )
    _save_profile(profile)
    return profile


@transaction.atomic
def profile_rename(*, profile: Profile, name: str) -> Profile:
    profile.name = name
    profile.updated_at = timezone.now()
    _save_profile(profile, update_fields=["name", "updated_at"])
    return profile


@transaction.atomic
def profile_delete(*, profile: Profile) -> None:
    profile.delete()


# --- learned login plans ----------------------------------------------------------------------------


def learned_plan_get(*, project: Project, domain: str) -> dict[str, Any] | None:
    row = LearnedPlan.objects.filter(project=project, domain=domain).first()
    return row.plan if row else None


@transaction.atomic
def learned_plan_save(*, project: Project, domain: str, plan: dict[str, Any]) -> LearnedPlan:
    row, _ = LearnedPlan.objects.select_for_update().get_or_create(project=project, domain=domain)
    row.plan = plan
    row.successes = int(plan.get("successes", row.successes + 1))
    row.updated_at = timezone.now()
    row.save()
    return row
