"""picker.localhost — "Teamspace": after the password, choose one of three workspaces.

The login form has no submit button: "Log in" is an ``<a>`` whose script submits the form (and Enter
works through a key handler, since a two-field form without a submit button is not submitted
implicitly). The user is signed in only once a workspace card is chosen.
"""

from __future__ import annotations

from typing import Any

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
    redirect,
)

WORKSPACES = {
    "acme": ("Acme Corp", "Manufacturing · 42 members"),
    "globex": ("Globex", "Energy & utilities · 118 members"),
    "initech": ("Initech", "Software consulting · 9 members"),
}

CSS = """
body { margin: 0; font: 15px/1.5 Lato, 'Helvetica Neue', sans-serif; background: #f8f8fa; color: #1d1c1d; }
.nav { display: flex; align-items: center; gap: 22px; padding: 16px 48px; background: #4a154b; }
.nav .logo { color: #fff; font-weight: 900; font-size: 20px; text-decoration: none; }
.nav a { color: #e8d5e9; }
.nav .r { margin-left: auto; }
.login { max-width: 400px; margin: 60px auto; text-align: center; }
.login input { display: block; width: 100%; box-sizing: border-box; padding: 12px; margin-bottom: 12px; border: 1px solid #bbb; border-radius: 4px; font-size: 17px; }
a.btn { display: block; background: #611f69; color: #fff; padding: 12px; border-radius: 4px; text-decoration: none; font-weight: 700; }
.err { color: #e01e5a; }
.picker { max-width: 560px; margin: 50px auto; }
.ws-card { display: flex; align-items: center; gap: 16px; background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 16px 20px; margin-bottom: 12px; text-decoration: none; color: inherit; }
.ws-card:hover { border-color: #611f69; }
.ws-card .icon { width: 44px; height: 44px; border-radius: 8px; background: #e8d5e9; display: grid; place-items: center; font-weight: 900; }
.ws-card .meta { color: #616061; font-size: 13px; }
.ws-card .open { margin-left: auto; color: #611f69; font-weight: 700; }
.client { display: grid; grid-template-columns: 240px 1fr; min-height: calc(100vh - 62px); }
.client aside { background: #3f0e40; color: #cfc3cf; padding: 18px; } .client aside b { color: #fff; }
.client main { padding: 20px 30px; }
.profile { display: flex; align-items: center; gap: 10px; color: #fff; }
.profile .av { width: 28px; height: 28px; border-radius: 4px; background: #e8912d; display: grid; place-items: center; font-weight: 700; }
.profile a { color: #fff; }
#cookie-notice { position: fixed; right: 20px; bottom: 20px; width: 300px; background: #1d1c1d; color: #fff; padding: 14px; border-radius: 8px; font-size: 13px; }
#cookie-notice button { margin-right: 6px; }
"""

LOGIN_SCRIPT = """
(function () {
  const form = document.getElementById("signin");
  document.getElementById("login-link").addEventListener("click", (e) => { e.preventDefault(); form.submit(); });
  form.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); form.submit(); } });
})();
"""

COOKIE_NOTICE = """
<div id="cookie-notice">
  We use cookies to make Teamspace work and to improve it.
  <p><button type="button" onclick="this.closest('#cookie-notice').remove()">Accept</button>
  <button type="button" onclick="this.closest('#cookie-notice').remove()">Reject non-essential</button></p>
</div>
"""


class PickerSite(Site):
    hosts = ("picker.localhost",)
    brand = "Teamspace"
    session_cookie = "ts"
    flow_cookie = "ts_pick"
    identifier_key = "username"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path.split("/")[1:]:
            case "GET", [""]:
                session = self.session(req)
                return redirect(f"/w/{session.data['workspace']}") if session else self.landing()
            case "GET", ["login"]:
                return redirect("/") if self.session(req) else self.login_page()
            case "POST", ["login"]:
                return self.login_submit(req)
            case "GET", ["workspaces"]:
                return self.picker(req)
            case "GET", ["workspaces", slug] if slug in WORKSPACES:
                return self.choose(req, slug)
            case "GET", ["w", slug] if slug in WORKSPACES:
                return self.workspace(req, slug)
            case "GET", ["account"]:
                session = self.session(req)
                if not session:
                    return redirect("/login")
                return self.render(
                    "Account settings", f"<h1>Account settings</h1><p>{esc(accounts.EMAIL)}</p>", session
                )
            case "GET", ["signout"]:
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            right = (
                '<div class="r profile"><span class="av">A</span><span>alice</span>'
                '<a href="/account">Account settings</a><a href="/signout">Sign out</a></div>'
            )
        else:
            right = '<div class="r"><a href="/login">Log in</a></div>'
        body = (
            '<div class="nav"><a class="logo" href="/">teamspace</a><a href="/pricing">Pricing</a>'
            f'<a href="/docs">Docs</a><a href="/blog">Blog</a>{right}</div>\n{main}'
            + ("" if session else COOKIE_NOTICE)
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="picker">{main}</div>', session), status)

    def landing(self) -> Response:
        return self.render(
            "Teamspace",
            "<h1>Where work happens.</h1><p><a href='/login'>Log in</a> to your workspace.</p>",
            None,
        )

    def login_page(self, *, error: str = "") -> Response:
        err = f'<p class="err">{esc(error)}</p>' if error else ""
        main = f"""
<div class="login">
  <h1>Log in to Teamspace</h1>
  <p>We suggest using the username you use at work.</p>
  {err}
  <form id="signin" method="post" action="/login">
    <input type="text" name="username" placeholder="Username" autocomplete="username">
    <input type="password" name="pass" placeholder="Password" autocomplete="current-password">
    <a href="#" id="login-link" class="btn">Log in</a>
  </form>
  <p><a href="/forgot">Forgot password?</a> · <a href="/signup">Create account</a></p>
</div>
<script>{LOGIN_SCRIPT}</script>"""
        return html_response(self.chrome("Log in | Teamspace", main, None))

    def login_submit(self, req: Request) -> Response:
        username = req.form.get("username", "")
        ok = accounts.check_password(username, req.form.get("pass", ""))
        self.record_attempt(username, ok)
        if not ok:
            return self.login_page(error="Sorry, you entered an incorrect username or password.")
        response = redirect("/workspaces")
        self.start_flow(response, accounts.USERNAME)
        return response

    def picker(self, req: Request) -> Response:
        # Someone signed in may come back here to switch workspaces.
        if not (self.flow(req) or self.session(req)):
            return redirect("/login")
        cards = "".join(
            f'<a class="ws-card" href="/workspaces/{slug}"><span class="icon">{esc(name[0])}</span>'
            f'<span><strong>{esc(name)}</strong><br><span class="meta">{esc(meta)}</span></span>'
            '<span class="open">Open →</span></a>'
            for slug, (name, meta) in WORKSPACES.items()
        )
        main = f"""
<div class="picker">
  <h1>Choose a workspace</h1>
  <p>Workspaces for {esc(accounts.EMAIL)}</p>
  {cards}
  <p><a href="/workspaces/new">Create a new workspace</a></p>
</div>"""
        return html_response(self.chrome("Choose a workspace | Teamspace", main, self.session(req)))

    def choose(self, req: Request, slug: str) -> Response:
        current = self.session(req)
        if not (self.flow(req) or current):
            return redirect("/login")
        response = redirect(f"/w/{slug}")
        self.end_flow(req, response)
        if current:
            self.sessions.drop(current.token)
        self.sign_in(response, workspace=slug)
        return response

    def workspace(self, req: Request, slug: str) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        if session.data.get("workspace") != slug:
            return redirect(f"/w/{session.data['workspace']}")
        name, meta = WORKSPACES[slug]
        main = f"""
<div class="client">
  <aside><b>{esc(name)}</b><p># general<br># random<br># announcements</p><p><a href="/workspaces" style="color:#cfc3cf">Switch workspace</a></p></aside>
  <main><h1># general</h1><p>You're in the <strong>{esc(name)}</strong> workspace ({esc(meta)}).</p>
  <p><b>bob</b>: morning all 👋</p><p><b>carol</b>: stand-up in 5</p></main>
</div>"""
        return html_response(self.chrome(f"{name} | Teamspace", main, session))

    def whoami(self, req: Request) -> dict[str, Any]:
        session = self.session(req)
        return {
            "user": session.user if session else None,
            "workspace": session.data.get("workspace") if session else None,
        }
