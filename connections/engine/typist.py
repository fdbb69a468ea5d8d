"""Typing, with every check that decides where a value may go.

Every value the engine types goes through :meth:`Typist.type`: only on the connection's hosts; a
stored credential's value only where it belongs; never into plain http unless that was chosen; masked
when recording. A secret locks the network to the site it is typed on before it is typed.
"""

from __future__ import annotations

import asyncio
import secrets
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Locator

from authhub.netpolicy import is_localhost_name
from connections.engine.guard import NetworkGuard
from connections.engine.hosts import IDENTIFIER_KEYS, HostPolicy, host_of
from connections.engine.types import LoginRequest

PIN = "(el, pin) => { el.setAttribute('data-authhub-pin', pin); return el.ownerDocument.location.href; }"
PINNED_FILL_MS = 3000  # the marked element exists already: waiting longer only hides a swapped document
MASK = """el => { el.setAttribute('data-authhub-masked', '');
  el.style.setProperty('-webkit-text-security', 'disc', 'important'); }"""


class Refused(PlaywrightError):
    """A value was about to be typed where it does not belong."""

    def __init__(self, url: str, reason: str = "") -> None:
        super().__init__(f"refused to type into {host_of(url)}")
        self.url = url
        self.reason = reason


class Typist:
    def __init__(self, policy: HostPolicy, guard: NetworkGuard, request: LoginRequest, *, allow_private: bool) -> None:
        self.policy = policy
        self.guard = guard
        self.request = request
        self.allow_private = allow_private
        self.typed_hosts: dict[str, str] = {}  # credential key -> the host it was typed on
        self.mask = False  # set while recording: typed fields are masked before they are filled

    @property
    def typed_anything(self) -> bool:
        return bool(self.typed_hosts)

    async def type(self, frame: Frame, locator: Locator, value: str, key: str, *, stored: bool) -> None:
        """The checks and the typing are pinned to one element of one document: the element gets a random
        mark as its document's URL is read, and only the marked element is filled. A frame that navigates
        in between has no such element, so the fill fails instead of typing into the new document."""
        pin = secrets.token_hex(8)
        expected = frame.url
        self.check(expected, key, stored=stored)
        # The network lock for a secret goes up while the element is marked (two round trips at once);
        # the marked document must then be the one the checks and the lock were made for.
        secret = key not in IDENTIFIER_KEYS
        url, why = await asyncio.gather(
            locator.evaluate(PIN, pin), self.guard.lock(host_of(expected)) if secret else _none(),
        )
        url = str(url)
        host = host_of(url)
        if host != host_of(expected):
            raise Refused(url, f"the page moved from {host_of(expected)} to {host} as AuthHub was about to type")
        self.check(url, key, stored=stored)
        if why:
            raise Refused(url, why)
        pinned = frame.locator(f'[data-authhub-pin="{pin}"]')
        if self.mask:
            await pinned.evaluate(MASK)
        await pinned.fill(value, timeout=PINNED_FILL_MS)
        self.typed_hosts[key] = host

    def check(self, url: str, key: str, *, stored: bool) -> None:
        host = host_of(url)
        if not self.policy.allows_url(url):
            raise Refused(url)
        if stored and not self.policy.may_type_stored(key, host):
            raise Refused(url, f"the stored credential is for {self.policy.credential_domain}, not {host}")
        if urlsplit(url).scheme != "https" and not self.http_ok(host):
            raise Refused(url, f"{host} is served over plain http, where anyone on the path could read it")

    def http_ok(self, host: str) -> bool:
        """Plain http only when the connection's own login_url is http:// (an explicit choice), on its
        host, or for the local sandbox names while private networks are allowed."""
        login_url = self.request.login_url or ""
        return (login_url.startswith("http://") and host_of(login_url) == host) or self.local_http_ok(host)

    def local_http_ok(self, host: str) -> bool:
        return is_localhost_name(host) and self.allow_private

    def form_problem(self, action: str | None) -> str | None:
        """Why a form that sends to ``action`` must not be filled (checked before anything is typed)."""
        if not action or action.startswith(("javascript:", "about:")):
            return None
        if not self.policy.allows_url(action):
            return (f"The login form sends to {host_of(action)}, which is not an allowed domain; "
                    "AuthHub did not type anything.")
        if action.startswith("http://") and not self.http_ok(host_of(action)):
            return (f"The login form sends to plain http on {host_of(action)}, where anyone on the path could "
                    "read it; AuthHub did not type anything.")
        return None


async def _none() -> None:
    return None
