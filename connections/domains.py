"""The checks every domain field and credential link goes through, at the API and again before a login.

One predicate (``HostPolicy.credential_usable``) decides both whether a credential may be linked to a
connection and — through ``HostPolicy.may_type_stored`` — where its values are typed, so the two can
never disagree.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from authhub.errors import AppError
from authhub.netpolicy import AddressRefused
from connections.engine.hosts import HostPolicy, normalize_root, too_broad


def _check_host(host: str, *, what: str, allow_ip_literal: bool) -> None:
    try:
        settings.AUTHHUB.network.check_host(host, allow_ip_literal=allow_ip_literal, what=what)
    except AddressRefused as exc:
        raise AppError(exc.message + ".", code=exc.code) from None


def check_domain(value: str, *, field: str = "domain") -> None:
    """A domain field names one owner's site on the network AuthHub may reach."""
    broad = too_broad(value)
    if broad:
        raise AppError(f"{field}: {broad}.", code="domain_too_broad")
    _check_host(normalize_root(value), what=field, allow_ip_literal=False)


def check_login_url(url: str) -> None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    if not host:
        raise AppError("login_url must be an absolute http or https URL.", code="invalid_request")
    _check_host(host, what="login_url host", allow_ip_literal=True)


def connection_problem(*, domain: str, allowed_domains: list[str], credential_domain: str | None) -> tuple[str, str] | None:
    """Why a connection (with its linked credential) breaks the rules: ``(code, message)``, or None."""
    for field, value in [("domain", domain), *(("allowed_domains", d) for d in allowed_domains)]:
        broad = too_broad(value)
        if broad:
            return "domain_too_broad", f"{field}: {broad}."
    if credential_domain is not None:
        broad = too_broad(credential_domain)
        if broad:
            return "domain_too_broad", f"The credential's domain: {broad}."
        if not HostPolicy(domain, allowed_domains, credential_domain=credential_domain).credential_usable():
            return "credential_domain_mismatch", (
                f"The credential is for {credential_domain}, which this connection ({domain}"
                f"{', allowing ' + ', '.join(allowed_domains) if allowed_domains else ''}) never signs in to: "
                "AuthHub types a credential's secrets only on its own domain. Link a credential for this site, "
                f"or add {credential_domain} to allowed_domains if the login really passes through it."
            )
    return None


def check_connection(*, domain: str, allowed_domains: list[str], credential_domain: str | None) -> None:
    problem = connection_problem(domain=domain, allowed_domains=allowed_domains, credential_domain=credential_domain)
    if problem is not None:
        raise AppError(problem[1], code=problem[0])
