"""The egress guard: the one way out of the browser, so a login cannot reach the host's own network.

Every browser context uses an ``EgressListener`` as its HTTP proxy (with ``<-loopback>`` in the bypass
rules, so loopback goes through it too). The listener resolves the destination itself, checks every
address with ``NetworkPolicy`` and connects to that same checked address. Chromium never resolves a
proxied name, so a DNS answer that changes between check and connect (rebinding) cannot slip past.

It speaks just enough HTTP/1.1: ``CONNECT host:port`` becomes a byte tunnel (TLS, WebSockets), and an
absolute-form request (``GET http://host/...``) is sent once in origin form with ``Connection: close``
and its response relayed until the server closes. A refused destination gets ``403`` with
``X-AuthHub-Refused: 1``. Only host:port is ever logged: paths, queries and bodies may hold secrets.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fnmatch
import ipaddress
import logging
import socket
import ssl
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

from authhub.netpolicy import AddressRefused, IPAddress, NetworkPolicy, is_localhost_name, parse_ip_literal

logger = logging.getLogger(__name__)

MAX_HEAD = 128 * 1024  # a whole request or response head (big Cookie headers fit)
MAX_HEADERS = 200
HEAD_TIMEOUT = 60.0  # an idle browser connection (a preconnect) must not pin a task forever
CHUNK = 64 * 1024
# Hop-by-hop headers describe one connection, never the next; Proxy-* ones are between us and a proxy.
HOP_HEADERS = frozenset({"connection", "keep-alive", "te", "trailer", "upgrade"})

Headers = list[tuple[str, str]]
Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class BadRequest(Exception):
    def __init__(self, status: int = 400, reason: str = "Bad Request") -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class Locked(Exception):
    """The login's network lock keeps this host out (a secret is on a page of another site)."""


class Answered(Exception):
    """The browser already got its answer (a refusal, an upstream's error): stop serving it."""


async def read_head(reader: asyncio.StreamReader) -> tuple[str, Headers]:
    """A start line and its header fields, at most the reader's limit (``MAX_HEAD``) in all."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError as exc:
        raise BadRequest(431, "Request Header Fields Too Large") from exc
    except asyncio.IncompleteReadError as exc:
        raise BadRequest() from exc
    lines = head.decode("latin-1").split("\r\n")[:-2]
    if len(lines) > MAX_HEADERS:
        raise BadRequest(431, "Request Header Fields Too Large")
    headers: Headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        # A folded line or a name with spaces is how request smuggling starts: refuse, never guess.
        if not sep or not name or " " in name or "\t" in name or "\n" in line:
            raise BadRequest()
        headers.append((name, value.strip()))
    return lines[0], headers


def is_hop(name: str) -> bool:
    return name.lower() in HOP_HEADERS or name.lower().startswith("proxy-")


def split_authority(authority: str, default_port: int | None = None) -> tuple[str, int]:
    """``host:port`` or ``[v6]:port`` → (host without brackets, lower-cased; port)."""
    host, port = authority, ""
    if authority.startswith("["):
        host, _, rest = authority[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else rest
    elif authority.count(":") == 1:
        host, _, port = authority.partition(":")
    port = port or ("" if default_port is None else str(default_port))
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise BadRequest()
    return host.lower().rstrip("."), int(port)


def join_authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class EgressGuard:
    """Opens one loopback listener per browser context; all share one policy and one host map.

    ``static_hosts`` maps a name to an IP instead of DNS, like /etc/hosts (tests, split horizon); the
    mapped address is checked like a resolved one.
    """

    def __init__(self, policy: NetworkPolicy, *, static_hosts: dict[str, str] | None = None,
                 connect_timeout: float = 10.0) -> None:
        self.policy = policy
        self.static_hosts = {k.lower().rstrip("."): ipaddress.ip_address(v) for k, v in (static_hosts or {}).items()}
        self.connect_timeout = connect_timeout

    async def open(self, upstream: dict[str, str] | None = None) -> EgressListener:
        """A listener for one context. ``upstream`` is Playwright's proxy form. Behind an upstream, the
        upstream resolves target names, so the guard checks them by form only (``check_host``: IP
        literals, local-only names); the connection to the upstream itself is resolved and checked.
        Hosts in its ``bypass`` go direct, checked as usual."""
        listener = EgressListener(self, upstream)
        await listener.start()
        return listener

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        if host in self.static_hosts:
            self.policy.check_host(host)
            self.policy.check_address(self.static_hosts[host], host=host)
            return [self.static_hosts[host]]
        if parse_ip_literal(host) is not None or is_localhost_name(host):
            return self.policy.resolve(host, port)  # no DNS involved: no thread hop either
        # getaddrinfo blocks; the browser runner's loop must not.
        return await asyncio.to_thread(self.policy.resolve, host, port)


class EgressListener:
    """One context's proxy on 127.0.0.1. ``refused`` lists "host:port — reason" for error messages;
    ``seen`` counts the connections it opened per destination (or per upstream proxy)."""

    def __init__(self, guard: EgressGuard, upstream: dict[str, str] | None) -> None:
        self.guard = guard
        self.port = 0
        self.refused: list[str] = []
        self.failed: list[str] = []  # "host:port — why" for destinations (or the upstream) that failed
        # Set by the login's network lock once a secret is typed: may a body go to this host now? The
        # browser routes' rule, again where every plain-http request passes, so one the routes miss (a
        # beacon sent by a document that is unloading) is refused too. Inside a CONNECT tunnel (https) the
        # guard cannot see a body, so tunnels are not gated. ``blocked``: the hosts it refused a body to.
        self.allow: Callable[[str], bool] | None = None
        # And whether a plain-http URL carries a secret where it must not go (the routes' content rule).
        self.leaks: Callable[[str], bool] | None = None
        self.blocked: list[str] = []
        self.seen: Counter[str] = Counter()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()  # every open socket, both sides, for close()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._upstream: tuple[str, int] | None = None
        self._tls: ssl.SSLContext | None = None
        self._auth: str | None = None
        self._bypass: list[str] = []
        if upstream:
            server = upstream["server"]
            parts = urlsplit(server if "://" in server else "http://" + server)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("the upstream proxy must be an http:// or https:// URL")
            self._upstream = (parts.hostname.lower(), parts.port or (443 if parts.scheme == "https" else 80))
            self._tls = ssl.create_default_context() if parts.scheme == "https" else None
            if upstream.get("username"):
                token = f"{upstream['username']}:{upstream.get('password') or ''}".encode()
                self._auth = "Basic " + base64.b64encode(token).decode()
            for entry in (upstream.get("bypass") or "").split(","):
                entry = entry.strip().lower()
                if entry and entry != "<-loopback>":  # a browser rule; here loopback obeys the policy
                    self._bypass.append("*" + entry if entry.startswith(".") else entry)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, limit=MAX_HEAD)
        self.port = self._server.sockets[0].getsockname()[1]

    def playwright_proxy(self) -> dict[str, str]:
        # "<-loopback>" removes Chromium's implicit loopback bypass, so localhost goes through us too.
        return {"server": f"http://127.0.0.1:{self.port}", "bypass": "<-loopback>"}

    async def close(self) -> None:
        """Stop listening and end every connection, open tunnels included; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()  # abort, not close: a peer that stopped reading must not keep it
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    # --- one browser connection ---------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task: asyncio.Task[None] = asyncio.current_task()  # type: ignore[assignment]
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            async with asyncio.timeout(HEAD_TIMEOUT):
                start, headers = await read_head(reader)
            method, target, version = (start.split(" ") + ["", ""])[:3]
            if start.count(" ") != 2 or not method or not version.startswith("HTTP/1."):
                raise BadRequest()
            if method == "CONNECT":
                await self._tunnel(*split_authority(target), reader, writer)
            else:
                await self._forward(method, target, headers, reader, writer)
        except BadRequest as exc:
            await _answer(writer, exc.status, exc.reason, exc.reason + "\n")
        except Locked as exc:
            await _answer(writer, 403, "Forbidden", f"AuthHub's network lock keeps {exc} out\n", refused=True)
        except (Answered, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass  # answered, a side left, or close() cancelled us (ending uncancelled keeps 3.11 quiet)
        finally:
            self._tasks.discard(task)
            self._drop(writer)

    def _gate(self, host: str) -> None:
        """Refuse (raise ``Locked``) a request body to a host the network lock keeps out."""
        if self.allow is not None and not self.allow(host):
            logger.info("egress: a body to %s kept out by the network lock", host)
            self.blocked.append(host)
            raise Locked(host)

    def _drop(self, writer: asyncio.StreamWriter) -> None:
        self._writers.discard(writer)
        writer.transport.abort()  # everything worth sending was flushed: see _flush

    async def _tunnel(self, host: str, port: int, reader: asyncio.StreamReader, client: asyncio.StreamWriter) -> None:
        site_reader, site = await self._dial(host, port, client, tunnel=True)
        try:
            # Either side's EOF ends both, so a closed page or a closed site frees the tunnel.
            await asyncio.gather(_pipe(reader, site, client), _pipe(site_reader, client, site))
        finally:
            self._drop(site)

    async def _forward(self, method: str, target: str, headers: Headers, reader: asyncio.StreamReader,
                       client: asyncio.StreamWriter) -> None:
        """One request per connection (``Connection: close``): no response framing of ours to get wrong."""
        url = urlsplit(target)
        if url.scheme != "http" or not url.netloc or "@" in url.netloc:
            raise BadRequest()
        host, port = split_authority(url.netloc, 80)
        framing = _framing(headers)  # before connecting: a malformed request reaches no site
        if method not in ("GET", "HEAD", "OPTIONS") or framing not in (None, 0):
            self._gate(host)
        if self.leaks is not None and self.leaks(target):
            logger.info("egress: a request to %s carrying a secret kept out", host)
            self.blocked.append(host)
            raise Locked(host)
        site_reader, site = await self._dial(host, port, client, tunnel=False)
        try:
            proxied = self._proxied(host)
            forward = [(k, v) for k, v in headers if not is_hop(k)]
            if not any(k.lower() == "host" for k, _ in forward):
                forward.insert(0, ("Host", url.netloc))
            forward += [("Proxy-Authorization", self._auth)] if proxied and self._auth else []
            line = target if proxied else (url.path or "/") + (f"?{url.query}" if url.query else "")
            site.write(_head(f"{method} {line} HTTP/1.1", [*forward, ("Connection", "close")]))
            await _copy_body(framing, reader, site)
            try:
                status, response = await read_head(site_reader)
            except BadRequest as exc:
                raise OSError("malformed response head") from exc
            # The browser must not reuse this connection (after a rare 1xx the final head passes as is).
            kept = [(k, v) for k, v in response if not is_hop(k)]  # an upstream's Proxy-Authenticate too
            client.write(_head(status, [*kept, ("Connection", "close")]))
            await _pipe(site_reader, client, client)
        finally:
            self._drop(site)

    def _proxied(self, host: str) -> bool:
        return self._upstream is not None and not any(fnmatch.fnmatchcase(host, p) for p in self._bypass)

    async def _dial(self, host: str, port: int, client: asyncio.StreamWriter, *, tunnel: bool) -> Stream:
        """Toward host:port, direct or via the upstream; or answer the browser (403/502/504), raise ``Answered``."""
        destination = join_authority(host, port)
        try:
            if self._proxied(host):
                assert self._upstream is not None
                self.guard.policy.check_host(host)  # the upstream resolves the name: its form is all we see
                stream = await self._connect(*self._upstream, tls=self._tls)
                self.seen[join_authority(*self._upstream)] += 1
                if tunnel:
                    try:
                        await self._upstream_connect(destination, stream, client)
                    except BaseException:
                        self._drop(stream[1])
                        raise
            else:
                stream = await self._connect(host, port)
                self.seen[destination] += 1
        except AddressRefused as exc:
            if not isinstance(exc.__cause__, socket.gaierror | UnicodeError):  # not merely an unknown name
                entry = f"{destination} — {exc.message}"
                if entry not in self.refused:  # pages retry (favicon, reloads): name each destination once
                    self.refused.append(entry)
                logger.info("egress refused %s: %s", destination, exc.message)
                await _answer(client, 403, "Forbidden", f"AuthHub refused {entry}\n", refused=True)
                raise Answered from exc
            status, reason, why = 502, "Bad Gateway", "could not be resolved"
        except TimeoutError:
            status, reason, why = 504, "Gateway Timeout", "did not answer in time"
        except OSError:
            status, reason, why = 502, "Bad Gateway", "could not be reached"
        else:
            if tunnel:
                client.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            return stream
        if self._proxied(host) and self._upstream is not None:
            why = f"the proxy {join_authority(*self._upstream)} {why}"
        logger.info("egress: %s %s", destination, why)
        entry = f"{destination} — {why}"
        if entry not in self.failed:
            self.failed.append(entry)
        await _answer(client, status, reason, f"{destination} {why}\n")
        raise Answered

    async def _connect(self, host: str, port: int, *, tls: ssl.SSLContext | None = None) -> Stream:
        error = OSError(f"no address for {host}")
        async with asyncio.timeout(self.guard.connect_timeout):  # a hanging DNS lookup included
            # Exactly the checked addresses: the name is never resolved again.
            for address in await self.guard.resolve(host, port):
                try:
                    reader, writer = await asyncio.open_connection(
                        str(address), port, limit=MAX_HEAD, ssl=tls, server_hostname=host if tls else None)
                except OSError as exc:
                    error = exc
                    continue
                self._writers.add(writer)
                return reader, writer
        raise error

    async def _upstream_connect(self, destination: str, upstream: Stream, client: asyncio.StreamWriter) -> None:
        auth = [("Proxy-Authorization", self._auth)] if self._auth else []
        upstream[1].write(_head(f"CONNECT {destination} HTTP/1.1", [("Host", destination), *auth]))
        try:
            status, _ = await read_head(upstream[0])
        except BadRequest as exc:
            raise OSError("malformed answer from the upstream proxy") from exc
        if status.split(" ")[1:2] and status.split(" ")[1].startswith("2"):
            return
        # Relay the upstream's verdict (407, 502, ...) so the browser fails at once and says why.
        logger.info("the upstream proxy refused the tunnel to %s", destination)
        client.write(_head(status, [("Content-Length", "0"), ("Connection", "close")]))
        await _flush(client)
        raise Answered


def _head(start: str, headers: Headers) -> bytes:
    return (start + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode("latin-1")


async def _answer(writer: asyncio.StreamWriter, status: int, reason: str, body: str, *, refused: bool = False) -> None:
    data = body.encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data))), ("Connection", "close")]
    writer.write(_head(f"HTTP/1.1 {status} {reason}", [("X-AuthHub-Refused", "1")] * refused + headers) + data)
    with contextlib.suppress(OSError):  # the browser is gone: nobody to tell
        await _flush(writer)


async def _flush(writer: asyncio.StreamWriter) -> None:
    """Wait until all written data reached the kernel (``drain`` stops at the high-water mark): abort may follow."""
    writer.transport.set_write_buffer_limits(0)
    await writer.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, source: asyncio.StreamWriter) -> None:
    """Copy until EOF with backpressure, flush, close both; closing ``source`` ends a tunnel's other pipe."""
    try:
        with contextlib.suppress(OSError):
            while data := await reader.read(CHUNK):
                writer.write(data)
                await writer.drain()
            await _flush(writer)
    finally:
        writer.close()
        source.close()


def _framing(headers: Headers) -> int | None:
    """A request body's length: None for none, -1 for chunked; ``BadRequest`` when ambiguous."""
    chunked = any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers)
    lengths = {v for k, v in headers if k.lower() == "content-length"}
    if (chunked and lengths) or len(lengths) > 1 or not all(v.isdigit() for v in lengths):
        raise BadRequest()  # two framings: the classic request-smuggling shape (RFC 9112 6.3)
    return -1 if chunked else int(lengths.pop()) if lengths else None


async def _copy_body(framing: int | None, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    if framing == -1:
        while True:  # relay the chunked framing verbatim, reading exactly what each size line announces
            line = await reader.readuntil(b"\n")
            writer.write(line)
            digits = line.split(b";", 1)[0].strip()
            if not digits or digits.strip(b"0123456789abcdefABCDEF"):
                raise BadRequest()
            size = int(digits, 16)
            if size == 0:
                while (trailer := await reader.readuntil(b"\n")) not in (b"\r\n", b"\n"):
                    writer.write(trailer)
                writer.write(b"\r\n")
                break
            await _copy_exact(reader, writer, size + 2)
    elif framing is not None:
        await _copy_exact(reader, writer, framing)
    await writer.drain()


async def _copy_exact(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, size: int) -> None:
    while size > 0:
        data = await reader.read(min(size, CHUNK))
        if not data:
            raise asyncio.IncompleteReadError(b"", size)
        writer.write(data)
        await writer.drain()  # backpressure: an upload is never buffered whole
        size -= len(data)
