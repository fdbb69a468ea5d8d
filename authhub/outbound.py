"""The one HTTP client for everything AuthHub itself fetches: proxy checks now; webhooks, OAuth discovery and
token calls, vaults and the API proxy later. Nothing in AuthHub opens an outbound HTTP connection another way.

``outbound_client()`` (and ``outbound_async_client()``) return ordinary ``httpx`` clients whose transport
asks the ``NetworkPolicy`` (``settings.AUTHHUB.network`` unless one is given) about every connection:

- **Without a proxy**, every TCP connection resolves its host once, checks each address
  (``NetworkPolicy.resolve``: one refused address refuses the host) and connects to that same checked
  address. The name is never looked up a second time, so DNS rebinding between check and connect is not
  possible. TLS still verifies the certificate for the original name (SNI), and ``Host`` is the original
  name, so nothing about HTTP changes.
- **With a proxy**, the connection to the proxy is checked the same way. The target URL's host is checked
  by its form only (``NetworkPolicy.check_host``) before anything is sent: an IP literal in any notation
  (dotted, decimal, hex, octal, IPv4-mapped IPv6) in a refused network, a metadata host, a single-label or
  local-network name, or anything that is not a plain host name is refused. A name the proxy resolves is
  the proxy's business: AuthHub cannot see which address the proxy connects to, so an operator who allows
  an in-house proxy (``AUTHHUB_PRIVATE_NETWORK_ALLOW``) lets it reach whatever that proxy reaches.
- **Redirects** are not followed unless asked; when they are, each hop is a new request through the same
  checks, so a redirect into a refused address is refused like a direct request.

Errors, all ``httpx.RequestError`` subclasses (callers that catch ``httpx.HTTPError`` keep working):

- ``AddressNotAllowed`` (``code = "address_not_allowed"``): the policy refused a destination; nothing was
  sent to it. ``.message`` is the policy's (it names the host, never a secret).
- ``ConnectFailed`` (an ``httpx.ConnectError``) and ``ConnectTimedOut`` (also an ``httpx.ConnectTimeout``):
  no connection could be opened to the first hop — the target, or with a proxy the proxy itself (its name
  did not resolve, every address refused or timed out, or the TLS handshake with an ``https://`` proxy
  failed). With a proxy, any other error happened after the proxy answered.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Iterable
from typing import Any

import anyio
import httpcore
import httpx

from authhub.netpolicy import AddressRefused, IPAddress, NetworkPolicy

# Connecting gets less time than reading: a host that does not accept in 5 s is down, while a slow answer
# (a token endpoint under load) may still come.
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_REDIRECTS = 10
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
# What a host may look like once httpx has IDNA-encoded it. Anything else (percent escapes, odd Unicode) is
# refused: a proxy or browser might decode it into an address the policy never saw.

SocketOption = Any  # httpcore's SOCKET_OPTION union, not exported


class AddressNotAllowed(httpx.RequestError):
    """The network policy refused a destination before any connection to it."""

    code = "address_not_allowed"

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)
        self.message = message


class ConnectFailed(httpx.ConnectError):
    """No connection could be opened to the first hop (the target, or the proxy when there is one)."""

    def __init__(self, message: str, *, host: str, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)
        self.host = host


class ConnectTimedOut(ConnectFailed, httpx.ConnectTimeout):
    """A ``ConnectFailed`` because every attempt ran out of time."""


def _policy(policy: NetworkPolicy | None) -> NetworkPolicy:
    if policy is not None:
        return policy
    # Imported here so the module stays usable without Django (the login engine is Django-free).
    from django.conf import settings

    return settings.AUTHHUB.network


def _resolve(policy: NetworkPolicy, host: str, port: int) -> list[IPAddress]:
    try:
        return policy.resolve(host, port)
    except AddressRefused as exc:
        # A name that does not resolve is an unreachable host, not a refused one: report it as such.
        if isinstance(exc.__cause__, socket.gaierror | UnicodeError):
            raise ConnectFailed(exc.message, host=host) from exc
        raise AddressNotAllowed(exc.message) from exc


def check_request_host(policy: NetworkPolicy, url: httpx.URL) -> None:
    """Refuse, by its form alone, a URL host the policy would refuse. Raises ``AddressNotAllowed``."""
    host = url.raw_host.decode("ascii", "replace").lower()
    try:
        policy.check_host(host, allow_ip_literal=True)
    except AddressRefused as exc:
        raise AddressNotAllowed(exc.message) from exc


def _connect_error(host: str, port: int, last: Exception | None) -> ConnectFailed:
    timed_out = isinstance(last, httpcore.ConnectTimeout) or last is None
    kind = ConnectTimedOut if timed_out else ConnectFailed
    return kind(f"cannot connect to {host} port {port}" + (" (timed out)" if timed_out else ""), host=host)


def _tls_error(host: str, exc: Exception) -> ConnectFailed:
    kind = ConnectTimedOut if isinstance(exc, httpcore.ConnectTimeout) else ConnectFailed
    return kind(f"TLS handshake with the proxy {host} failed: {exc}", host=host)


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else deadline - time.monotonic()


# --- sync ----------------------------------------------------------------------------------------------


class _ProxyTLSStream(httpcore.NetworkStream):
    """The raw stream to an ``https://`` proxy: its first TLS handshake is the proxy's, so a failure there is
    reported as ``ConnectFailed`` (the proxy), not as an error of the target behind it."""

    def __init__(self, inner: httpcore.NetworkStream, host: str) -> None:
        self._inner = inner
        self._host = host

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        try:
            return self._inner.start_tls(ssl_context, server_hostname, timeout)
        except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
            raise _tls_error(self._host, exc) from exc

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class CheckedBackend(httpcore.NetworkBackend):
    """An httpcore network backend that connects only to addresses the policy allows, and only to the very
    addresses it checked."""

    def __init__(self, policy: NetworkPolicy, *, proxy_tls: bool = False) -> None:
        self._policy = policy
        self._proxy_tls = proxy_tls
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(self._policy, host, port)
        # One connect budget for all addresses, so a host with many dead addresses cannot stretch it.
        deadline = None if timeout is None else time.monotonic() + timeout
        last: Exception | None = None
        for address in addresses:
            remaining = _remaining(deadline)
            if remaining is not None and remaining <= 0:
                break
            try:
                stream = self._inner.connect_tcp(
                    str(address), port, timeout=remaining, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _ProxyTLSStream(stream, host) if self._proxy_tls else stream
        raise _connect_error(host, port, last) from last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SocketOption] | None = None
    ) -> httpcore.NetworkStream:
        raise AddressNotAllowed("unix sockets are not reachable through the outbound client")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _proxy_url(proxy: httpx.Proxy) -> httpcore.URL:
    return httpcore.URL(scheme=proxy.url.raw_scheme, host=proxy.url.raw_host, port=proxy.url.port,
                        target=proxy.url.raw_path)


def _parse_proxy(proxy: str | None) -> httpx.Proxy | None:
    if proxy is None:
        return None
    parsed = httpx.Proxy(url=proxy)
    if parsed.url.scheme not in ("http", "https"):
        # SOCKS would need its own checked path; nothing in AuthHub stores a SOCKS proxy.
        raise ValueError("the outbound client supports http:// and https:// proxies only")
    return parsed


def _pool_options(verify: ssl.SSLContext | bool) -> dict[str, Any]:
    return {
        "ssl_context": httpx.create_ssl_context(verify=verify),
        "max_connections": _LIMITS.max_connections,
        "max_keepalive_connections": _LIMITS.max_keepalive_connections,
        "keepalive_expiry": _LIMITS.keepalive_expiry,
    }


def _proxy_options(proxy: httpx.Proxy) -> dict[str, Any]:
    return {"proxy_url": _proxy_url(proxy), "proxy_auth": proxy.raw_auth, "proxy_headers": proxy.headers.raw,
            "proxy_ssl_context": proxy.ssl_context}


class CheckedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` over a ``CheckedBackend``.

    httpx 0.28 builds its httpcore pool without a way to pass a network backend, so this builds the same
    pool itself (httpcore's public ``network_backend`` parameter) and inherits the rest: request and
    response mapping, httpcore-to-httpx exception mapping, closing.
    """

    def __init__(self, *, policy: NetworkPolicy, proxy: httpx.Proxy | None = None,
                 verify: ssl.SSLContext | bool = True) -> None:
        self._policy = policy
        options = _pool_options(verify)
        if proxy is None:
            self._pool = httpcore.ConnectionPool(network_backend=CheckedBackend(policy), **options)
        else:
            backend = CheckedBackend(policy, proxy_tls=proxy.url.scheme == "https")
            self._pool = httpcore.HTTPProxy(network_backend=backend, **_proxy_options(proxy), **options)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # Every request, redirects included; without a proxy the connection is checked again by address.
        check_request_host(self._policy, request.url)
        return super().handle_request(request)


def _timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def outbound_client(
    *,
    proxy: str | None = None,
    verify: ssl.SSLContext | bool = True,
    timeout: float | httpx.Timeout | None = None,
    follow_redirects: bool = False,
    policy: NetworkPolicy | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Client:
    """An ``httpx.Client`` whose every connection the network policy checked (see the module docstring).

    ``proxy``: an ``http://`` or ``https://`` proxy URL (credentials in it are sent as Basic auth).
    ``timeout``: seconds for each of connect, read, write and pool wait, or an ``httpx.Timeout``; ``None``
    means ``DEFAULT_TIMEOUT`` (5 s to connect, 10 s otherwise), never "wait forever".
    ``policy``: defaults to ``settings.AUTHHUB.network``.
    """
    policy = _policy(policy)
    return httpx.Client(
        transport=CheckedTransport(policy=policy, proxy=_parse_proxy(proxy), verify=verify),
        **_client_options(timeout, follow_redirects, headers),
    )


def _client_options(timeout: float | httpx.Timeout | None, follow_redirects: bool,
                    headers: dict[str, str] | None) -> dict[str, Any]:
    return {
        "timeout": _timeout(timeout),
        "follow_redirects": follow_redirects,
        "max_redirects": MAX_REDIRECTS,
        # No HTTP(S)_PROXY from the environment and no .netrc: what AuthHub reaches, and how, is what the
        # caller passed. (SSL_CERT_FILE still applies: the SSL context is built with httpx's defaults.)
        "trust_env": False,
        "headers": {"User-Agent": "AuthHub", **(headers or {})},
    }


# --- async ---------------------------------------------------------------------------------------------


class _AsyncProxyTLSStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream, host: str) -> None:
        self._inner = inner
        self._host = host

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            return await self._inner.start_tls(ssl_context, server_hostname, timeout)
        except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
            raise _tls_error(self._host, exc) from exc

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AsyncCheckedBackend(httpcore.AsyncNetworkBackend):
    """``CheckedBackend`` for asyncio (through anyio); name resolution runs in a worker thread."""

    def __init__(self, policy: NetworkPolicy, *, proxy_tls: bool = False) -> None:
        self._policy = policy
        self._proxy_tls = proxy_tls
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await anyio.to_thread.run_sync(_resolve, self._policy, host, port)
        deadline = None if timeout is None else time.monotonic() + timeout
        last: Exception | None = None
        for address in addresses:
            remaining = _remaining(deadline)
            if remaining is not None and remaining <= 0:
                break
            try:
                stream = await self._inner.connect_tcp(
                    str(address), port, timeout=remaining, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _AsyncProxyTLSStream(stream, host) if self._proxy_tls else stream
        raise _connect_error(host, port, last) from last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SocketOption] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise AddressNotAllowed("unix sockets are not reachable through the outbound client")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class AsyncCheckedTransport(httpx.AsyncHTTPTransport):
    """``CheckedTransport`` for ``httpx.AsyncClient``."""

    def __init__(self, *, policy: NetworkPolicy, proxy: httpx.Proxy | None = None,
                 verify: ssl.SSLContext | bool = True) -> None:
        self._policy = policy
        options = _pool_options(verify)
        if proxy is None:
            self._pool = httpcore.AsyncConnectionPool(network_backend=AsyncCheckedBackend(policy), **options)
        else:
            backend = AsyncCheckedBackend(policy, proxy_tls=proxy.url.scheme == "https")
            self._pool = httpcore.AsyncHTTPProxy(network_backend=backend, **_proxy_options(proxy), **options)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        check_request_host(self._policy, request.url)
        return await super().handle_async_request(request)


def outbound_async_client(
    *,
    proxy: str | None = None,
    verify: ssl.SSLContext | bool = True,
    timeout: float | httpx.Timeout | None = None,
    follow_redirects: bool = False,
    policy: NetworkPolicy | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.AsyncClient:
    """``outbound_client`` as an ``httpx.AsyncClient``."""
    policy = _policy(policy)
    return httpx.AsyncClient(
        transport=AsyncCheckedTransport(policy=policy, proxy=_parse_proxy(proxy), verify=verify),
        **_client_options(timeout, follow_redirects, headers),
    )


__all__ = [
    "DEFAULT_TIMEOUT",
    "AddressNotAllowed",
    "AsyncCheckedBackend",
    "AsyncCheckedTransport",
    "CheckedBackend",
    "CheckedTransport",
    "ConnectFailed",
    "ConnectTimedOut",
    "check_request_host",
    "outbound_async_client",
    "outbound_client",
]
