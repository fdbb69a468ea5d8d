"""The egress guard, with real Chromium contexts using it as their proxy, the real sandbox sites, a real
forward proxy upstream and small real servers (raw HTTP, WebSocket) that count what reaches them."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.async_api import Browser, Page
from playwright.async_api import Error as PlaywrightError

from authhub.netpolicy import NetworkPolicy
from connections.engine import BrowserHost
from connections.engine.egress import EgressGuard, EgressListener
from tests.connections.engine.conftest import Loop
from tests.sites.server import SandboxServer
from tests.support.servers import ForwardProxy

DEVELOPMENT = NetworkPolicy(allow_private=True)
PRODUCTION = NetworkPolicy(allow_private=False)
WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


# --- real servers that count what reaches them ----------------------------------------------------


class RawSite:
    """An HTTP/1.1 server on 127.0.0.1 and [::1] (one port) that keeps every request's raw bytes,
    counts connections, answers ``ok`` and closes."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[bytes] = []
        self.servers: list[asyncio.Server] = []
        self.port = 0

    async def start(self) -> RawSite:
        for _ in range(20):  # the free IPv4 port may be taken on ::1; another pair then
            v4 = await asyncio.start_server(self._serve, "127.0.0.1", 0)
            self.port = v4.sockets[0].getsockname()[1]
            try:
                v6 = await asyncio.start_server(self._serve, "::1", self.port)
            except OSError:
                v4.close()
                continue
            self.servers = [v4, v6]
            return self
        raise RuntimeError("no port free on both 127.0.0.1 and ::1")

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            body = b""
            if b"transfer-encoding: chunked" in head.lower():
                body = await reader.readuntil(b"\r\n0\r\n\r\n")
            elif match := re.search(rb"(?i)content-length:\s*(\d+)", head):
                body = await reader.readexactly(int(match.group(1)))
            self.requests.append(head + body)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        for server in self.servers:
            server.close()
            await server.wait_closed()


class WebSocketSite:
    """A WebSocket server (RFC 6455 handshake) that holds each connection until the other side ends it."""

    async def start(self) -> WebSocketSite:
        self.opened = asyncio.Event()
        self.ended = asyncio.Event()
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port: int = self.server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"ws://ws.localhost:{self.port}/socket"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        found = re.search(rb"(?im)^sec-websocket-key:\s*(\S+)", head)
        assert found is not None
        accept = base64.b64encode(hashlib.sha1(found.group(1) + WS_GUID, usedforsecurity=False).digest())
        writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        self.opened.set()
        with contextlib.suppress(ConnectionError):
            while await reader.read(65536):
                pass
        self.ended.set()
        writer.close()

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()


# --- helpers --------------------------------------------------------------------------------------


@dataclass
class Visit:
    status: int | None  # None: the navigation failed outright (see ``error``)
    refused: bool  # the answer came from the guard's refusal (X-AuthHub-Refused)
    text: str
    error: str = ""


async def visit(page: Page, url: str) -> Visit:
    try:
        response = await page.goto(url, timeout=15_000)
    except PlaywrightError as exc:
        return Visit(None, False, "", str(exc).splitlines()[0])
    assert response is not None
    return Visit(response.status, response.headers.get("x-authhub-refused") == "1", await page.inner_text("body"))


@contextlib.asynccontextmanager
async def browsing(browser: Browser | None, policy: NetworkPolicy, *, upstream: dict[str, str] | None = None,
                   static_hosts: dict[str, str] | None = None) -> AsyncIterator[tuple[EgressListener, Page]]:
    """A Chromium context whose only way out is a fresh guard listener."""
    assert browser is not None
    listener = await EgressGuard(policy, static_hosts=static_hosts, connect_timeout=5).open(upstream)
    context = await browser.new_context(proxy=listener.playwright_proxy())  # type: ignore[arg-type]
    try:
        yield listener, await context.new_page()
    finally:
        await context.close()
        await listener.close()


def named(listener: EgressListener, destination: str) -> bool:
    return any(entry.startswith(destination + " — ") for entry in listener.refused)


def paths(sandbox: SandboxServer, host: str) -> list[str]:
    return [r["path"] for r in sandbox.received(host)]


async def ask(port: int, request: bytes) -> bytes:
    """Raw bytes to the guard; its whole answer, read until it closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


OPEN_WEBSOCKET = """url => new Promise((resolve) => {
  window.__ws = {closed: false};
  const ws = new WebSocket(url);
  ws.onopen = () => resolve(true);
  ws.onclose = () => { window.__ws.closed = true; resolve(false); };
})"""


# --- tests ----------------------------------------------------------------------------------------


def test_a_sandbox_page_loads_through_the_guard_and_the_browser_has_no_other_way(
    loop: Loop, browser_host: BrowserHost, sandbox: SandboxServer
) -> None:
    path = f"/login-{uuid.uuid4().hex}"

    async def scenario() -> None:
        async with browsing(browser_host.browser, DEVELOPMENT) as (listener, page):
            shown = await visit(page, sandbox.url("classic.localhost", "/login"))
            assert shown.status == 200 and not shown.refused
            assert "password" in (await page.content()).lower()
            assert listener.seen[f"classic.localhost:{sandbox.port}"] >= 1
            assert listener.refused == []
            # Once the guard is gone, nothing loads: Chromium does not fall back to a direct connection.
            await listener.close()
            gone = await visit(page, sandbox.url("classic.localhost", path))
            assert gone.status is None and "ERR_PROXY_CONNECTION_FAILED" in gone.error

    loop.run(scenario())
    assert path not in paths(sandbox, "classic.localhost")


@pytest.mark.parametrize(
    ("host", "destination"),
    [
        ("classic.localhost", "classic.localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # Chromium canonicalises decimal and hex IPv4 before asking us
        ("0x7f000001", "127.0.0.1"),
        ("[::ffff:127.0.0.1]", "[::ffff:7f00:1]"),
        ("[::1]", "[::1]"),
    ],
)
def test_the_host_network_is_refused_in_every_notation(loop: Loop, browser_host: BrowserHost, host: str,
                                                       destination: str) -> None:
    async def scenario() -> None:
        site = await RawSite().start()  # listens on 127.0.0.1 and ::1: every form above reaches it
        try:
            async with browsing(browser_host.browser, PRODUCTION) as (listener, page):
                shown = await visit(page, f"http://{host}:{site.port}/account?token=x")
                assert shown.status == 403 and shown.refused, shown
                assert "AuthHub refused" in shown.text
                assert named(listener, f"{destination}:{site.port}"), listener.refused
            assert site.connections == 0
        finally:
            await site.stop()

    loop.run(scenario())


def test_a_raw_client_gets_the_same_refusals_for_notations_browsers_would_rewrite(loop: Loop) -> None:
    async def scenario() -> None:
        site = await RawSite().start()
        listener = await EgressGuard(PRODUCTION).open()
        try:
            for host in ("0177.0.0.1", "127.1", "0x7f.1", "2130706433", "[::ffff:127.0.0.1]", "[::127.0.0.1]",
                         "[0:0:0:0:0:0:0:1]", "localhost", "0.0.0.0"):  # noqa: S104 - a target, not a bind
                answer = await ask(listener.port, f"CONNECT {host}:{site.port} HTTP/1.1\r\n\r\n".encode())
                assert answer.startswith(b"HTTP/1.1 403 ") and b"X-AuthHub-Refused: 1" in answer, (host, answer)
                plain = await ask(listener.port, f"GET http://{host}:{site.port}/ HTTP/1.1\r\n\r\n".encode())
                assert plain.startswith(b"HTTP/1.1 403 "), (host, plain)
            assert site.connections == 0
            assert len(listener.refused) == 9  # each destination named once, however often it was tried
        finally:
            await listener.close()
            await site.stop()

    loop.run(scenario())


def test_an_allow_list_entry_opens_exactly_what_it_names(loop: Loop, browser_host: BrowserHost,
                                                         sandbox: SandboxServer) -> None:
    refused_path, cidr_path, named_path = (f"/allow-{uuid.uuid4().hex}" for _ in range(3))

    async def scenario() -> None:
        async with browsing(browser_host.browser, PRODUCTION) as (listener, page):
            assert (await visit(page, sandbox.url("classic.localhost", refused_path))).refused

        by_cidr = NetworkPolicy.from_entries(allow_private=False, entries=["127.0.0.1/32"])
        async with browsing(browser_host.browser, by_cidr) as (listener, page):
            shown = await visit(page, f"http://127.0.0.1:{sandbox.port}{cidr_path}")
            assert shown.status == 404 and not shown.refused and "no site here" in shown.text  # the sandbox's page
            assert (await visit(page, f"http://[::1]:{sandbox.port}/")).refused
            assert (await visit(page, sandbox.url("classic.localhost", cidr_path))).refused  # a local-only name

        by_name = NetworkPolicy.from_entries(allow_private=False, entries=["classic.localhost"])
        async with browsing(browser_host.browser, by_name) as (listener, page):
            shown = await visit(page, sandbox.url("classic.localhost", named_path))
            assert shown.status == 404 and not shown.refused
            assert (await visit(page, sandbox.url("steps.localhost", named_path))).refused
            assert named(listener, f"steps.localhost:{sandbox.port}")

    loop.run(scenario())
    assert refused_path not in paths(sandbox, "classic.localhost")
    assert named_path in paths(sandbox, "classic.localhost")
    assert named_path not in paths(sandbox, "steps.localhost")


def test_metadata_addresses_are_refused_even_with_private_networks_allowed(loop: Loop,
                                                                          browser_host: BrowserHost) -> None:
    async def scenario() -> None:
        # connect_timeout is 5 s: a refusal must come at once, not as a 504 after trying to connect.
        mapped = {"metadata.example.com": "169.254.169.254"}
        async with browsing(browser_host.browser, DEVELOPMENT, static_hosts=mapped) as (listener, page):
            for url in ("http://169.254.169.254/latest/meta-data/iam/", "http://metadata.example.com/",
                        "http://metadata.google.internal/computeMetadata/v1/", "http://[fd00:ec2::254]/"):
                shown = await visit(page, url)
                assert shown.status == 403 and shown.refused, (url, shown)
            assert "cloud metadata" in listener.refused[0]

    loop.run(scenario())


def test_static_hosts_send_a_real_world_name_to_the_mapped_address_which_is_still_checked(
    loop: Loop, browser_host: BrowserHost, sandbox: SandboxServer
) -> None:
    # A name no sandbox site serves (and that public DNS does not send here).
    mapped = {"sso.acme-corp.com": "127.0.0.1"}

    async def scenario() -> None:
        async with browsing(browser_host.browser, DEVELOPMENT, static_hosts=mapped) as (listener, page):
            shown = await visit(page, f"http://sso.acme-corp.com:{sandbox.port}/app")
            # The sandbox answers a name it does not serve with its own 404 page naming the Host it got.
            assert shown.status == 404 and "Nothing is served for sso.acme-corp.com" in shown.text
            assert listener.seen[f"sso.acme-corp.com:{sandbox.port}"] >= 1
        async with browsing(browser_host.browser, PRODUCTION, static_hosts=mapped) as (listener, page):
            assert (await visit(page, f"http://sso.acme-corp.com:{sandbox.port}/app")).refused
            assert named(listener, f"sso.acme-corp.com:{sandbox.port}")

    loop.run(scenario())


@pytest.mark.parametrize("proxy_host", ["127.0.0.1", "::1"])
def test_an_upstream_proxy_carries_every_request_and_is_not_bypassed(
    loop: Loop, browser_host: BrowserHost, sandbox: SandboxServer, proxy_host: str
) -> None:
    proxy = ForwardProxy(host=proxy_host)
    server = f"http://[{proxy_host}]:{proxy.port}" if ":" in proxy_host else f"http://{proxy_host}:{proxy.port}"
    path = f"/upstream-{uuid.uuid4().hex}"

    async def scenario() -> int:
        ws = await WebSocketSite().start()
        upstream = {"server": server, "bypass": "<-loopback>"}  # Playwright's loopback rule: no bypass here
        try:
            async with browsing(browser_host.browser, DEVELOPMENT, upstream=upstream) as (listener, page):
                assert (await visit(page, sandbox.url("classic.localhost", path))).status == 404
                assert await page.evaluate(OPEN_WEBSOCKET, ws.url)  # a CONNECT tunnel through the upstream
                assert set(listener.seen) == {server.removeprefix("http://")}  # nothing went direct
                return ws.port
        finally:
            await ws.stop()

    try:
        ws_port = loop.run(scenario())
        assert ("GET", f"http://classic.localhost:{sandbox.port}{path}") in proxy.requests
        assert ("CONNECT", f"ws.localhost:{ws_port}") in proxy.requests
        assert path in paths(sandbox, "classic.localhost")
    finally:
        proxy.stop()


def test_upstream_credentials_are_sent_and_its_refusals_reach_the_browser_at_once(
    loop: Loop, browser_host: BrowserHost, sandbox: SandboxServer
) -> None:
    proxy = ForwardProxy(credentials="agent:s3cret")
    server = f"http://127.0.0.1:{proxy.port}"

    async def scenario() -> None:
        good = {"server": server, "username": "agent", "password": "s3cret"}
        async with browsing(browser_host.browser, DEVELOPMENT, upstream=good) as (listener, page):
            assert (await visit(page, sandbox.url("classic.localhost", "/login"))).status == 200
        bad = {"server": server, "username": "agent", "password": "wrong"}
        async with browsing(browser_host.browser, DEVELOPMENT, upstream=bad) as (listener, page):
            # Plain HTTP: the upstream's 407 (its Proxy-Authenticate stripped: the browser cannot
            # answer for us) fails the page at once.
            shown = await visit(page, sandbox.url("classic.localhost", "/login"))
            assert shown.status is None and "ERR_HTTP_RESPONSE_CODE_FAILURE" in shown.error
            # CONNECT: the upstream's status line is relayed, and the guard closes instead of hanging.
            answer = await ask(listener.port, f"CONNECT classic.localhost:{sandbox.port} HTTP/1.1\r\n\r\n".encode())
            assert answer.startswith(b"HTTP/1.1 407 Proxy Authentication Required\r\n")
            fresh = await page.context.new_page()  # the first one is busy settling on Chromium's error page
            assert not await fresh.evaluate(OPEN_WEBSOCKET, f"ws://ws.localhost:{sandbox.port}/")

    try:
        loop.run(scenario())
        assert ("GET", f"http://classic.localhost:{sandbox.port}/login") in proxy.requests
    finally:
        proxy.stop()


def test_bypass_hosts_go_direct_and_are_still_checked(loop: Loop, browser_host: BrowserHost,
                                                     sandbox: SandboxServer) -> None:
    proxy = ForwardProxy()
    path = f"/bypass-{uuid.uuid4().hex}"
    upstream = {"server": f"http://127.0.0.1:{proxy.port}", "bypass": "<-loopback>, classic.localhost, .example.test"}

    async def scenario() -> None:
        async with browsing(browser_host.browser, DEVELOPMENT, upstream=upstream) as (listener, page):
            assert (await visit(page, sandbox.url("classic.localhost", path))).status == 404
            assert (await visit(page, sandbox.url("steps.localhost", path))).status == 404
            assert listener.seen[f"classic.localhost:{sandbox.port}"] >= 1
            assert listener.seen[f"127.0.0.1:{proxy.port}"] >= 1
        # The upstream itself is allowed by CIDR; the bypassed host still meets the policy, and fails it.
        only_proxy = NetworkPolicy.from_entries(allow_private=False, entries=["127.0.0.1/32"])
        async with browsing(browser_host.browser, only_proxy, upstream=upstream) as (listener, page):
            assert (await visit(page, sandbox.url("classic.localhost", path + "-refused"))).refused

    try:
        loop.run(scenario())
        targets = [target for _, target in proxy.requests]
        assert f"http://steps.localhost:{sandbox.port}{path}" in targets
        assert not any("classic.localhost" in target for target in targets)
        assert path in paths(sandbox, "classic.localhost")
        assert path + "-refused" not in paths(sandbox, "classic.localhost")
    finally:
        proxy.stop()


def test_an_upstream_that_is_down_fails_the_page_instead_of_going_direct(
    loop: Loop, browser_host: BrowserHost, sandbox: SandboxServer
) -> None:
    proxy = ForwardProxy()
    proxy.stop()  # its port is closed now: nothing listens there
    path = f"/down-{uuid.uuid4().hex}"

    async def scenario() -> None:
        upstream = {"server": f"http://127.0.0.1:{proxy.port}"}
        async with browsing(browser_host.browser, DEVELOPMENT, upstream=upstream) as (listener, page):
            shown = await visit(page, sandbox.url("classic.localhost", path))
            assert shown.status == 502 and not shown.refused
            assert not await page.evaluate(OPEN_WEBSOCKET, f"ws://ws.localhost:{sandbox.port}/")
            assert listener.seen == {}

    loop.run(scenario())
    assert path not in paths(sandbox, "classic.localhost")


def test_close_ends_an_open_websocket_tunnel_on_both_sides(loop: Loop, browser_host: BrowserHost,
                                                           sandbox: SandboxServer) -> None:
    async def scenario() -> None:
        ws = await WebSocketSite().start()
        try:
            async with browsing(browser_host.browser, DEVELOPMENT) as (listener, page):
                await visit(page, sandbox.url("classic.localhost", "/login"))
                assert await page.evaluate(OPEN_WEBSOCKET, ws.url)
                assert listener.seen[f"ws.localhost:{ws.port}"] == 1
                await asyncio.wait_for(ws.opened.wait(), 10)
                assert not ws.ended.is_set()

                await listener.close()
                await asyncio.wait_for(ws.ended.wait(), 10)  # the site saw its socket end
                await page.wait_for_function("window.__ws.closed", timeout=10_000)  # and so did the page
                await listener.close()  # idempotent
                with pytest.raises(ConnectionRefusedError):
                    await asyncio.open_connection("127.0.0.1", listener.port)
        finally:
            await ws.stop()

    loop.run(scenario())


def test_request_bodies_arrive_intact_and_proxy_headers_do_not(loop: Loop, browser_host: BrowserHost,
                                                              sandbox: SandboxServer) -> None:
    path = f"/upload-{uuid.uuid4().hex}"
    big = "x" * 3_000_000  # far past every buffer: only backpressure gets it through in order

    async def scenario() -> None:
        async with browsing(browser_host.browser, DEVELOPMENT) as (listener, page):
            await visit(page, sandbox.url("classic.localhost", "/login"))
            status = await page.evaluate("([p, b]) => fetch(p, {method: 'POST', body: b}).then(r => r.status)",
                                         [path, big])
            assert status == 404

        site = await RawSite().start()
        listener = await EgressGuard(DEVELOPMENT).open()
        try:
            answer = await ask(listener.port, (
                f"POST http://127.0.0.1:{site.port}/form?a=1 HTTP/1.1\r\nHost: 127.0.0.1:{site.port}\r\n"
                "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nProxy-Connection: keep-alive\r\n"
                "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").encode())
            assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b"\r\n\r\nok")
            assert b"Connection: close" in answer
            sent = site.requests[-1]
            assert sent.startswith(b"POST /form?a=1 HTTP/1.1\r\n")
            assert b"proxy-" not in sent.lower() and b"Connection: close\r\n" in sent
            assert sent.endswith(b"\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        finally:
            await listener.close()
            await site.stop()

    loop.run(scenario())
    uploads = [r for r in sandbox.received("classic.localhost") if r["path"] == path]
    assert len(uploads) == 1 and uploads[0]["body"] == big


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", 400),  # origin form: not a proxy request
        (b"CONNECT no-port HTTP/1.1\r\n\r\n", 400),
        (b"GET https://example.com/ HTTP/1.1\r\n\r\n", 400),  # https goes through CONNECT
        (b"GET http://{site}/ HTTP/1.1\r\n X-Folded: yes\r\n\r\n", 400),
        (b"POST http://{site}/ HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", 400),
        (b"GET http://{site}/ HTTP/1.1\r\nCookie: " + b"a" * 200_000 + b"\r\n\r\n", 431),
    ],
)
def test_malformed_or_oversized_requests_are_answered_and_reach_nothing(loop: Loop, request_bytes: bytes,
                                                                       status: int) -> None:
    async def scenario() -> None:
        site = await RawSite().start()
        listener = await EgressGuard(DEVELOPMENT).open()
        try:
            answer = await ask(listener.port, request_bytes.replace(b"{site}", f"127.0.0.1:{site.port}".encode()))
            assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:80]
            assert site.connections == 0
        finally:
            await listener.close()
            await site.stop()

    loop.run(scenario())


def test_logs_name_hosts_never_paths_queries_or_bodies(loop: Loop, browser_host: BrowserHost,
                                                      sandbox: SandboxServer, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    secret = f"tok-{uuid.uuid4().hex}"

    async def scenario() -> None:
        async with browsing(browser_host.browser, DEVELOPMENT) as (listener, page):
            await visit(page, sandbox.url("classic.localhost", f"/{secret}?token={secret}"))
            await page.evaluate("([s]) => fetch('/collect', {method: 'POST', body: s})", [secret])
            await visit(page, f"http://169.254.169.254/{secret}?token={secret}")
            await visit(page, f"http://127.0.0.1:1/{secret}?token={secret}")  # nothing listens: 502
        async with browsing(browser_host.browser, PRODUCTION) as (listener, page):
            await visit(page, sandbox.url("classic.localhost", f"/{secret}?token={secret}"))
            assert secret not in " ".join(listener.refused)

    loop.run(scenario())
    logs = "\n".join(logging.Formatter().format(r) for r in caplog.records)
    assert "169.254.169.254:80" in logs  # it does log, by host:port
    assert secret not in logs


def test_under_the_network_lock_bodies_and_secret_urls_to_other_sites_are_refused_and_counted(loop: Loop) -> None:
    # The lock (set by the login's network guard once a secret is typed) is enforced here too, for the
    # requests Chromium's routes can miss: a beacon from an unloading page reaches the guard regardless.
    async def scenario() -> None:
        site = await RawSite().start()
        listener = await EgressGuard(DEVELOPMENT).open()
        listener.allow = lambda host: host == "bank.localhost"
        listener.leaks = lambda url: "s3cret" in url
        try:
            base = f"http://collector.localhost:{site.port}"
            post = await ask(listener.port, f"POST {base}/beacon HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi".encode())
            leak = await ask(listener.port, f"GET {base}/pixel?d=s3cret HTTP/1.1\r\n\r\n".encode())
            assert post.startswith(b"HTTP/1.1 403 ") and leak.startswith(b"HTTP/1.1 403 ")
            assert listener.blocked == ["collector.localhost", "collector.localhost"]
            assert site.connections == 0
            # A plain GET carrying nothing still goes (the lock is about bodies and secrets).
            image = await ask(listener.port, f"GET {base}/logo.png HTTP/1.1\r\n\r\n".encode())
            assert not image.startswith(b"HTTP/1.1 403 ") and site.connections == 1
        finally:
            await listener.close()
            await site.stop()

    loop.run(scenario())
