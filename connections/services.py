"""Proxy and profile workflows."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from authhub.errors import AppError, Conflict, NotFound
from authhub.models import Project
from authhub.netpolicy import AddressRefused
from authhub.outbound import AddressNotAllowed, ConnectFailed, check_request_host, outbound_client
from authhub.selectors import get_by_id_or_name
from connections.models import LearnedPlan, LoginFlow, Profile, Proxy

logger = logging.getLogger(__name__)

DEFAULT_CHECK_URL = "https://www.gstatic.com/generate_204"

# What a check reports. One message per side, whatever went wrong on it: a check must not tell a caller
# whether a port behind the proxy refused, timed out or spoke something else (that is a port scanner).
CHECK_PROXY_UNREACHABLE = "cannot connect to the proxy"
CHECK_PROXY_AUTH_REFUSED = "the proxy refused the credentials (407 Proxy Authentication Required)"
CHECK_TARGET_FAILED = "the proxy did not deliver a working response from the check URL"

CA_BUNDLE_UNSUPPORTED = (
    "ca_bundle is not supported: Chromium on Linux trusts certificates per browser (its NSS database), not per "
    "login, so one proxy's intercepting CA would be trusted for every login this AuthHub runs. Create the proxy "
    "without ca_bundle and let it tunnel TLS (CONNECT) instead of intercepting it; an operator who needs an "
    "intercepting proxy can run a dedicated AuthHub whose browser trusts that CA."
)


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


def _proxy_host_check(host: str) -> None:
    """Refuse a proxy host in the host's own network (by its form: a name is checked again when connecting)."""
    try:
        settings.AUTHHUB.network.check_host(host, allow_ip_literal=True, what="proxy host")
    except AddressRefused as exc:
        raise AppError(exc.message, code="address_not_allowed") from None


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
    if config.pop("ca_bundle", None) is not None:
        raise AppError(CA_BUNDLE_UNSUPPORTED, code="ca_bundle_unsupported")
    if type == Proxy.Type.CUSTOM:
        _proxy_host_check(config["host"])
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
    """Soft-delete a proxy nothing uses: no connection, and no login in progress (queued or running) that
    was started with it, so a login never loses its proxy half-way (and never falls back to direct)."""
    # Lock the row so two deletes decide one at a time (on SQLite every write transaction is serialized
    # anyway). A login started at the same moment is not ordered by this lock: if it slips past, the
    # runner fails it proxy_unavailable — it never runs direct.
    Proxy.objects.select_for_update().filter(pk=proxy.pk).first()
    users = list(proxy.connections.values_list("pk", flat=True)[:3])
    if users:
        raise AppError(
            f"The proxy is used by connection(s) {', '.join(users)}; change their proxy first.", code="resource_in_use"
        )
    logins = list(
        LoginFlow.objects.filter(status=LoginFlow.Status.IN_PROGRESS, options__proxy_id=proxy.pk)
        .values_list("connection_id", flat=True)
        .distinct()[:3]
    )
    if logins:
        raise AppError(
            f"The proxy is used by a login in progress on connection(s) {', '.join(logins)}; wait for it to "
            "finish or cancel it first.",
            code="resource_in_use",
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


def _check_target(url: str | None) -> str:
    """The URL a check fetches, refused before any connection when the policy refuses its host."""
    target = url or settings.AUTHHUB.proxy_check_url or DEFAULT_CHECK_URL
    try:
        parts = urlsplit(target)
    except ValueError:
        raise AppError("url is not a valid URL", code="invalid_request") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AppError("url must be an http or https URL", code="invalid_request")
    try:
        # The host as written first: httpx rejects some notations (0177.0.0.1) that others read as an address.
        settings.AUTHHUB.network.check_host(parts.hostname, allow_ip_literal=True, what="url host")
        check_request_host(settings.AUTHHUB.network, httpx.URL(target))
    except (AddressRefused, AddressNotAllowed) as exc:
        raise AppError(exc.message, code="address_not_allowed") from None
    except httpx.InvalidURL:
        raise AppError("url is not a valid URL", code="invalid_request") from None
    return target


def _check_outcome(status: int) -> str:
    if status == 407:
        return CHECK_PROXY_AUTH_REFUSED
    return CHECK_TARGET_FAILED if status >= 500 else ""


def proxy_check(*, proxy: Proxy, url: str | None = None) -> tuple[Proxy, str]:
    """Fetch ``url`` through the proxy. Without a url the result is stored as the proxy's status.

    A url (or proxy) the network policy refuses is a 400 ``address_not_allowed`` before any connection.
    Otherwise returns the proxy and the error message ('' when it worked): one of the ``CHECK_*`` messages,
    so the answer says which side failed and nothing more (details go to the log).
    """
    target = _check_target(url)
    detail = ""
    try:
        # Through the outbound client: the connection to the proxy is checked by address, the target by form.
        with outbound_client(proxy=proxy_url(proxy), timeout=settings.AUTHHUB.proxy_check_timeout) as client:
            # Only the status matters: the body is never read.
            with client.stream("GET", target) as response:
                error = _check_outcome(response.status_code)
                detail = f"{response.status_code} {response.reason_phrase}"
    except AddressNotAllowed as exc:
        raise AppError(f"This proxy cannot be used: {exc.message}", code="address_not_allowed") from None
    except (ConnectFailed, httpx.InvalidURL) as exc:
        # Every TCP connection of a proxied client goes to the proxy, so this one is the proxy's.
        error, detail = CHECK_PROXY_UNREACHABLE, _describe(exc)
    except httpx.ProxyError as exc:
        # The proxy answered CONNECT with an error: 407 is about us, anything else about the target.
        error = CHECK_PROXY_AUTH_REFUSED if str(exc).startswith("407") else CHECK_TARGET_FAILED
        detail = _describe(exc)
    except httpx.HTTPError as exc:
        error, detail = CHECK_TARGET_FAILED, f"{type(exc).__name__}: {_describe(exc)}"
    status = Proxy.Status.UNAVAILABLE if error else Proxy.Status.AVAILABLE
    checked_at = timezone.now()
    if url is None:
        Proxy.objects.filter(pk=proxy.pk).update(status=status, last_checked=checked_at, last_check_error=error[:500])
    proxy.status, proxy.last_checked, proxy.last_check_error = status, checked_at, error[:500]
    logger.info("proxy %s check: %s (%s)", proxy.pk, status, detail)
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
