"""SandboxServer: every sandbox site on one port, told apart by the Host header.

Chromium resolves every ``*.localhost`` name to 127.0.0.1, so a browser reaches
``http://classic.localhost:PORT/`` with no DNS or /etc/hosts set-up. Python's resolver does not, so
HTTP clients in tests connect to 127.0.0.1 and send the ``Host`` header themselves.

Test controls answer on every host under ``/_sandbox/`` (JSON) so another process can drive them:

=======================  ======  ==========================================================
``/_sandbox/whoami``     GET     ``{"user": "alice"}`` or ``{"user": null}`` (session cookie)
``/_sandbox/codes``      GET     ``{"codes": [...]}`` codes the site sent, oldest first
``/_sandbox/attempts``   GET     ``{"attempts": [{"username"|"email": ..., "ok": bool}]}``
``/_sandbox/received``   GET     ``{"requests": [{"method", "path", "query", "body"}]}``
``/_sandbox/expire``     POST    log every session of the host out
``/_sandbox/approve``    POST    approve pending push sign-ins (push.localhost)
=======================  ======  ==========================================================
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import struct
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.sites import (
    bank,
    captcha,
    classic,
    collector,
    emailcode,
    evil,
    iframe,
    mfa,
    modal,
    noform,
    passkey,
    picker,
    push,
    quirks,
    real,
    reveal,
    shadow,
    slow,
    spa,
    sso,
    staysignedin,
    steps,
    totp,
)
from tests.sites.framework import Request, Response, Site, document, esc, html_response, json_response

log = logging.getLogger(__name__)
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC11B65"

SITE_CLASSES: tuple[type[Site], ...] = (
    classic.ClassicSite,
    steps.StepsSite,
    spa.SpaSite,
    reveal.RevealSite,
    modal.ModalSite,
    shadow.ShadowSite,
    iframe.IframeSite,
    totp.TotpSite,
    mfa.MfaSite,
    emailcode.EmailCodeSite,
    picker.PickerSite,
    staysignedin.StaySignedInSite,
    sso.SsoAppSite,
    sso.IdpSite,
    sso.GithubIdpSite,
    captcha.CaptchaSite,
    push.PushSite,
    passkey.PasskeySite,
    noform.NoFormSite,
    evil.EvilSite,
    evil.EvilJsSite,
    collector.CollectorSite,
    slow.SlowSite,
    bank.BankSite,
    quirks.QuirksSite,
    *real.site_classes(),  # modelled on well-known public logins: tests/sites/real/
)


def split_host(value: str) -> str:
    """``"Classic.localhost:8800"`` → ``"classic.localhost"`` (also copes with ``[::1]:80``)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class SandboxServer:
    """The sandbox sites served from a daemon thread on 127.0.0.1."""

    def __init__(self, port: int = 0, *, verbose: bool = False) -> None:
        self.port = port
        self.verbose = verbose
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._sites: dict[str, Site] = {}
        for cls in SITE_CLASSES:
            site = cls(self)
            for host in cls.hosts:
                self._sites[host] = site

    # --- lifecycle

    def start(self) -> SandboxServer:
        self._httpd = _HTTPServer(("127.0.0.1", self.port), _Handler, self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="sandbox-sites", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addressing

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    @property
    def hosts(self) -> list[str]:
        return list(self._sites)

    def site(self, host: str) -> Site:
        try:
            return self._sites[split_host(host)]
        except KeyError:
            raise KeyError(f"no sandbox site answers for {host!r}") from None

    # --- test controls

    def sent_codes(self, host: str) -> list[str]:
        site = self.site(host)
        with site.lock:
            return list(site.codes)

    def expire_sessions(self, host: str) -> None:
        self.site(host).expire_sessions()

    def approve_push(self, host: str) -> None:
        self.site(host).approve_push()

    def received(self, host: str) -> list[dict[str, Any]]:
        site = self.site(host)
        wanted = split_host(host)
        with site.lock:
            # A site may answer for several hosts (iframe.localhost and auth.iframe.localhost).
            return [{k: v for k, v in r.items() if k != "host"} for r in site.requests if r["host"] == wanted]

    def login_attempts(self, host: str) -> list[dict[str, Any]]:
        site = self.site(host)
        with site.lock:
            return [dict(a) for a in site.attempts]

    def whoami_with(self, host: str, state: dict[str, Any] | None) -> str | None:
        """Who ``host`` thinks is signed in for a Playwright browser state: its cookies for the host, or
        the token a single-page app keeps in IndexedDB. Asked over HTTP, as a browser would."""
        cookies = "; ".join(
            f"{c['name']}={c['value']}" for c in (state or {}).get("cookies", []) if host.endswith(c["domain"].lstrip("."))
        )
        headers = {"Host": host, "Cookie": cookies}
        for origin in (state or {}).get("origins", []):
            for database in origin.get("indexedDB", []):
                for store in database.get("stores", []):
                    for record in store.get("records", []):
                        value = record.get("value")
                        token = value if isinstance(value, str) else value.get("token") if isinstance(value, dict) else None
                        if token:
                            headers["Authorization"] = f"Bearer {token}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", "/_sandbox/whoami", headers=headers)
            return json.loads(connection.getresponse().read())["user"]
        finally:
            connection.close()

    # --- request routing

    def respond(self, req: Request) -> Response:
        site = self._sites.get(req.host)
        if site is None:
            return self._unknown_host(req)
        if req.path.startswith("/_sandbox/"):
            return self._control(site, req)
        return site.handle(req)

    def _control(self, site: Site, req: Request) -> Response:
        match req.method, req.path:
            case "GET", "/_sandbox/whoami":
                return json_response(site.whoami(req))
            case "GET", "/_sandbox/codes":
                return json_response({"codes": self.sent_codes(req.host)})
            case "GET", "/_sandbox/attempts":
                return json_response({"attempts": self.login_attempts(req.host)})
            case "GET", "/_sandbox/received":
                return json_response({"requests": self.received(req.host)})
            case "POST", "/_sandbox/expire":
                site.expire_sessions()
                return json_response({"ok": True})
            case "POST", "/_sandbox/approve":
                return json_response({"ok": True, "approved": site.approve_push()})
        return json_response({"error": f"no sandbox control {req.method} {req.path}"}, 404)

    def _unknown_host(self, req: Request) -> Response:
        links = "".join(f'<li><a href="{esc(self.url(h))}">{esc(h)}</a></li>' for h in self._sites)
        body = f"<h1>404 — no site here</h1><p>Nothing is served for {esc(req.host)}.</p><ul>{links}</ul>"
        return html_response(document("Not found", body), 404)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], sandbox: SandboxServer
    ):
        self.sandbox = sandbox
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive, like real sites; every response has a Content-Length
    timeout = 30  # idle keep-alive connections from the browser must not pin threads forever
    server_version = "SandboxSites/1.0"

    def _serve(self) -> None:
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self._websocket()
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        path, _, query = self.path.partition("?")
        req = Request(
            method=self.command,
            host=split_host(self.headers.get("Host", "")),
            path=path or "/",
            query_string=query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            resp = self.server.sandbox.respond(req)
        except Exception:  # a bug in a site must show up, not hang the browser
            log.exception("sandbox site crashed on %s %s", req.method, req.full_path)
            resp = Response(traceback.format_exc().encode(), 500, "text/plain; charset=utf-8")
        self.send_response(resp.status)
        for name, value in resp.headers:
            self.send_header(name, value)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    def _websocket(self) -> None:
        """Accept a WebSocket on any site and record its opening and every message it sends (RFC 6455,
        just enough for the tests: text and binary frames, ping, close)."""
        path, _, query = self.path.partition("?")
        req = Request(method="GET", host=split_host(self.headers.get("Host", "")), path=path or "/", query_string=query,
                      headers={k.lower(): v for k, v in self.headers.items()})
        site = self.server.sandbox._sites.get(req.host)
        if site is None:
            self.send_error(404)
            return
        site.record(req, method="WS")
        accept = base64.b64encode(hashlib.sha1((self.headers.get("Sec-WebSocket-Key", "") + WS_GUID).encode()).digest())  # noqa: S324 - RFC 6455
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept.decode())
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack(">H", self.rfile.read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self.rfile.read(8))[0]
            mask = self.rfile.read(4) if head[1] & 0x80 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
            if opcode == 0x8:
                return
            if opcode == 0x9:
                self.wfile.write(bytes([0x8A, len(data)]) + data)
                self.wfile.flush()
            elif opcode in (0x1, 0x2):
                site.record(req, method="WS-MESSAGE", body=data.decode("utf-8", "replace"))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if self.server.sandbox.verbose:
            super().log_message(format, *args)
