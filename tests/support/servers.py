"""Real servers for tests: AuthHub itself (daphne subprocess), a forward proxy and a plain HTTP target."""

from __future__ import annotations

import base64
import http.client
import os
import select
import socket
import socketserver
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]


def child_env(**extra: str) -> dict[str, str]:
    """The environment for AuthHub processes a test starts: this one's, minus test-only switches."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.05, what: str = "condition") -> None:  # noqa: ANN001
    """Poll ``predicate`` until true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


@dataclass
class AuthHubServer:
    """``python -m daphne authhub.asgi:application`` on a free port, logging to a file."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> AuthHubServer:
        self.port = self.port or free_port()
        self.log_path = self.data_dir / f"server-{self.port}.log"
        env = {
            **child_env(),
            "DJANGO_SETTINGS_MODULE": "authhub.settings",
            "AUTHHUB_DATA_DIR": str(self.data_dir),
            "AUTHHUB_PORT": str(self.port),
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "--access-log", os.devnull, "-b", "127.0.0.1", "-p", str(self.port),
             "authhub.asgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        self._log = log

        def healthy() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"AuthHub exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(healthy, timeout, what=f"AuthHub on {self.url}")
        return self

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()


@dataclass
class BrowserRunnerProcess:
    """``python manage.py runbrowser`` against a data directory, logging to a file."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def start(self, timeout: float = 30) -> BrowserRunnerProcess:
        self.log_path = self.data_dir / f"runner-{time.monotonic_ns()}.log"
        env = {**child_env(), "DJANGO_SETTINGS_MODULE": "authhub.settings", "AUTHHUB_DATA_DIR": str(self.data_dir),
               "PYTHONUNBUFFERED": "1", "AUTHHUB_LOG_LEVEL": "debug", **self.env}
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([sys.executable, "manage.py", "runbrowser"], cwd=ROOT, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT)

        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"runbrowser exited with {self.process.returncode}:\n{self.log_text()}")
            return "ready" in self.log_text()

        wait_until(ready, timeout, what="the browser runner")
        return self

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def kill(self) -> None:
        """Die without cleaning up, as a crashed runner would."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()


class _Target(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.server.hits += 1  # type: ignore[attr-defined]
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def start_target() -> ThreadingHTTPServer:
    """A plain HTTP server answering ``ok``; ``server.hits`` counts requests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Target)
    server.hits = 0  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _resolve(host: str) -> str:
    # RFC 6761: every *.localhost name is loopback (Chromium does this; Python's resolver does not).
    return "127.0.0.1" if host == "localhost" or host.endswith(".localhost") else host


class _ProxyHandler(socketserver.StreamRequestHandler):
    """An HTTP/1.1 forward proxy (RFC 9110 CONNECT and absolute-form requests) with optional Basic auth."""

    def handle(self) -> None:
        proxy: ForwardProxy = self.server.owner  # type: ignore[attr-defined]
        request_line = self.rfile.readline(65537).decode("latin-1").strip()
        if not request_line:
            return
        method, target, _ = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        while True:
            line = self.rfile.readline(65537).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if proxy.credentials:
            expected = "Basic " + base64.b64encode(proxy.credentials.encode()).decode()
            if headers.get("proxy-authorization") != expected:
                self.wfile.write(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
                )
                return
        proxy.requests.append((method, target))
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            try:
                upstream = socket.create_connection((_resolve(host), int(port)), timeout=5)
            except OSError:
                self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            self.wfile.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            self._tunnel(self.connection, upstream)
            return
        parts = urlsplit(target)
        body = self.rfile.read(int(headers.get("content-length", "0") or 0))
        forward = {k: v for k, v in headers.items() if not k.startswith("proxy-") and k != "connection"}
        conn = http.client.HTTPConnection(_resolve(parts.hostname or ""), parts.port or 80, timeout=10)
        try:
            conn.request(method, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body, forward)
            response = conn.getresponse()
            payload = response.read()
        except OSError:
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(f"HTTP/1.1 {response.status} {response.reason}\r\n".encode())
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.wfile.write(f"{name}: {value}\r\n".encode())
        self.wfile.write(f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode() + payload)

    @staticmethod
    def _tunnel(a: socket.socket, b: socket.socket) -> None:
        sockets = [a, b]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        finally:
            b.close()


class _ThreadingServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _ThreadingServer6(_ThreadingServer):
    address_family = socket.AF_INET6


class ForwardProxy:
    """A real forward proxy on ``host`` (``127.0.0.1``, or ``"::1"`` for an IPv6 one) and a free port."""

    def __init__(self, credentials: str | None = None, host: str = "127.0.0.1") -> None:
        self.credentials = credentials  # "user:password" to require Basic auth
        self.host = host.strip("[]")
        self.requests: list[tuple[str, str]] = []
        server_class = _ThreadingServer6 if ":" in self.host else _ThreadingServer
        self.server = server_class((self.host, 0), _ProxyHandler)
        self.server.owner = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
