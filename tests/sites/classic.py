"""classic.localhost — "Ledgerly": one server-rendered form, the way frameworks have done it for 20 years.

The form carries a CSRF token tied to a cookie set on GET, and the site sets a test cookie first so it
can tell a visitor without cookies why logging in cannot work. "Remember me" makes the session cookie
persistent (30 days).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

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
    safe_next,
)

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 Georgia, 'Times New Roman', serif; background: #f4f1ea; color: #2b2b2b; }
.topbar { background: #1d3b2a; color: #fff; display: flex; align-items: center; gap: 28px; padding: 10px 40px; }
.topbar .logo { color: #fff; font-size: 20px; font-weight: bold; text-decoration: none; letter-spacing: .5px; }
.topbar ul { list-style: none; display: flex; gap: 18px; margin: 0; padding: 0; flex: 1; }
.topbar a { color: #d9e8dc; text-decoration: none; }
.topbar form.search input { border: 0; border-radius: 3px; padding: 5px 8px; width: 180px; }
.topbar .session-links a { margin-left: 14px; color: #fff; }
.container { max-width: 960px; margin: 0 auto; padding: 32px 40px; }
.auth-card { background: #fff; max-width: 380px; margin: 40px auto; padding: 28px 32px; border: 1px solid #ddd6c6; }
.auth-card h1 { font-size: 24px; margin-top: 0; }
.form-row { margin-bottom: 14px; }
.form-row label { display: block; font-weight: bold; margin-bottom: 4px; }
.form-row input[type=text], .form-row input[type=password] { width: 100%; padding: 8px; border: 1px solid #b9b09b; font-size: 15px; }
.form-row.inline { display: flex; justify-content: space-between; align-items: center; }
.form-row.inline label { font-weight: normal; display: inline; }
.btn { background: #1d3b2a; color: #fff; border: 0; padding: 9px 20px; font-size: 15px; cursor: pointer; }
.errornote { background: #fbe3e4; color: #8a1f11; border: 1px solid #fbc2c4; padding: 8px 10px; margin-bottom: 14px; }
.muted { color: #6b6b6b; font-size: 14px; }
.hero { padding: 40px 0; }
.hero h1 { font-size: 38px; margin: 0 0 8px; }
.balance { font-size: 30px; font-weight: bold; }
table.tx { width: 100%; border-collapse: collapse; background: #fff; }
table.tx td { border-bottom: 1px solid #eee; padding: 6px 8px; }
footer.page-footer { border-top: 1px solid #ddd6c6; padding: 20px 40px; display: flex; justify-content: space-between; color: #6b6b6b; font-size: 13px; }
footer.page-footer input { padding: 5px; }
#cookie-consent { position: fixed; left: 16px; bottom: 16px; max-width: 360px; background: #fff; border: 1px solid #ccc;
  padding: 12px 14px; font: 13px system-ui, sans-serif; box-shadow: 0 2px 10px rgba(0,0,0,.15); }
"""

COOKIE_BANNER = """
<div id="cookie-consent" class="consent">
  <p>We use cookies to keep you logged in and to understand how Ledgerly is used.
     <a href="/privacy">Learn more</a></p>
  <button type="button" onclick="document.getElementById('cookie-consent').remove()">Got it</button>
</div>
"""

FOOTER = """
<footer class="page-footer">
  <span>© 2025 Ledgerly Ltd · <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></span>
  <form class="newsletter" action="/newsletter" method="post">
    <label>Monthly tips by email <input type="email" name="newsletter_email" placeholder="you@example.com"></label>
    <button type="submit">Subscribe</button>
  </form>
</footer>
"""


class ClassicSite(Site):
    hosts = ("classic.localhost",)
    brand = "Ledgerly"
    session_cookie = "ledgerly_session"
    identifier_key = "username"
    csrf_cookie = "csrftoken"
    remember_days = 30

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._csrf_key = secrets.token_bytes(32)

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.home(req)
            case "GET", "/login":
                return self.login_page(req)
            case "POST", "/login":
                return self.login_submit(req)
            case "GET", "/account":
                return self.account(req)
            case (("GET" | "POST"), "/logout"):
                response = redirect("/")
                self.sign_out(req, response)
                return response
            case "POST", "/newsletter":
                return self.page(
                    "Subscribed",
                    "<div class='container'><h1>Thanks for subscribing!</h1></div>",
                    self.session(req),
                )
        return None

    # --- chrome

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            links = '<span>alice</span><a href="/account">My account</a><a href="/logout">Log out</a>'
        else:
            links = '<a href="/login">Log in</a><a href="/signup">Open an account</a>'
        body = (
            '<div class="topbar"><a class="logo" href="/">Ledgerly</a>'
            '<ul><li><a href="/pricing">Pricing</a></li><li><a href="/docs">Docs</a></li>'
            '<li><a href="/blog">Blog</a></li></ul>'
            '<form class="search" action="/search" role="search"><input type="search" name="q" placeholder="Search Ledgerly"></form>'
            f'<div class="session-links">{links}</div></div>\n{main}\n{FOOTER}'
            + ("" if session else COOKIE_BANNER)
        )
        return document(f"{title} | Ledgerly", body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def page(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, main, session), status)

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return self.page(title, f'<div class="container">{main}</div>', session, status)

    # --- pages

    def home(self, req: Request) -> Response:
        session = self.session(req)
        if session:
            main = (
                '<div class="container hero"><h1>Good to see you, alice.</h1>'
                '<p><a href="/account">Go to your account</a></p></div>'
            )
        else:
            main = (
                '<div class="container hero"><h1>Bookkeeping without the books.</h1>'
                "<p>Ledgerly keeps your small business's accounts tidy, automatically.</p>"
                '<p><a href="/login">Log in</a> or <a href="/signup">open an account</a> — it takes two minutes.</p></div>'
            )
        return self.page("Ledgerly", main, session)

    def _csrf_token(self, cookie_value: str) -> str:
        return hmac.new(self._csrf_key, cookie_value.encode(), hashlib.sha256).hexdigest()

    def login_page(self, req: Request, *, error: str = "", username: str = "", status: int = 200) -> Response:
        if self.session(req):
            return redirect("/account")
        cookie = req.cookies.get(self.csrf_cookie) or secrets.token_hex(16)
        error_html = f'<div class="errornote" role="alert">{esc(error)}</div>' if error else ""
        next_path = esc(safe_next(req.query.get("next") or req.form.get("next"), "/account"))
        main = f"""
<div class="auth-card">
  <h1>Log in to Ledgerly</h1>
  {error_html}
  <form method="post" action="/login" class="login-form">
    <input type="hidden" name="csrfmiddlewaretoken" value="{self._csrf_token(cookie)}">
    <input type="hidden" name="next" value="{next_path}">
    <div class="form-row">
      <label for="id_username">Username</label>
      <input type="text" name="username" id="id_username" autocomplete="username" autocapitalize="none"
             maxlength="150" value="{esc(username)}" required>
    </div>
    <div class="form-row">
      <label for="id_password">Password</label>
      <input type="password" name="password" id="id_password" autocomplete="current-password" required>
    </div>
    <div class="form-row inline">
      <label><input type="checkbox" name="remember_me" value="on"> Remember me</label>
      <a href="/password/reset">Forgot password?</a>
    </div>
    <button type="submit" class="btn btn-primary">Log in</button>
  </form>
  <p class="muted">New to Ledgerly? <a href="/signup">Create account</a></p>
</div>"""
        response = self.page("Log in", main, None, status)
        # Set on every GET: the POST checks both, and tells the visitor what is wrong when one is missing.
        response.set_cookie(self.csrf_cookie, cookie, max_age=365 * 86400, http_only=False)
        response.set_cookie("testcookie", "1", http_only=False)
        return response

    def login_submit(self, req: Request) -> Response:
        form = req.form
        username = form.get("username", "")
        if req.cookies.get("testcookie") != "1":
            return self.login_page(
                req, error="Please enable cookies in your browser to log in.", username=username, status=400
            )
        cookie = req.cookies.get(self.csrf_cookie, "")
        if not cookie or not hmac.compare_digest(
            form.get("csrfmiddlewaretoken", ""), self._csrf_token(cookie)
        ):
            return self.login_page(
                req,
                error="CSRF verification failed: your session expired or the form is out of date. Reload the page and try again.",
                username=username,
                status=403,
            )
        ok = accounts.check_password(username, form.get("password", ""))
        self.record_attempt(username, ok)
        if not ok:
            return self.login_page(req, error="Incorrect username or password.", username=username)
        response = redirect(safe_next(form.get("next"), "/account"))
        remember = form.get("remember_me") in {"on", "1", "true", "yes"}
        self.sign_in(response, persistent_days=self.remember_days if remember else None)
        return response

    def account(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login?next=/account")
        main = f"""
<h1>My account</h1>
<p>Signed in as <strong>alice</strong> ({esc(accounts.EMAIL)})</p>
<p>Current balance</p><p class="balance">$12,480.55</p>
<table class="tx">
  <tr><td>2025-03-02</td><td>Office supplies</td><td>−$84.20</td></tr>
  <tr><td>2025-03-01</td><td>Invoice #1042 paid</td><td>+$1,900.00</td></tr>
  <tr><td>2025-02-27</td><td>Coffee beans</td><td>−$31.00</td></tr>
</table>
<form method="post" action="/logout" style="margin-top:24px"><button type="submit" class="btn">Log out</button></form>"""
        return self.render("My account", main, session)
