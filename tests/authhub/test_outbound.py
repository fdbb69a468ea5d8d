"""The outbound HTTP client against real local servers: what it connects to, what it refuses, and how."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from authhub.netpolicy import NetworkPolicy
from authhub.outbound import (
    DEFAULT_TIMEOUT,
    AddressNotAllowed,
    CheckedBackend,
    ConnectFailed,
    ConnectTimedOut,
    outbound_async_client,
    outbound_client,
)
from tests.support.servers import ForwardProxy, free_port

PRODUCTION = NetworkPolicy(allow_private=False)
DEVELOPMENT = NetworkPolicy(allow_private=True)

# 127.0.0.1 as an HTTP URL host, in every notation httpx lets through to the connection layer.
LOOPBACK_URL_HOSTS = ["127.0.0.1", "2130706433", "0x7f000001", "017700000001", "0x7f.0.0.1", "0177.1", "127.1",
                      "127.0.0.1.", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[::1]", "localhost",
                      "app.localhost"]
METADATA_URLS = ["http://169.254.169.254/latest/meta-data/", "http://2852039166/", "http://[::ffff:169.254.169.254]/",
                 "http://0xa9fea9fe/", "http://metadata.google.internal/computeMetadata/v1/", "http://[fd00:ec2::254]/"]


class Listener:
    """A listening socket nobody accepts on: every completed TCP handshake waits in its backlog, so
    ``connections()`` counts exactly the connections made to it, with no thread and no timing."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self._seen = 0

    def connections(self) -> int:
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return self._seen
            conn.close()
            self._seen += 1

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    sock = Listener()
    yield sock
    sock.close()


class _Recorder(BaseHTTPRequestHandler):
    """Answers ``ok``; ``/redirect?to=URL`` answers 302 to URL, ``/status/NNN`` answers NNN. Records what each
    request looked like."""

    def do_GET(self) -> None:  # noqa: N802
        server: RecordingServer = self.server.owner  # type: ignore[attr-defined]
        server.seen.append({"host": self.headers.get("Host"), "local": self.connection.getsockname()[0],
                            "path": self.path, "sni": server.sni})
        parts = urlsplit(self.path)
        if parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if parts.path.startswith("/status/"):
            self.send_response(int(parts.path.rsplit("/", 1)[1]))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


class RecordingServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.seen: list[dict[str, str | None]] = []
        self.sni: str | None = None
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self.http.owner = self  # type: ignore[attr-defined]
        if tls is not None:
            tls.sni_callback = self._record_sni
            self.http.socket = tls.wrap_socket(self.http.socket, server_side=True)
        self.port = self.http.server_address[1]
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def _record_sni(self, sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        self.sni = name

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


# Servers live for the module (stopping one waits out its 0.5 s poll); each test starts with empty records.
@pytest.fixture(scope="module")
def _site() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.stop()


@pytest.fixture
def site(_site: RecordingServer) -> RecordingServer:
    _site.seen.clear()
    return _site


@pytest.fixture(scope="module")
def _proxy() -> Iterator[ForwardProxy]:
    forward = ForwardProxy()
    yield forward
    forward.stop()


@pytest.fixture
def proxy(_proxy: ForwardProxy) -> ForwardProxy:
    _proxy.requests.clear()
    return _proxy


def _certificate(name: str) -> tuple[bytes, bytes]:
    """A self-signed certificate for ``name`` and its key (PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


# --- where connections go --------------------------------------------------------------------------------


def test_the_connection_goes_to_the_address_the_policy_checked(site):
    """``*.localhost`` resolves through the policy only (the system resolver here does not know it): the
    request arriving at 127.0.0.1 shows the socket was opened to the checked address, not to a second
    lookup of the name, while the request itself still names the original host."""
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("checked.localhost", site.port)
    assert DEVELOPMENT.resolve("checked.localhost", site.port) == [ipaddress.ip_address("127.0.0.1")]

    with outbound_client(policy=DEVELOPMENT) as client:
        assert client.get(f"http://checked.localhost:{site.port}/here").text == "ok"
    assert site.seen == [{"host": f"checked.localhost:{site.port}", "local": "127.0.0.1", "path": "/here", "sni": None}]

    stream = CheckedBackend(DEVELOPMENT).connect_tcp("checked.localhost", site.port, timeout=5)
    try:
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", site.port)
    finally:
        stream.close()


def test_tls_verifies_and_sends_the_original_name_while_connecting_to_the_checked_address(tmp_path):
    cert, key = _certificate("secure.localhost")
    (tmp_path / "cert.pem").write_bytes(cert)
    (tmp_path / "key.pem").write_bytes(key)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = RecordingServer(tls=server_context)
    try:
        trust = ssl.create_default_context(cadata=cert.decode())
        with outbound_client(policy=DEVELOPMENT, verify=trust) as client:
            assert client.get(f"https://secure.localhost:{server.port}/tls").text == "ok"
            # The same address under another name fails verification: the name, not the address, is checked.
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED|hostname"):
                client.get(f"https://other.localhost:{server.port}/tls")
        assert server.seen[0]["sni"] == "secure.localhost" and server.seen[0]["local"] == "127.0.0.1"
    finally:
        server.stop()


# --- refusals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", LOOPBACK_URL_HOSTS)
def test_production_refuses_loopback_in_every_notation_before_connecting(listener, host):
    url = f"http://{host}:{listener.port}/"
    with outbound_client(policy=PRODUCTION) as client, pytest.raises(AddressNotAllowed) as info:
        client.get(url)
    assert info.value.code == "address_not_allowed" and info.value.request.url == httpx.URL(url)
    assert "may not reach" in info.value.message
    assert listener.connections() == 0


@pytest.mark.parametrize("url", ["http://10.1.2.3/", "http://167772161/", "http://0xc0a80001/", "http://192.168.0.1/",
                                 "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/", "http://224.0.0.1/",
                                 "http://intranet/", "http://printer.local/", "http://%31%32%37.0.0.1/"])
def test_production_refuses_private_reserved_and_local_names(url):
    with outbound_client(policy=PRODUCTION) as client, pytest.raises(AddressNotAllowed):
        client.get(url)


@pytest.mark.parametrize("url", METADATA_URLS)
@pytest.mark.parametrize("via_proxy", [False, True])
def test_metadata_is_refused_even_with_private_networks_allowed(url, via_proxy, proxy):
    policy = NetworkPolicy.from_entries(allow_private=True, entries=["169.254.0.0/16", "fd00::/8"])
    with outbound_client(policy=policy, proxy=f"http://127.0.0.1:{proxy.port}" if via_proxy else None) as client:
        with pytest.raises(AddressNotAllowed, match="metadata"):
            client.get(url)
    assert proxy.requests == [], "nothing was sent to the proxy either"


def test_the_allow_list_admits_its_networks_and_host_names_and_nothing_else(site):
    by_network = NetworkPolicy.from_entries(allow_private=False, entries=["127.0.0.1/32"])
    by_name = NetworkPolicy.from_entries(allow_private=False, entries=["api.localhost", "*.corp.localhost"])
    with outbound_client(policy=by_network) as client:
        assert client.get(f"http://127.0.0.1:{site.port}/").status_code == 200
        with pytest.raises(AddressNotAllowed):
            client.get(f"http://127.0.0.2:{site.port}/")
    with outbound_client(policy=by_name) as client:
        assert client.get(f"http://api.localhost:{site.port}/").status_code == 200
        assert client.get(f"http://vault.corp.localhost:{site.port}/").status_code == 200
        for refused in ("other.localhost", "127.0.0.1", "api.localhost.evil.localhost"):
            with pytest.raises(AddressNotAllowed):
                client.get(f"http://{refused}:{site.port}/")
    assert [seen["host"] for seen in site.seen] == [
        f"127.0.0.1:{site.port}", f"api.localhost:{site.port}", f"vault.corp.localhost:{site.port}"]


# --- redirects ---------------------------------------------------------------------------------------------


def test_redirects_are_not_followed_unless_asked(site):
    with outbound_client(policy=DEVELOPMENT) as client:
        response = client.get(f"http://127.0.0.1:{site.port}/redirect?to=/final")
    assert response.status_code == 302 and len(site.seen) == 1


@pytest.mark.parametrize("to", ["http://127.0.0.1:{port}/", "http://2130706433:{port}/", "http://[::ffff:127.0.0.1]:{port}/",
                                "http://localhost:{port}/", "http://169.254.169.254/"])
def test_a_redirect_into_a_refused_address_is_refused(site, listener, to):
    policy = NetworkPolicy.from_entries(allow_private=False, entries=["start.localhost"])
    location = to.format(port=listener.port)
    with outbound_client(policy=policy, follow_redirects=True) as client:
        # Sanity: a redirect that stays on the allowed host is followed.
        assert client.get(f"http://start.localhost:{site.port}/redirect?to=/final").text == "ok"
        with pytest.raises(AddressNotAllowed) as info:
            client.get(f"http://start.localhost:{site.port}/redirect?to={location}")
    assert info.value.request.url == httpx.URL(location)
    assert listener.connections() == 0


def test_a_redirect_through_a_proxy_is_checked_too(site, proxy):
    policy = NetworkPolicy.from_entries(allow_private=False, entries=["proxy.localhost", "start.localhost"])
    with outbound_client(policy=policy, proxy=f"http://proxy.localhost:{proxy.port}", follow_redirects=True) as client:
        with pytest.raises(AddressNotAllowed):
            client.get(f"http://start.localhost:{site.port}/redirect?to=http://0x7f000001:{site.port}/")
    assert [target for _, target in proxy.requests] == [f"http://start.localhost:{site.port}/redirect?to=http://0x7f000001:{site.port}/"]


# --- proxies -----------------------------------------------------------------------------------------------


def test_a_proxy_in_a_refused_network_is_refused_before_connecting(listener):
    with outbound_client(policy=PRODUCTION, proxy=f"http://127.0.0.1:{listener.port}") as client:
        with pytest.raises(AddressNotAllowed, match="127.0.0.1"):
            client.get("http://example.com/")
    assert listener.connections() == 0


@pytest.mark.parametrize("host", [h for h in LOOPBACK_URL_HOSTS if h != "127.0.0.1"] + ["10.0.0.1", "intranet",
                                                                                       "router.lan", "[fd00::1]"])
def test_through_a_proxy_the_target_is_refused_by_its_form_before_anything_is_sent(proxy, listener, host):
    policy = NetworkPolicy.from_entries(allow_private=False, entries=["proxy.localhost"])
    with outbound_client(policy=policy, proxy=f"http://proxy.localhost:{proxy.port}") as client:
        for scheme in ("http", "https"):
            with pytest.raises(AddressNotAllowed):
                client.get(f"{scheme}://{host}:{listener.port}/")
    assert proxy.requests == [] and listener.connections() == 0


def test_through_a_proxy_a_name_is_the_proxys_to_resolve(proxy, site):
    """The policy checks the name's form; the proxy (here resolving *.localhost to loopback) decides the rest."""
    policy = NetworkPolicy.from_entries(allow_private=False, entries=["proxy.localhost", "*.allowed.localhost"])
    with outbound_client(policy=policy, proxy=f"http://proxy.localhost:{proxy.port}") as client:
        assert client.get(f"http://target.allowed.localhost:{site.port}/via").text == "ok"
    assert proxy.requests == [("GET", f"http://target.allowed.localhost:{site.port}/via")]


def test_an_ipv6_proxy_works(site):
    forward = ForwardProxy(host="::1")
    try:
        with outbound_client(policy=DEVELOPMENT, proxy=f"http://[::1]:{forward.port}") as client:
            assert client.get(f"http://127.0.0.1:{site.port}/six").text == "ok"
        assert forward.requests == [("GET", f"http://127.0.0.1:{site.port}/six")]
    finally:
        forward.stop()


def test_connect_failures_name_the_first_hop():
    down = free_port()
    with outbound_client(policy=DEVELOPMENT) as client, pytest.raises(ConnectFailed) as info:
        client.get(f"http://127.0.0.1:{down}/")
    assert info.value.host == "127.0.0.1" and isinstance(info.value, httpx.ConnectError)
    with outbound_client(policy=DEVELOPMENT, proxy=f"http://127.0.0.1:{down}") as client:
        with pytest.raises(ConnectFailed, match=f"port {down}"):
            client.get("http://example.com/")
    with outbound_client(policy=DEVELOPMENT) as client, pytest.raises(ConnectFailed, match="could not be resolved"):
        client.get("http://no-such-host.invalid/")


def test_a_tls_failure_with_an_https_proxy_is_the_proxys(proxy, listener):
    # The listener accepts TCP but never answers the TLS handshake: a proxy failure, before any target.
    with outbound_client(policy=DEVELOPMENT, proxy=f"https://127.0.0.1:{listener.port}", timeout=0.3) as client:
        with pytest.raises(ConnectTimedOut, match="TLS handshake with the proxy"):
            client.get("https://example.com/")
    assert listener.connections() == 1, "the listener sees the connections it gets (so its zeros elsewhere mean none)"
    with outbound_client(policy=DEVELOPMENT, proxy=f"http://127.0.0.1:{proxy.port}") as client:
        with pytest.raises(httpx.ProxyError) as info:  # the proxy answered: the target is unreachable
            client.get(f"https://127.0.0.1:{free_port()}/")
    assert not isinstance(info.value, ConnectFailed)


def test_a_connect_timeout_is_a_connect_failure_and_an_httpx_timeout():
    # A listener whose accept queue (backlog 0: one connection) is full: Linux drops further SYNs, so a
    # connect hangs until its timeout.
    full = socket.socket()
    full.bind(("127.0.0.1", 0))
    full.listen(0)
    filler = socket.create_connection(full.getsockname(), timeout=5)
    try:
        with outbound_client(policy=DEVELOPMENT, timeout=0.3) as client, pytest.raises(ConnectTimedOut) as info:
            client.get(f"http://127.0.0.1:{full.getsockname()[1]}/")
        assert isinstance(info.value, httpx.ConnectTimeout) and isinstance(info.value, ConnectFailed)
    finally:
        filler.close()
        full.close()


def test_defaults_bound_every_wait_and_ignore_proxy_environment_variables(monkeypatch, site):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{free_port()}")
    with outbound_client(policy=DEVELOPMENT) as client:
        assert client.timeout == DEFAULT_TIMEOUT and DEFAULT_TIMEOUT.connect == 5.0 and DEFAULT_TIMEOUT.read == 10.0
        assert client.get(f"http://127.0.0.1:{site.port}/").status_code == 200, "no environment proxy was used"
    with pytest.raises(ValueError, match="http:// and https:// proxies only"):
        outbound_client(policy=DEVELOPMENT, proxy="socks5://127.0.0.1:1080")


def test_the_default_policy_is_the_settings_one(settings, listener):
    import dataclasses

    settings.AUTHHUB = dataclasses.replace(settings.AUTHHUB, network=PRODUCTION)
    with outbound_client() as client, pytest.raises(AddressNotAllowed):
        client.get(f"http://127.0.0.1:{listener.port}/")
    assert listener.connections() == 0


# --- async -------------------------------------------------------------------------------------------------


def test_the_async_client_checks_the_same_way(site, listener, proxy):
    async def run() -> None:
        async with outbound_async_client(policy=DEVELOPMENT) as client:
            assert (await client.get(f"http://checked.localhost:{site.port}/async")).text == "ok"
        async with outbound_async_client(policy=PRODUCTION) as client:
            with pytest.raises(AddressNotAllowed):
                await client.get(f"http://0x7f000001:{listener.port}/")
        policy = NetworkPolicy.from_entries(allow_private=False, entries=["start.localhost", "proxy.localhost"])
        async with outbound_async_client(policy=policy, follow_redirects=True) as client:
            with pytest.raises(AddressNotAllowed):
                await client.get(f"http://start.localhost:{site.port}/redirect?to=http://127.1:{listener.port}/")
        async with outbound_async_client(policy=policy, proxy=f"http://proxy.localhost:{proxy.port}") as client:
            assert (await client.get(f"http://start.localhost:{site.port}/proxied")).text == "ok"
            with pytest.raises(AddressNotAllowed):
                await client.get(f"http://[::ffff:127.0.0.1]:{listener.port}/")
        async with outbound_async_client(policy=DEVELOPMENT, proxy=f"http://127.0.0.1:{free_port()}") as client:
            with pytest.raises(ConnectFailed):
                await client.get("http://example.com/")

    asyncio.run(run())
    assert site.seen[0] == {"host": f"checked.localhost:{site.port}", "local": "127.0.0.1", "path": "/async", "sni": None}
    assert listener.connections() == 0
