"""modal.localhost — "Orbit": the login lives in a modal dialog that script builds on demand.

There is no /login page. The home page has a "Log in" ``<button>`` in its header; clicking it creates
a ``<div role=dialog aria-modal=true>`` with email, password and "Sign in", which posts with fetch to
``/session`` and reloads the page, now signed in.
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
    html_response,
    json_response,
    redirect,
)

CSS = """
body { margin: 0; font: 16px/1.6 'Segoe UI', Roboto, sans-serif; background: #0b1020; color: #e6e9f2; }
header.hdr { display: flex; align-items: center; gap: 28px; padding: 18px 56px; }
header.hdr .mark { font-weight: 800; font-size: 21px; letter-spacing: 2px; }
header.hdr nav a { color: #aab3cf; text-decoration: none; margin-right: 22px; }
header.hdr .end { margin-left: auto; display: flex; gap: 12px; align-items: center; }
.hdr-btn { background: transparent; color: #fff; border: 1px solid #3b4466; border-radius: 999px; padding: 7px 18px; cursor: pointer; font-size: 15px; }
.hdr-cta { background: #7c5cff; color: #fff; border-radius: 999px; padding: 8px 18px; text-decoration: none; }
.hero { text-align: center; padding: 110px 20px 60px; }
.hero h1 { font-size: 52px; margin: 0; } .hero p { color: #aab3cf; font-size: 19px; }
.backdrop { position: fixed; inset: 0; background: rgba(3,6,15,.7); display: grid; place-items: center; z-index: 50; }
.dialog { width: 380px; background: #fff; color: #14182b; border-radius: 16px; padding: 28px 30px; position: relative; }
.dialog h2 { margin: 0 0 18px; }
.dialog input { display: block; width: 100%; box-sizing: border-box; margin-bottom: 12px; padding: 11px 12px; border: 1px solid #cfd4e6; border-radius: 8px; font-size: 15px; }
.dialog button[type=submit] { width: 100%; padding: 11px; border: 0; border-radius: 8px; background: #7c5cff; color: #fff; font-size: 15px; cursor: pointer; }
.dialog .x { position: absolute; top: 10px; right: 14px; border: 0; background: none; font-size: 22px; cursor: pointer; color: #667; }
.dialog .error { color: #d32f2f; font-size: 14px; margin: 0 0 10px; }
.dialog .fine { font-size: 13px; color: #667; margin-top: 12px; }
.user-menu { display: flex; align-items: center; gap: 10px; background: #161c33; border-radius: 999px; padding: 4px 14px 4px 4px; }
.user-menu .avatar { width: 30px; height: 30px; border-radius: 50%; background: #7c5cff; display: grid; place-items: center; font-weight: 700; }
.user-menu a { color: #cdd3ea; font-size: 14px; }
.board { max-width: 880px; margin: 40px auto; display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.board div { background: #161c33; border-radius: 12px; padding: 18px; }
"""

SCRIPT = """
document.getElementById("login-trigger").addEventListener("click", () => {
  if (document.querySelector("[role=dialog]")) return;
  const backdrop = document.createElement("div");
  backdrop.className = "backdrop";
  backdrop.innerHTML = `
    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="login-title">
      <button type="button" class="x" aria-label="Close">×</button>
      <h2 id="login-title">Welcome back</h2>
      <form id="modal-login" novalidate>
        <p class="error" role="alert" hidden></p>
        <input type="email" name="email" placeholder="Email" autocomplete="username">
        <input type="password" name="pass" aria-label="Password" placeholder="••••••••" autocomplete="current-password">
        <button type="submit">Sign in</button>
      </form>
      <p class="fine"><a href="/forgot">Forgot password?</a> · New here? <a href="/signup">Create account</a></p>
    </div>`;
  document.body.append(backdrop);
  const close = () => backdrop.remove();
  backdrop.querySelector(".x").addEventListener("click", close);
  backdrop.addEventListener("click", (e) => { if (e.target === backdrop) close(); });
  document.addEventListener("keydown", function esc(e) { if (e.key === "Escape") { close(); document.removeEventListener("keydown", esc); } });
  const form = backdrop.querySelector("form");
  const error = form.querySelector(".error");
  form.email.focus();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await fetch("/session", { method: "POST", headers: { "Content-Type": "application/json" },
                                          body: JSON.stringify({ email: form.email.value, password: form.pass.value }) });
    if (res.ok) { location.reload(); return; }
    const data = await res.json().catch(() => ({}));
    error.textContent = data.message || "Could not sign you in.";
    error.hidden = false;
  });
});
"""


class ModalSite(Site):
    hosts = ("modal.localhost",)
    brand = "Orbit"
    session_cookie = "orbit_session"
    identifier_key = "email"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.home(req)
            case "POST", "/session":
                return self.create_session(req)
            case "GET", "/settings":
                session = self.session(req)
                if not session:
                    return redirect("/")
                return self.render(
                    "Account settings",
                    "<h1>Account settings</h1><p>alice@example.com · Free plan</p>",
                    session,
                )
            case "GET", "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None  # GET /login is a 404 on purpose: the dialog is the only way in

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            end = (
                '<div class="user-menu" aria-label="Account menu"><span class="avatar">A</span>'
                '<span class="name">alice</span><a href="/settings">Account settings</a>'
                '<a href="/logout">Log out</a></div>'
            )
            script = ""
        else:
            end = '<button type="button" id="login-trigger" class="hdr-btn">Log in</button><a class="hdr-cta" href="/signup">Get started</a>'
            script = f"<script>{SCRIPT}</script>"
        body = (
            '<header class="hdr"><span class="mark">ORBIT</span><nav><a href="/">Product</a><a href="/pricing">Pricing</a>'
            f'<a href="/docs">Docs</a><a href="/blog">Blog</a></nav><div class="end">{end}</div></header>\n{main}\n{script}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<section class="hero">{main}</section>', session), status)

    def home(self, req: Request) -> Response:
        session = self.session(req)
        if session:
            main = (
                '<section class="hero"><h1>Mission control</h1><p>3 launches scheduled this week.</p></section>'
                '<div class="board"><div><b>Artemis</b><br>Ready</div><div><b>Gemini</b><br>Fuelling</div>'
                "<div><b>Vostok</b><br>On hold</div></div>"
            )
        else:
            main = (
                '<section class="hero"><h1>Plan launches, not meetings.</h1>'
                "<p>Orbit is the project tracker for teams that ship.</p></section>"
            )
        return html_response(self.chrome("Orbit", main, session))

    def create_session(self, req: Request) -> Response:
        email = str(req.json.get("email", ""))
        ok = accounts.check_password(email, str(req.json.get("password", "")))
        self.record_attempt(email, ok)
        if not ok:
            return json_response({"message": "Invalid email or password."}, 401)
        response = json_response({"ok": True})
        self.sign_in(response)
        return response
