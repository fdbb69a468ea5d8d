"""The small web framework the sandbox sites share: requests, responses, cookie sessions, page chrome.

Everything is in memory and stdlib only, so the sandbox starts in milliseconds inside a test process.
Each site is a :class:`Site` subclass answering for one or more host names; the server picks the site
from the ``Host`` header and calls :meth:`Site.handle`.
"""

from __future__ import annotations

import contextvars
import html
import json
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Protocol
from urllib.parse import parse_qsl

from tests.sites import accounts

# Tests may look for this attribute to know a page is a signed-in page; the login engine must not.
LOGGED_IN = 'data-sandbox-state="logged-in"'

# The "no session" variant (issue 8): a browser carrying this cookie for a site gets every page of a
# successful login, landing included, but the session dies when a page of the site is next opened
# afresh. The landing looks signed in (name, account menu, sign-out); only a fresh page can tell.
VARIANT_COOKIE = "sandbox_variant"
NO_SESSION = "nosession"
_CREATED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("sandbox_created_sessions", default=None)

# How many requests each site remembers for ``received`` (bounded so a long `make sandbox` stays small).
MAX_RECEIVED = 2000


def esc(value: object) -> str:
    """HTML-escape text and attribute values (sites echo what users typed back into pages)."""
    return html.escape(str(value), quote=True)


def js_value(value: object) -> str:
    """A JSON literal safe to embed inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def random_code() -> str:
    """A 6-digit one-time code as a site would send by email or SMS."""
    return f"{secrets.randbelow(10**6):06d}"


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go to after sign-in; anything else (``//evil``, ``http://…``) is ignored."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# --- requests and responses -----------------------------------------------------------------------


@dataclass
class Request:
    method: str
    host: str  # lower-case host name without the port, e.g. "classic.localhost"
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case header names
    body: bytes = b""

    @cached_property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    @cached_property
    def cookies(self) -> dict[str, str]:
        # Parsed by hand: http.cookies.SimpleCookie silently drops every cookie after a malformed one.
        jar: dict[str, str] = {}
        for part in self.headers.get("cookie", "").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name and name not in jar:
                jar[name] = value
        return jar

    @cached_property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @cached_property
    def form(self) -> dict[str, str]:
        """The urlencoded body (what a plain HTML ``<form method=post>`` sends)."""
        if "application/json" in self.headers.get("content-type", ""):
            return {}
        return dict(parse_qsl(self.text, keep_blank_values=True))

    @cached_property
    def json(self) -> dict[str, Any]:
        try:
            data = json.loads(self.text or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def bearer(self) -> str | None:
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return token.strip() or None

    @property
    def full_path(self) -> str:
        return f"{self.path}?{self.query_string}" if self.query_string else self.path


@dataclass
class Response:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def set_cookie(
        self,
        name: str,
        value: str,
        *,
        max_age: int | None = None,
        domain: str | None = None,
        path: str = "/",
        http_only: bool = True,
        same_site: str = "Lax",
    ) -> Response:
        parts = [f"{name}={value}", f"Path={path}", f"SameSite={same_site}"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if domain:
            parts.append(f"Domain={domain}")
        if http_only:
            parts.append("HttpOnly")
        self.headers.append(("Set-Cookie", "; ".join(parts)))
        return self

    def delete_cookie(self, name: str, *, domain: str | None = None, path: str = "/") -> Response:
        return self.set_cookie(name, "", max_age=0, domain=domain, path=path)


def html_response(markup: str, status: int = 200) -> Response:
    return Response(markup.encode(), status)


def json_response(data: object, status: int = 200) -> Response:
    return Response(json.dumps(data).encode(), status, "application/json")


def redirect(location: str, status: int = 302) -> Response:
    return Response(b"", status, headers=[("Location", location)])


def document(
    title: str, body: str, *, css: str = "", head: str = "", body_attrs: str = "", lang: str = "en"
) -> str:
    """A complete HTML page. Sites pass their own CSS so no two look alike."""
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n{head}\n</head>\n"
        f"<body {body_attrs}>\n{body}\n</body>\n</html>\n"
    )


# --- sessions -------------------------------------------------------------------------------------


@dataclass
class Session:
    token: str
    user: str
    data: dict[str, Any] = field(default_factory=dict)


class SessionStore:
    """Opaque random tokens mapped to a user; used for sessions and for half-finished login flows."""

    def __init__(self, *, signed_in: bool = False) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, Session] = {}
        self.signed_in = signed_in  # sessions of signed-in users (not half-finished flows)
        self.doomed: set[str] = set()  # no-session variant: dropped when the next page is opened

    def create(self, user: str, **data: Any) -> Session:
        session = Session(secrets.token_urlsafe(24), user, dict(data))
        with self._lock:
            self._items[session.token] = session
        created = _CREATED.get()
        if self.signed_in and created is not None:
            created.append(session.token)
        return session

    def doom(self, tokens: list[str]) -> None:
        with self._lock:
            self.doomed.update(tokens)

    def drop_doomed(self) -> None:
        with self._lock:
            for token in self.doomed:
                self._items.pop(token, None)
            self.doomed.clear()

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._lock:
            return self._items.get(token)

    def drop(self, token: str | None) -> None:
        with self._lock:
            self._items.pop(token or "", None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def all(self) -> list[Session]:
        with self._lock:
            return list(self._items.values())


class Sandbox(Protocol):
    """What a site needs from the server: its port (cross-host links) and the other sites (SSO)."""

    port: int

    def url(self, host: str, path: str = "/") -> str: ...

    def site(self, host: str) -> Site: ...


# --- sites ----------------------------------------------------------------------------------------

DEFAULT_CSS = """
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #222; background: #fafafa; }
.site-header { display: flex; gap: 24px; align-items: center; padding: 12px 32px; background: #fff; border-bottom: 1px solid #e5e5e5; }
.site-header .brand { font-weight: 700; color: #222; text-decoration: none; }
.site-header nav { display: flex; gap: 16px; flex: 1; }
.site-header a { color: #444; }
main { max-width: 720px; margin: 40px auto; padding: 0 24px; }
.site-footer { color: #888; font-size: 13px; padding: 32px; text-align: center; }
"""

# Marketing pages every site links to from its header. They render in the site's chrome so a signed-in
# visitor still sees who is signed in.
FILLER_PAGES: dict[str, tuple[str, str]] = {
    "/pricing": ("Pricing", "Free for individuals. Team plans start at $8 per seat per month."),
    "/docs": ("Documentation", "Guides, API reference and tutorials to get you started."),
    "/blog": ("Blog", "Product news, engineering stories and the occasional recipe."),
    "/about": ("About us", "We are a small team building useful software."),
    "/help": ("Help center", "Answers to common questions, and a way to reach support."),
    "/signup": ("Create your account", "Sign-ups are closed in this sandbox."),
    "/privacy": ("Privacy policy", "We keep what you give us and nothing else."),
    "/terms": ("Terms of service", "Be nice."),
}


class Site:
    """One sandbox web site. Subclasses set the class attributes and implement :meth:`dispatch`."""

    hosts: ClassVar[tuple[str, ...]] = ()
    brand: ClassVar[str] = "Site"
    css: ClassVar[str] = DEFAULT_CSS
    session_cookie: ClassVar[str] = "session"
    flow_cookie: ClassVar[str] = "login_flow"
    identifier_key: ClassVar[str] = "username"  # key of the identifier in ``login_attempts`` records
    login_path: ClassVar[str] = "/login"
    login_label: ClassVar[str] = "Log in"
    logout_path: ClassVar[str] = "/logout"
    logout_label: ClassVar[str] = "Log out"

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.sessions = SessionStore(signed_in=True)
        self.flows = SessionStore()  # logins in progress: password checked, second factor pending…
        self.lock = threading.Lock()
        self.codes: list[str] = []
        self.attempts: list[dict[str, Any]] = []
        self.requests: deque[dict[str, Any]] = deque(maxlen=MAX_RECEIVED)

    @property
    def host(self) -> str:
        return self.hosts[0]

    def url(self, path: str = "/", host: str | None = None) -> str:
        return self.sandbox.url(host or self.host, path)

    # --- request handling

    def record(self, req: Request, *, method: str | None = None, body: str | None = None) -> None:
        with self.lock:
            self.requests.append(
                {
                    "method": method or req.method,
                    "path": req.path,
                    "query": req.query,
                    "body": req.text if body is None else body,
                    "host": req.host,
                }
            )

    def handle(self, req: Request) -> Response:
        if req.path != "/favicon.ico":
            self.record(req)
        if req.cookies.get(VARIANT_COOKIE) == NO_SESSION and not req.path.startswith("/_sandbox/"):
            return self._handle_without_session(req)
        return self._respond(req)

    def _respond(self, req: Request) -> Response:
        response = self.dispatch(req)
        if response is None and req.method == "GET" and req.path in FILLER_PAGES:
            title, text = FILLER_PAGES[req.path]
            response = self.render(title, f"<h1>{esc(title)}</h1><p>{esc(text)}</p>", self.session(req))
        if response is None:
            response = self.not_found(req)
        return response

    def _handle_without_session(self, req: Request) -> Response:
        """The no-session variant: a session lives through every page the login itself goes through
        (redirects, scripts, interstitials) and dies when a page is opened afresh — a navigation the
        browser starts itself (``Sec-Fetch-Site: none``: typed, bookmarked, opened by a program), which
        is what proving the session, or using it later, takes."""
        fresh = req.headers.get("sec-fetch-site", "none") == "none"
        if fresh and req.headers.get("sec-fetch-dest", "document") == "document":
            self.sessions.drop_doomed()
        created: list[str] = []
        token = _CREATED.set(created)
        try:
            response = self._respond(req)
        finally:
            _CREATED.reset(token)
        self.sessions.doom(created)
        return response

    def dispatch(self, req: Request) -> Response | None:
        raise NotImplementedError

    def not_found(self, req: Request) -> Response:
        if req.path == "/favicon.ico":
            return Response(b"", 404, "text/plain")
        main = "<h1>Page not found</h1><p>The page you are looking for does not exist.</p><p><a href='/'>Go home</a></p>"
        return self.render("Page not found", main, self.session(req), status=404)

    # --- page chrome (sites with a distinct look override it)

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            account = (
                f'<span class="who">{esc(session.user)}</span> '
                f'<a href="{self.logout_path}">{esc(self.logout_label)}</a>'
            )
        else:
            account = f'<a href="{self.login_path}">{esc(self.login_label)}</a>'
        body = (
            f'<header class="site-header"><a class="brand" href="/">{esc(self.brand)}</a>'
            '<nav><a href="/pricing">Pricing</a><a href="/docs">Docs</a><a href="/blog">Blog</a></nav>'
            f'<div class="account">{account}</div></header>\n<main>{main}</main>\n'
            f'<footer class="site-footer">© 2025 {esc(self.brand)} · <a href="/privacy">Privacy</a> · '
            '<a href="/terms">Terms</a></footer>'
        )
        return document(
            f"{title} · {self.brand}", body, css=self.css, body_attrs=LOGGED_IN if session else ""
        )

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, main, session), status)

    # --- sessions

    def session(self, req: Request) -> Session | None:
        return self.sessions.get(req.cookies.get(self.session_cookie))

    def sign_in(self, response: Response, *, persistent_days: int | None = None, **data: Any) -> Session:
        """Start a session for the sandbox user; ``persistent_days`` makes the cookie outlive the browser."""
        session = self.sessions.create(accounts.USERNAME, **data)
        max_age = persistent_days * 86400 if persistent_days else None
        response.set_cookie(self.session_cookie, session.token, max_age=max_age)
        return session

    def sign_out(self, req: Request, response: Response) -> None:
        self.sessions.drop(req.cookies.get(self.session_cookie))
        response.delete_cookie(self.session_cookie)

    def flow(self, req: Request) -> Session | None:
        return self.flows.get(req.cookies.get(self.flow_cookie))

    def start_flow(self, response: Response, user: str, **data: Any) -> Session:
        flow = self.flows.create(user, **data)
        response.set_cookie(self.flow_cookie, flow.token)
        return flow

    def end_flow(self, req: Request, response: Response) -> None:
        self.flows.drop(req.cookies.get(self.flow_cookie))
        response.delete_cookie(self.flow_cookie)

    # --- what the sandbox records for tests

    def record_attempt(self, identifier: str, ok: bool) -> None:
        with self.lock:
            self.attempts.append({self.identifier_key: identifier, "ok": ok})

    def send_code(self) -> str:
        """ "Send" a one-time code by email or SMS: tests read it back with ``sent_codes``."""
        code = random_code()
        with self.lock:
            self.codes.append(code)
        return code

    def whoami(self, req: Request) -> dict[str, Any]:
        session = self.session(req)
        return {"user": session.user if session else None}

    def expire_sessions(self) -> None:
        self.sessions.clear()
        self.flows.clear()

    def approve_push(self) -> int:
        """Approve pending push sign-ins; only the push site has any."""
        return 0
