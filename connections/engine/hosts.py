"""Where a value may be typed or sent: one set of rules for linking credentials, typing and the network.

- A connection's *policy* covers its domain, its ``allowed_domains`` and a few well-known identity
  providers, each with its subdomains. Nothing is typed outside it.
- A stored credential's secrets (password, TOTP, anything that is not an identifier) are typed only
  on the credential's own domain or its subdomains; its identifiers (username, email) also on the
  connection's domain, so home-realm discovery works (email on the site, password on its IdP).
- A *site* is what a browser trusts as one party: the registrable domain (``example.co.uk``,
  ``alice.github.io``, from the public-suffix list bundled with tldextract — no network fetch). Every
  ``*.localhost`` name is a site of its own (Chromium resolves them all to loopback), and under a
  multi-tenant identity-provider root (``okta.com``, ``auth0.com``…) every tenant host is its own site:
  ``acme.okta.com`` never covers ``evil.okta.com``.
- Domain fields may not be a public suffix or a multi-tenant root (``domain_too_broad``).

Unlike Kernel, an empty ``allowed_domains`` does NOT mean "anywhere".
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import tldextract

from authhub.netpolicy import is_localhost_name

# Identity providers a login may pass through without being listed (Kernel's built-in list, less the
# multi-tenant roots: there only exact tenant hosts may be allowed, through allowed_domains).
SSO_PROVIDER_DOMAINS = (
    "accounts.google.com",
    "login.microsoftonline.com",
    "login.live.com",
    "appleid.apple.com",
    "github.com",
    "www.facebook.com",
    "www.linkedin.com",
)

# Roots under which every subdomain is a different customer's tenant.
MULTI_TENANT_ROOTS = (
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "auth0.com",
    "onelogin.com",
    "pingone.com",
    "pingone.eu",
    "pingidentity.com",
    "b2clogin.com",
    "ciamlogin.com",
    "amazoncognito.com",
    "fusionauth.io",
    "kinde.com",
    # Software-as-a-service roots whose tenants sign in on their own subdomain.
    "my.salesforce.com",
    "force.com",
    "atlassian.net",
    "zendesk.com",
    "service-now.com",
)

IDENTIFIER_KEYS = frozenset({"username", "email"})

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), include_psl_private_domains=True, cache_dir=None)


def normalize_root(domain: str) -> str:
    """``*.Example.com``, ``www.example.com.`` → ``example.com``."""
    root = domain.strip().lower().rstrip(".")
    for prefix in ("*.", "www."):
        if root.startswith(prefix):
            root = root[len(prefix) :]
    return root


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def page_path(url: str) -> str:
    """A page as plans, loops and messages name it: host and path, without the query."""
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path or '/'}"


def tenant_root(host: str) -> str | None:
    """The multi-tenant root ``host`` is under (or is), if any."""
    return next((root for root in MULTI_TENANT_ROOTS if host == root or host.endswith("." + root)), None)


@cache
def site_of(host: str) -> str:
    """The party a host belongs to, for the network rules (see the module docstring)."""
    host = host.lower().rstrip(".")
    if is_localhost_name(host) or tenant_root(host):
        return host
    return _EXTRACT(host).top_domain_under_public_suffix or host


def too_broad(domain: str) -> str | None:
    """Why ``domain`` is too broad to scope secrets to (a public suffix, a multi-tenant root), or None."""
    domain = normalize_root(domain)
    if domain in MULTI_TENANT_ROOTS:
        return f"{domain} is shared by many tenants; name your tenant's own host (e.g. yourcompany.{domain})"
    if not is_localhost_name(domain):
        parts = _EXTRACT(domain)
        if not parts.domain and parts.suffix:
            return f"{domain} is a public suffix: every site under it is a different owner"
    return None


def host_matches(host: str, root: str) -> bool:
    if not host or not root:
        return False
    if host == root:
        return True
    if root == "localhost" or root in MULTI_TENANT_ROOTS or tenant_root(root):
        return False  # every *.localhost host, and every tenant under a shared root, is its own
    return host.endswith("." + root)


class HostPolicy:
    def __init__(
        self, domain: str, allowed_domains: list[str] | None = None, *, credential_domain: str | None = None,
        sso_builtin: bool = True,
    ) -> None:
        self.domain = normalize_root(domain)
        # What the connection names itself; the built-in identity providers come on top, for typing
        # what a person enters, but never make a stored credential usable (see credential_usable).
        self.named = [self.domain] + [normalize_root(d) for d in allowed_domains or [] if d.strip()]
        self.roots = list(self.named)
        if sso_builtin:
            self.roots += list(SSO_PROVIDER_DOMAINS)
        # A credential's values belong to its own domain; without one, to the connection's.
        self.credential_domain = normalize_root(credential_domain) if credential_domain else self.domain

    def allows_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host_matches(host, root) for root in self.roots)

    def allows_url(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        if scheme in ("about", "data", "blob"):
            return False
        return self.allows_host(host_of(url))

    def may_type_stored(self, key: str, host: str) -> bool:
        """Whether the stored credential's value for ``key`` may be typed on ``host``: a host the
        connection names itself (its domain or allowed_domains, not merely a built-in identity
        provider — or any connection could borrow the project's Google account) under the
        credential's domain; identifiers also on the connection's own domain."""
        if not any(host_matches(host, root) for root in self.named):
            return False
        if host_matches(host, self.credential_domain):
            return True
        return key in IDENTIFIER_KEYS and host_matches(host, self.domain)

    def credential_usable(self) -> bool:
        """Whether any host this connection may type on takes the credential's secrets: the one
        predicate linking checks, so a link that could never be used is refused up front."""
        cred = self.credential_domain
        return any(host_matches(cred, root) or host_matches(root, cred) for root in self.named)
