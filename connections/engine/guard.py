"""Network guard: no request leaves the browser for a host that is not allowed with a secret in it.

Typing happens only on allowed hosts, but a page's own script could still send what was typed
elsewhere (or a form could post to another host). Every request is checked; one to a foreign host
that carries a secret — in its URL or body, raw, URL-encoded or JSON-escaped — is aborted.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from urllib.parse import quote, quote_plus

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Request, Route

from connections.engine.hosts import HostPolicy, host_of

logger = logging.getLogger(__name__)


def _forms(secret: str) -> set[str]:
    return {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}


class NetworkGuard:
    def __init__(self, policy: HostPolicy, secrets: Callable[[], list[str]]) -> None:
        self.policy = policy
        self.secrets = secrets
        self.blocked: list[str] = []

    def foreign_urls(self) -> re.Pattern[str]:
        """Matches http(s)/ws(s) URLs whose host is NOT allowed. Given to ``context.route``, it is checked
        inside the browser driver, so requests to allowed hosts never make a round trip to Python."""
        roots = "|".join(re.escape(root) for root in self.policy.roots)
        # Subdomains are allowed too, except under "localhost", where every name is a site of its own.
        parents = "|".join(re.escape(root) for root in self.policy.roots if root != "localhost") or "(?!)"
        allowed_host = rf"(?:[^/?#@]*@)?(?:(?:[a-z0-9-]+\.)+(?:{parents})|(?:{roots}))(?::\d+)?(?:[/?#]|$)"
        return re.compile(rf"^(?:https?|wss?)://(?!{allowed_host})", re.IGNORECASE)

    def carries_secret(self, request: Request) -> bool:
        try:
            body = request.post_data_buffer or b""
        except PlaywrightError:
            body = b""
        haystack = request.url + "\n" + body.decode("latin-1")
        return any(form in haystack for secret in self.secrets() for form in _forms(secret))

    async def handle(self, route: Route, request: Request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")) or self.policy.allows_url(url):
            await route.continue_()
            return
        if self.carries_secret(request):
            host = host_of(url)
            self.blocked.append(host)
            logger.warning("blocked a request carrying a secret to %s", host)
            await route.abort("blockedbyclient")
            return
        await route.continue_()
