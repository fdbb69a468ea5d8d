"""slow.localhost — "Slowpoke": an identifier-first login whose first step the tests can hold up.

``/login`` asks for the email; its POST is held by the server until a test releases it (or
``HOLD_LIMIT`` seconds pass), so a test can act while the login engine is mid-login. Then
``/login/password`` asks for the password. Every page of the login runs a heartbeat (``fetch('/ping')``
every 100 ms), so a test can tell when the browser showing it went away.

Logins are told apart by a ``run`` query parameter the test puts in the login URL; the pages carry it
on. :meth:`SlowSite.events` returns what a run did, with ``time.monotonic()`` stamps of this process.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

from tests.sites import accounts
from tests.sites.framework import (
    LOGGED_IN,
    Request,
    Response,
    Sandbox,
    Session,
    Site,
    document,
    esc,
    html_response,
    redirect,
)

# Longest a held POST waits for its release, so a test that fails half-way never pins a server thread.
HOLD_LIMIT = 8.0  # below the engine's 10 s patience with a form that does not react
HEARTBEAT_MS = 100

CSS = """
body { margin: 0; font: 15px/1.5 'Trebuchet MS', sans-serif; background: #fdf6e3; color: #3b3228; }
.bar { padding: 12px 28px; background: #b58900; color: #fff; font-weight: bold; }
.box { width: 360px; margin: 60px auto; background: #fff; border: 2px solid #eee8d5; border-radius: 6px; padding: 28px; }
.box h1 { font-size: 22px; margin: 0 0 18px; }
.box label { display: block; margin-bottom: 6px; }
.box input { width: 100%; box-sizing: border-box; padding: 9px; border: 1px solid #93a1a1; border-radius: 4px; }
.box button { margin-top: 18px; padding: 9px 22px; border: 0; border-radius: 4px; background: #268bd2; color: #fff; cursor: pointer; }
.who { color: #657b83; }
.err { color: #dc322f; margin-top: 8px; }
"""


def _heartbeat(run: str) -> str:
    return (
        "<script>setInterval(function () {"
        f" fetch('/ping?run={quote(run)}', {{cache: 'no-store'}}).catch(function () {{}});"
        f" }}, {HEARTBEAT_MS});</script>"
    )


@dataclass
class Event:
    kind: str  # "ping", "identifier", "identifier-answered", "password"
    at: float  # time.monotonic() when the server got it


class SlowSite(Site):
    hosts = ("slow.localhost",)
    brand = "Slowpoke"
    session_cookie = "slow_session"
    flow_cookie = "slow_flow"
    identifier_key = "email"

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._events: dict[str, list[Event]] = defaultdict(list)
        self._releases: dict[str, threading.Event] = defaultdict(threading.Event)

    # --- what tests read and control

    def events(self, run: str, kind: str | None = None) -> list[Event]:
        with self.lock:
            return [e for e in self._events[run] if kind is None or e.kind == kind]

    def release(self, run: str) -> None:
        """Let the held identifier POST of ``run`` answer."""
        with self.lock:
            release = self._releases[run]
        release.set()

    def _record(self, run: str, kind: str) -> None:
        with self.lock:
            self._events[run].append(Event(kind, time.monotonic()))

    # --- pages

    def dispatch(self, req: Request) -> Response | None:
        run = req.query.get("run", "")
        match req.method, req.path:
            case "GET", "/":
                return redirect("/home" if self.session(req) else f"/login?run={quote(run)}")
            case "GET", "/ping":
                self._record(run, "ping")
                return Response(b"", 204, "text/plain")
            case "GET", "/login":
                return self.identifier_page(run)
            case "POST", "/login":
                return self.identifier_submit(req, run)
            case "GET", "/login/password":
                return self.password_page(req, run)
            case "POST", "/login/password":
                return self.password_submit(req, run)
            case "GET", "/home":
                return self.home(req)
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        return document(
            f"{title} · Slowpoke",
            f'<div class="bar">Slowpoke</div><div class="box">{main}</div>',
            css=CSS,
            body_attrs=LOGGED_IN if session else "",
        )

    def identifier_page(self, run: str, *, error: str = "") -> Response:
        err = f'<p class="err" role="alert">{esc(error)}</p>' if error else ""
        main = f"""<h1>Sign in</h1>
<form method="post" action="/login?run={esc(quote(run))}">
  <label for="email">Email</label>
  <input type="email" id="email" name="email" autocomplete="username" autofocus>
  {err}
  <button type="submit">Next</button>
</form>{_heartbeat(run)}"""
        return html_response(self.chrome("Sign in", main, None))

    def identifier_submit(self, req: Request, run: str) -> Response:
        self._record(run, "identifier")
        with self.lock:
            release = self._releases[run]
        # The hold is the point of this site: the browser waits on this response while a test acts.
        release.wait(HOLD_LIMIT)
        self._record(run, "identifier-answered")
        email = req.form.get("email", "").strip()
        if not accounts.is_email(email):
            return self.identifier_page(run, error="No account with that email.")
        response = redirect(f"/login/password?run={quote(run)}")
        self.start_flow(response, accounts.EMAIL)
        return response

    def password_page(self, req: Request, run: str, *, error: str = "") -> Response:
        flow = self.flow(req)
        if not flow:
            return redirect(f"/login?run={quote(run)}")
        err = f'<p class="err" role="alert">{esc(error)}</p>' if error else ""
        main = f"""<h1>Enter your password</h1>
<p class="who">{esc(flow.user)}</p>
<form method="post" action="/login/password?run={esc(quote(run))}">
  <input type="email" name="username" value="{esc(flow.user)}" autocomplete="username" hidden readonly>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" autofocus>
  {err}
  <button type="submit">Sign in</button>
</form>{_heartbeat(run)}"""
        return html_response(self.chrome("Password", main, None))

    def password_submit(self, req: Request, run: str) -> Response:
        self._record(run, "password")
        flow = self.flow(req)
        if not flow:
            return redirect(f"/login?run={quote(run)}")
        ok = accounts.check_password(flow.user, req.form.get("password", ""))
        self.record_attempt(flow.user, ok)
        if not ok:
            return self.password_page(req, run, error="Wrong password.")
        response = redirect("/home")
        self.end_flow(req, response)
        self.sign_in(response)
        return response

    def home(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        return html_response(self.chrome("Home", f"<h1>Welcome back</h1><p>Signed in as {esc(accounts.EMAIL)}.</p>"
                                               '<p><a href="/logout">Sign out</a></p>', session))
