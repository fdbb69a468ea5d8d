"""Where a secret may be typed or sent: the connection's domain, its allowed domains, and well-known
identity providers — each covering the exact host and its subdomains, matched by suffix.

Every ``*.localhost`` name is its own site (Chromium resolves them all to loopback), so
``localhost`` never covers ``evil.localhost``. Unlike Kernel, an empty ``allowed_domains`` does NOT
mean "anywhere": AuthHub types secrets only where it was told to.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Identity providers a login may pass through without being listed (Kernel's built-in list).
SSO_PROVIDER_DOMAINS = (
    "accounts.google.com",
    "login.microsoftonline.com",
    "login.live.com",
    "okta.com",
    "oktapreview.com",
    "auth0.com",
    "us.auth0.com",
    "eu.auth0.com",
    "au.auth0.com",
    "jp.auth0.com",
    "appleid.apple.com",
    "github.com",
    "www.facebook.com",
    "www.linkedin.com",
    "amazoncognito.com",
    "onelogin.com",
    "pingone.com",
    "pingidentity.com",
)


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


def host_matches(host: str, root: str) -> bool:
    if not host or not root:
        return False
    if host == root:
        return True
    if root == "localhost":
        return False  # every *.localhost host is a site of its own
    return host.endswith("." + root)


class HostPolicy:
    def __init__(self, domain: str, allowed_domains: list[str] | None = None, *, sso_builtin: bool = True) -> None:
        self.roots = [normalize_root(domain)] + [normalize_root(d) for d in allowed_domains or [] if d.strip()]
        if sso_builtin:
            self.roots += list(SSO_PROVIDER_DOMAINS)

    def allows_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host_matches(host, root) for root in self.roots)

    def allows_url(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        if scheme in ("about", "data", "blob"):
            return False
        return self.allows_host(host_of(url))
