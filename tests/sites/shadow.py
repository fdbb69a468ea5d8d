"""shadow.localhost — "Prism": the login form lives inside a web component's open shadow root.

``document.querySelector("input")`` finds nothing on /login: the inputs are inside
``<sandbox-login>``'s shadow DOM. The component posts JSON with fetch to ``/api/session`` and then
navigates to ``/app``.
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
body { margin: 0; font: 15px/1.5 'Avenir Next', 'Helvetica Neue', sans-serif; background: #f5f3ff; color: #1e1b4b; }
.chrome { display: flex; align-items: center; padding: 0 40px; height: 60px; background: #1e1b4b; color: #fff; }
.chrome .logo { font-weight: 700; margin-right: 40px; color: #c4b5fd; text-decoration: none; }
.chrome a { color: #ddd6fe; margin-right: 20px; text-decoration: none; }
.chrome .who { margin-left: auto; display: flex; align-items: center; gap: 14px; }
.chrome .who button { background: #c4b5fd; border: 0; border-radius: 4px; padding: 6px 12px; cursor: pointer; }
.stage { display: flex; justify-content: center; padding: 70px 20px; }
.workspace { padding: 30px 40px; }
.workspace table { border-collapse: collapse; background: #fff; } .workspace td { padding: 8px 16px; border-bottom: 1px solid #ede9fe; }
"""

COMPONENT = r"""
class SandboxLogin extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = `
      <style>
        :host { display: block; width: 360px; background: #fff; border-radius: 14px; padding: 32px; box-shadow: 0 10px 30px rgba(30,27,75,.12); }
        h1 { font-size: 22px; margin: 0 0 20px; }
        label { display: block; font-size: 13px; font-weight: 600; margin: 14px 0 6px; }
        input { width: 100%; box-sizing: border-box; padding: 10px; border: 1px solid #c7d2fe; border-radius: 8px; font-size: 15px; }
        button { margin-top: 22px; width: 100%; padding: 11px; background: #4f46e5; color: #fff; border: 0; border-radius: 8px; font-size: 15px; cursor: pointer; }
        .error { color: #be123c; margin-top: 12px; font-size: 14px; }
        .links { margin-top: 16px; font-size: 13px; display: flex; justify-content: space-between; }
      </style>
      <h1>Sign in to Prism</h1>
      <form part="form">
        <label for="u">Username</label>
        <input id="u" name="j_username" autocomplete="username" required>
        <label for="p">Password</label>
        <input id="p" name="j_password" type="password" autocomplete="current-password" required>
        <div class="error" role="alert"></div>
        <button type="submit" part="button">Sign in</button>
      </form>
      <div class="links"><a href="/reset">Forgot password?</a><a href="/signup">Create account</a></div>`;
    const form = root.querySelector("form");
    const error = root.querySelector(".error");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const res = await fetch(this.getAttribute("action") || "/api/session", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: form.j_username.value, password: form.j_password.value }),
      });
      if (res.ok) { location.assign((await res.json()).next || "/app"); return; }
      error.textContent = "Invalid username or password.";
    });
  }
}
customElements.define("sandbox-login", SandboxLogin);
"""


class ShadowSite(Site):
    hosts = ("shadow.localhost",)
    brand = "Prism"
    session_cookie = "prism_session"
    identifier_key = "username"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/app" if self.session(req) else "/login")
            case "GET", "/login":
                return redirect("/app") if self.session(req) else self.login_page()
            case "POST", "/api/session":
                return self.api_session(req)
            case "GET", "/app":
                return self.app(req)
            case "POST", "/logout":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        who = (
            f'<div class="who"><span>{esc(accounts.USERNAME)}</span>'
            '<form method="post" action="/logout"><button type="submit">Logout</button></form></div>'
            if session
            else ""
        )
        body = (
            '<div class="chrome"><a class="logo" href="/">PRISM</a><a href="/pricing">Pricing</a><a href="/docs">Docs</a>'
            f'<a href="/blog">Blog</a>{who}</div>\n{main}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="workspace">{main}</div>', session), status)

    def login_page(self) -> Response:
        main = f'<div class="stage"><sandbox-login action="/api/session"></sandbox-login></div>\n<script>{COMPONENT}</script>'
        return html_response(self.chrome("Prism — Sign in", main, None))

    def api_session(self, req: Request) -> Response:
        username = str(req.json.get("username", ""))
        ok = accounts.check_password(username, str(req.json.get("password", "")))
        self.record_attempt(username, ok)
        if not ok:
            return json_response({"error": "invalid_credentials"}, 401)
        response = json_response({"next": "/app"})
        self.sign_in(response)
        return response

    def app(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        main = """
<h1>Dashboard</h1>
<table><tr><td>Spectrum build #218</td><td>passed</td></tr><tr><td>Spectrum build #217</td><td>failed</td></tr>
<tr><td>Refraction deploy</td><td>running</td></tr></table>"""
        return self.render("Prism — Dashboard", main, session)
