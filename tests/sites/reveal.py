"""reveal.localhost — "Tandem": one form whose password field is hidden until "Continue" is pressed.

The password input is in the DOM from the start but ``display:none``; the script reveals it (the
email stays filled in) and swaps "Continue" for "Sign in", which posts the whole form.
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
    redirect,
)

CSS = """
body { margin: 0; font: 16px/1.5 'Trebuchet MS', sans-serif; background: #fffaf0; color: #2d2a26; }
.bar { display: flex; align-items: center; padding: 14px 48px; border-bottom: 3px solid #f59e0b; background: #fff; }
.bar .name { font-size: 22px; font-weight: bold; color: #b45309; margin-right: 36px; text-decoration: none; }
.bar .links a { margin-right: 18px; color: #78350f; }
.bar .right { margin-left: auto; }
.box { max-width: 420px; margin: 56px auto; padding: 30px; border: 2px solid #fde68a; border-radius: 4px; background: #fff; }
.box h2 { margin-top: 0; color: #92400e; }
.field-label { display: block; font-size: 13px; text-transform: uppercase; letter-spacing: 1px; color: #92400e; margin: 12px 0 4px; }
.box input[type=text], .box input[type=password] { width: 100%; box-sizing: border-box; padding: 10px; border: 1px solid #d6d3d1; font-size: 16px; }
.box button { margin-top: 18px; width: 100%; padding: 11px; font-size: 16px; background: #f59e0b; border: 0; color: #fff; font-weight: bold; cursor: pointer; }
.form-error { color: #b91c1c; font-weight: bold; margin: 10px 0 0; }
.small { font-size: 13px; margin-top: 14px; }
.welcome { max-width: 760px; margin: 48px auto; }
.cards { display: flex; gap: 18px; } .cards div { flex: 1; border: 2px solid #fde68a; padding: 14px; background: #fff; }
"""

SCRIPT = """
(function () {
  const form = document.getElementById("tandem-login");
  const login = document.getElementById("login");
  const group = document.getElementById("password-group");
  const cont = document.getElementById("continue-btn");
  const submit = document.getElementById("signin-btn");
  const error = document.getElementById("form-error");
  function reveal() {
    if (!login.value.trim()) { error.textContent = "Enter your email or username."; login.focus(); return; }
    error.textContent = "";
    group.style.display = "block";
    cont.style.display = "none";
    submit.style.display = "block";
    document.getElementById("password").focus();
  }
  cont.addEventListener("click", reveal);
  login.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && group.style.display === "none") { e.preventDefault(); reveal(); }
  });
  form.addEventListener("submit", (e) => { if (group.style.display === "none") { e.preventDefault(); reveal(); } });
})();
"""


class RevealSite(Site):
    hosts = ("reveal.localhost",)
    brand = "Tandem"
    session_cookie = "tandem"
    identifier_key = "username"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/home" if self.session(req) else "/login")
            case "GET", "/login":
                return redirect("/home") if self.session(req) else self.login_page()
            case "POST", "/login":
                return self.login_submit(req)
            case "GET", "/home":
                return self.home(req)
            case "GET", "/sign-out":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        right = '<a href="/sign-out">Sign out</a>' if session else '<a href="/signup">Create account</a>'
        body = (
            '<div class="bar"><a class="name" href="/">tandem</a><span class="links"><a href="/pricing">Pricing</a>'
            f'<a href="/docs">Docs</a><a href="/blog">Blog</a></span><span class="right">{right}</span></div>\n{main}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="welcome">{main}</div>', session), status)

    def login_page(self, *, error: str = "", login: str = "") -> Response:
        # After a failed attempt the password step is already open: only the password needs retyping.
        revealed = bool(login)
        main = f"""
<div class="box">
  <h2>Sign in to Tandem</h2>
  <form id="tandem-login" method="post" action="/login" autocomplete="on">
    <span class="field-label">Email</span>
    <input type="text" id="login" name="login" value="{esc(login)}" autocomplete="username" inputmode="email">
    <div id="password-group" style="display:{"block" if revealed else "none"}">
      <span class="field-label">Password</span>
      <input type="password" id="password" name="password" autocomplete="current-password">
    </div>
    <p id="form-error" class="form-error">{esc(error)}</p>
    <button type="button" id="continue-btn" style="display:{"none" if revealed else "block"}">Continue</button>
    <button type="submit" id="signin-btn" style="display:{"block" if revealed else "none"}">Sign in</button>
  </form>
  <p class="small"><a href="/password/forgot">Forgot password?</a> · <a href="/signup">Create account</a></p>
</div>
<script>{SCRIPT}</script>"""
        return html_response(self.chrome("Sign in · Tandem", main, None))

    def login_submit(self, req: Request) -> Response:
        login = req.form.get("login", "").strip()
        password = req.form.get("password", "")
        if not login:
            return self.login_page(error="Enter your email or username.")
        if not password:
            return self.login_page(error="Enter your password.", login=login)
        ok = accounts.check_password(login, password)
        self.record_attempt(login, ok)
        if not ok:
            return self.login_page(error="That email and password combination is incorrect.", login=login)
        response = redirect("/home")
        self.sign_in(response)
        return response

    def home(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        main = f"""
<h1>Welcome back, Alice</h1>
<p>You're signed in as {esc(accounts.EMAIL)}.</p>
<div class="cards"><div><b>Rides this month</b><br>7</div><div><b>Partner</b><br>Bob</div><div><b>Kilometres</b><br>212</div></div>"""
        return self.render("Home · Tandem", main, session)
