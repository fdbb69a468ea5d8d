"""Sandbox sites modelled on well-known public logins (issue 8), one module each.

Every module here is imported by ``tests.sites.server``; each :class:`~tests.sites.framework.Site`
subclass with a ``scenario`` is served and driven by the generic end-to-end tests
(``tests/connections/engine/test_real_sites.py``): log in, wrong password unattended and interactive,
and the no-session variant. A site's ``scenario`` says how a user would set its connection up.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

from tests.sites.framework import Site

SHAPES = ("interstitial", "sso_only", "entry_point", "form", "site_error", "late_spa", "mfa_rows")


@dataclass(frozen=True)
class Scenario:
    """How the end-to-end tests log in to a site, as a user would configure the connection."""

    host: str  # the connection's domain (and the host that ends up with the session)
    modelled_on: str  # "Atlassian", "Keycloak"…
    shapes: tuple[str, ...]  # which of SHAPES the site exercises
    values: dict[str, str]  # the stored credential (accounts.*)
    path: str | None = None  # the login_url path; None: start from the bare domain, as a user would
    totp: bool = False  # store accounts.TOTP_SECRET too
    sso_provider: str | None = None
    allowed_domains: tuple[str, ...] = ()  # e.g. the identity provider's host
    credential_domain: str | None = None  # where the stored secrets belong (default: host)
    # What a person answers, in order, when the login pauses: "code" (the last code the site sent, from
    # ``sent_codes(code_host or host)``), "mfa:<type>", "sso:<provider>".
    answers: tuple[str, ...] = ()
    code_host: str | None = None
    # Where wrong-password submissions are counted (``login_attempts``): the host that checks passwords.
    password_host: str | None = None
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _modules() -> list[str]:
    return sorted(name for _, name, _ in pkgutil.iter_modules(__path__) if not name.startswith("_"))


def site_classes() -> tuple[type[Site], ...]:
    found: list[type[Site]] = []
    for name in _modules():
        module = importlib.import_module(f"{__name__}.{name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Site) and value is not Site and value.hosts:
                if value.__module__ == module.__name__ and value not in found:
                    found.append(value)
    return tuple(found)


def scenarios() -> list[Scenario]:
    return [cls.scenario for cls in site_classes() if isinstance(getattr(cls, "scenario", None), Scenario)]
