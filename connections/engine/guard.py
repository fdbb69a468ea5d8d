"""Network guard: what may leave the browser once it holds a secret.

Typing happens only where the host rules allow (``hosts.py``), but a page's own script could still
send what was typed elsewhere. Two rules, enforced with Playwright routes:

1. **Site lock.** Once a secret is typed, every request that carries a body, and every WebSocket
   message, to a host outside the site the secret was typed on is aborted — for as long as a document
   of that site is open in the context (the only place the typed value lives). When the login has
   left the site (an identity provider redirecting back to the app), the app's own requests flow again.
   WebSockets to hosts outside the connection's policy fail as they are constructed, secret or not,
   and no secret is typed while the page holds a WebSocket to another site.
2. **Content matching**, the extra defence for what rule 1 lets through (query strings, bodies after
   the lock released): a request outside the connection's policy, or outside a site a secret was
   typed on, that carries a secret — raw, URL-encoded, JSON-escaped, UTF-8 or base64 — is aborted.

Routes are registered with a URL regex checked inside the browser driver, so requests to the site
itself never make a round trip to Python.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
from collections.abc import Callable, Iterable
from urllib.parse import quote, quote_plus

from playwright.async_api import BrowserContext, Request, Route, WebSocket, WebSocketRoute
from playwright.async_api import Error as PlaywrightError

from connections.engine.egress import EgressListener
from connections.engine.hosts import HostPolicy, host_matches, host_of, site_of, tenant_root

logger = logging.getLogger(__name__)

BODYLESS = ("GET", "HEAD", "OPTIONS")

# In every document: a WebSocket to a host outside the connection's hosts fails as it is constructed.
# Cheap (Playwright's WebSocket routes inject a mock into every navigation, ~75 ms each), and enough
# before a secret is typed; after that the route installed by ``lock`` is the hard rule.
WEBSOCKET_GATE = """((pattern) => {
  const Native = window.WebSocket;
  if (!Native || Native.__authhub) return;
  const outside = new RegExp(pattern, "i");
  function WebSocket(url, protocols) {
    const target = new URL(url, location.href).href;
    if (outside.test(target)) throw new DOMException("AuthHub blocked a WebSocket to " + new URL(target).host, "SecurityError");
    return protocols === undefined ? new Native(target) : new Native(target, protocols);
  }
  WebSocket.prototype = Native.prototype;
  Object.assign(WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3, __authhub: true });
  window.WebSocket = WebSocket;
})"""


def _base64_forms(raw: bytes) -> set[str]:
    """The base64 text of ``raw`` wherever it starts in a larger encoded buffer (three alignments)."""
    forms = set()
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw).decode()
        start = (pad * 4 + 2) // 3  # characters that also encode the padding bytes
        end = ((pad + len(raw)) // 3) * 4  # the last characters may mix in what follows
        piece = encoded[start:end]
        if len(piece) >= 6:
            forms |= {piece, piece.replace("+", "-").replace("/", "_")}
    return forms


def secret_forms(secret: str) -> set[str]:
    """How a secret may appear in a URL or body, as Latin-1 text of the raw bytes."""
    utf8 = secret.encode("utf-8")
    forms = {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1], utf8.decode("latin-1")}
    forms |= _base64_forms(utf8)
    return {form for form in forms if form}


def _body(request: Request) -> bytes:
    try:
        return request.post_data_buffer or b""
    except PlaywrightError:
        return b""


def outside_pattern(roots: Iterable[str]) -> re.Pattern[str]:
    """Matches http(s)/ws(s) URLs whose host is NOT covered by ``roots`` (by ``host_matches``)."""
    roots = list(dict.fromkeys(roots))
    exact = "|".join(re.escape(root) for root in roots) or "(?!)"
    # Subdomains count, except under "localhost" and multi-tenant roots, where every name is its own.
    parents = "|".join(re.escape(r) for r in roots if r != "localhost" and not tenant_root(r)) or "(?!)"
    allowed_host = rf"(?:[^/?#@]*@)?(?:(?:[a-z0-9-]+\.)+(?:{parents})|(?:{exact}))(?::\d+)?(?:[/?#]|$)"
    return re.compile(rf"^(?:https?|wss?)://(?!{allowed_host})", re.IGNORECASE)


class NetworkGuard:
    def __init__(self, policy: HostPolicy, secrets: Callable[[], list[str]], egress: EgressListener | None = None) -> None:
        self.policy = policy
        self.egress = egress
        self.secrets = secrets
        self._blocked: list[str] = []
        self.locked_sites: set[str] = set()
        self.context: BrowserContext | None = None
        self._lock_route: re.Pattern[str] | None = None
        self._closing: set[asyncio.Future[None]] = set()
        self._sockets: set[WebSocket] = set()  # every WebSocket a page of the context opened, until closed

    @property
    def blocked(self) -> list[str]:
        """Hosts a request carrying a secret, or a body under the lock, was refused to (routes and egress)."""
        return self._blocked + (self.egress.blocked if self.egress is not None else [])

    def foreign_urls(self) -> re.Pattern[str]:
        """URLs outside the connection's policy (content matching applies to them)."""
        return outside_pattern(self.policy.roots)

    async def install(self, context: BrowserContext, *, expected_site: str | None = None) -> None:
        """``expected_site``: where the first secret will most likely be typed (the stored credential's
        site): its lock route is registered now, off the typing path, and stays inert until ``lock``."""
        self.context = context
        if self.egress is not None:
            self.egress.leaks = self._leaks
        # Sockets are watched from the start (CDP events, no injection): see ``lock``.
        context.on("page", lambda page: page.on("websocket", self._watch_socket))
        gate = f"{WEBSOCKET_GATE}({json.dumps(self.foreign_urls().pattern)})"
        steps = [context.route(self.foreign_urls(), self.handle), context.add_init_script(gate)]
        if expected_site:
            self._lock_route = outside_pattern([expected_site])
            steps.append(context.route(self._lock_route, self.handle_locked))
        await asyncio.gather(*steps)

    def _watch_socket(self, socket: WebSocket) -> None:
        self._sockets.add(socket)
        socket.on("close", lambda _: self._sockets.discard(socket))

    async def lock(self, host: str) -> str | None:
        """A secret is about to be typed on ``host``: from now on its site is the only place bodies and
        WebSockets may go. Returns why the secret must not be typed at all, or None."""
        site = site_of(host)
        if self.context is None:
            return None
        # A socket to elsewhere opened before (past the in-page gate, e.g. from a fresh frame's pristine
        # WebSocket) could carry the secret out: refuse to type while one is open.
        elsewhere = [s.url for s in self._sockets if not s.is_closed() and not host_matches(host_of(s.url), site)
                     and not self._in_locked_site(host_of(s.url))]
        if elsewhere:
            return f"the page holds a WebSocket to {host_of(elsewhere[0])}, another site"
        if site in self.locked_sites:
            return None
        self.locked_sites.add(site)
        if self.egress is not None:
            # The same lock where every plain-http request passes: bodies the routes do not see stay in too.
            self.egress.allow = self._may_connect
        pattern = outside_pattern(self.locked_sites)
        steps = [self.context.route_web_socket(pattern, self.handle_websocket)]
        previous = self._lock_route
        if previous is None or pattern.pattern != previous.pattern:
            self._lock_route = pattern
            steps.append(self.context.route(pattern, self.handle_locked))
        await asyncio.gather(*steps)
        if previous is not None and previous is not self._lock_route:
            await self.context.unroute(previous, self.handle_locked)  # only once the new one is in place
        return None

    # --- decisions --------------------------------------------------------------------------------

    def _leaks(self, url: str) -> bool:
        """A URL carrying a secret outside the connection's hosts, or outside a site a secret was typed on."""
        host = host_of(url)
        outside = not self.policy.allows_host(host) or (bool(self.locked_sites) and not self._in_locked_site(host))
        return outside and self.carries_secret(url, b"")

    def _may_connect(self, host: str) -> bool:
        return not self.lock_active() or self._in_locked_site(host)

    def _in_locked_site(self, host: str) -> bool:
        return any(host_matches(host, site) for site in self.locked_sites)

    def lock_active(self) -> bool:
        """Whether a document of a site a secret was typed on is still open (where the value lives)."""
        if not self.locked_sites or self.context is None:
            return False
        return any(self._in_locked_site(host_of(frame.url)) for page in self.context.pages for frame in page.frames)

    def carries_secret(self, url: str, body: bytes) -> bool:
        haystack = url + "\n" + body.decode("latin-1")
        return any(form in haystack for secret in self.secrets() for form in secret_forms(secret))

    def _block(self, url: str, why: str) -> None:
        host = host_of(url)
        self._blocked.append(host)
        logger.warning("blocked a request to %s: %s", host, why)

    async def _abort_if_secret(self, route: Route, url: str, body: bytes) -> bool:
        if not self.carries_secret(url, body):
            return False
        self._block(url, "it carries a secret")
        await route.abort("blockedbyclient")
        return True

    async def handle_locked(self, route: Route, request: Request) -> None:
        """Requests outside every locked site: bodies are refused while the site's document is open."""
        if not self.locked_sites:  # registered ahead of the first secret (see install): inert until then
            await route.fallback()
            return
        body = _body(request)
        if (request.method not in BODYLESS or body) and self.lock_active():
            self._block(request.url, "a body leaving the site a secret was typed on")
            await route.abort("blockedbyclient")
            return
        # A query string carrying it, to any other site.
        if not await self._abort_if_secret(route, request.url, body):
            await route.fallback()

    async def handle(self, route: Route, request: Request) -> None:
        if not await self._abort_if_secret(route, request.url, _body(request)):
            await route.fallback()

    async def handle_websocket(self, ws: WebSocketRoute) -> None:
        """Routed once a secret is typed, for hosts outside its site: closed before they connect while a
        document of the site is open; otherwise connected, and watched message by message."""
        host = host_of(ws.url)
        if not self.policy.allows_host(host):
            logger.info("closed a WebSocket to %s: not one of the connection's hosts", host)
            await ws.close(code=1008, reason="blocked by AuthHub")
            return
        if self.lock_active() and not self._in_locked_site(host):
            self._block(ws.url, "a WebSocket leaving the site a secret was typed on")
            await ws.close(code=1008, reason="blocked by AuthHub")
            return
        server = ws.connect_to_server()

        def to_server(message: str | bytes) -> None:
            if self.lock_active() and not self._in_locked_site(host):
                self._block(ws.url, "a WebSocket message leaving the site a secret was typed on")
                # A sync callback: the closes run as tasks (kept, so they are not collected mid-flight).
                self._closing.update(asyncio.ensure_future(c) for c in (ws.close(code=1008), server.close()))
                return
            server.send(message)

        ws.on_message(to_server)
