"""push.localhost — "Sentinel": after the password, approve a push notification on your phone.

The waiting page has no inputs. It polls ``/push/status`` every 500 ms and moves on once the test
calls ``approve_push`` (in-process or ``POST /_sandbox/approve``).
"""

from __future__ import annotations

from tests.sites import accounts
from tests.sites.framework import (
    LOGGED_IN,
    Request,
    Response,
    Session,
    Site,
    document,
    esc,
    html_response,
    json_response,
    redirect,
)

CSS = """
body { margin: 0; font: 15px/1.5 'IBM Plex Sans', 'Helvetica Neue', sans-serif; background: #161616; color: #f4f4f4; }
.shell { display: flex; align-items: center; gap: 24px; height: 48px; padding: 0 24px; background: #262626; border-bottom: 1px solid #393939; }
.shell .p { font-weight: 600; } .shell a { color: #c6c6c6; text-decoration: none; } .shell .end { margin-left: auto; display: flex; gap: 16px; }
.tile { width: 400px; margin: 70px auto; background: #262626; padding: 32px; }
.tile label { display: block; font-size: 12px; color: #c6c6c6; margin: 14px 0 6px; }
.tile input { width: 100%; box-sizing: border-box; background: #393939; border: 0; border-bottom: 1px solid #8d8d8d; color: #f4f4f4; padding: 11px; font-size: 14px; }
.tile button { margin-top: 24px; width: 100%; background: #0f62fe; color: #fff; border: 0; padding: 14px; text-align: left; font-size: 14px; cursor: pointer; }
.notification { background: #fff1f1; color: #161616; border-left: 3px solid #da1e28; padding: 10px 12px; }
.phone { font-size: 64px; text-align: center; }
.spinner { width: 28px; height: 28px; margin: 18px auto; border: 3px solid #393939; border-top-color: #0f62fe; border-radius: 50%; animation: spin 1s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
.number { font-size: 40px; text-align: center; letter-spacing: 4px; }
"""

POLL_SCRIPT = """
(function poll() {
  fetch("/push/status", { cache: "no-store" })
    .then((res) => res.json())
    .then((data) => {
      if (data.status === "approved") { location.assign("/push/complete"); return; }
      if (data.status === "expired") { location.assign("/login?expired=1"); return; }
      setTimeout(poll, 500);
    })
    .catch(() => setTimeout(poll, 500));
})();
"""


class PushSite(Site):
    hosts = ("push.localhost",)
    brand = "Sentinel"
    session_cookie = "sentinel_sid"
    flow_cookie = "sentinel_push"
    identifier_key = "username"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/dashboard" if self.session(req) else "/login")
            case "GET", "/login":
                return redirect("/dashboard") if self.session(req) else self.login_page(req)
            case "POST", "/login":
                return self.login_submit(req)
            case "GET", "/push":
                return self.push_page(req)
            case "GET", "/push/status":
                flow = self.flow(req)
                status = "expired" if not flow else ("approved" if flow.data.get("approved") else "pending")
                return json_response({"status": status})
            case "GET", "/push/complete":
                return self.complete(req)
            case "GET", "/dashboard":
                return self.dashboard(req)
            case "GET", "/logout":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        return None

    def approve_push(self) -> int:
        pending = [flow for flow in self.flows.all() if not flow.data.get("approved")]
        for flow in pending:
            flow.data["approved"] = True
        return len(pending)

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        end = (
            f'<span class="end"><span>{esc(accounts.USERNAME)}</span><a href="/logout">Log out</a></span>'
            if session
            else '<span class="end"><a href="/help">Support</a></span>'
        )
        body = (
            '<div class="shell"><span class="p">Sentinel <b>Console</b></span><a href="/pricing">Pricing</a>'
            f'<a href="/docs">Docs</a><a href="/blog">Blog</a>{end}</div><div class="tile">{main}</div>'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def login_page(self, req: Request, *, error: str = "") -> Response:
        if req.query.get("expired"):
            error = "The sign-in request expired. Sign in again."
        note = f'<div class="notification" role="alert">{esc(error)}</div>' if error else ""
        main = f"""
<h2>Log in to Sentinel</h2>
{note}
<form method="post" action="/login">
  <label for="uid">Username</label><input id="uid" name="uid" autocomplete="username">
  <label for="pwd">Password</label><input id="pwd" name="pwd" type="password" autocomplete="current-password">
  <button type="submit">Continue →</button>
</form>
<p><a href="/forgot">Forgot password?</a></p>"""
        return html_response(self.chrome("Log in – Sentinel", main, None))

    def login_submit(self, req: Request) -> Response:
        username = req.form.get("uid", "")
        ok = accounts.check_password(username, req.form.get("pwd", ""))
        self.record_attempt(username, ok)
        if not ok:
            return self.login_page(req, error="Incorrect username or password.")
        response = redirect("/push")
        self.start_flow(response, accounts.USERNAME)
        return response

    def push_page(self, req: Request) -> Response:
        if not self.flow(req):
            return redirect("/login")
        main = f"""
<div class="phone">📱</div>
<h2>Check your phone</h2>
<p>Approve the sign-in request we sent to your Sandbox Authenticator app.</p>
<p>Make sure the number matches:</p><div class="number">42</div>
<div class="spinner" aria-label="Waiting for approval"></div>
<p><a href="/login">Use a different account</a></p>
<script>{POLL_SCRIPT}</script>"""
        return html_response(self.chrome("Approve sign-in – Sentinel", main, None))

    def complete(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow or not flow.data.get("approved"):
            return redirect("/push" if flow else "/login")
        response = redirect("/dashboard")
        self.end_flow(req, response)
        self.sign_in(response)
        return response

    def dashboard(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        main = "<h2>Dashboard</h2><p>All systems operational.</p><p>3 alerts acknowledged today.</p>"
        return html_response(self.chrome("Dashboard – Sentinel", main, session))
