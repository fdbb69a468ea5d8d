"""dropbox.localhost — modelled on Dropbox's web sign-in (www.dropbox.com/login).

Steps, as a person meets them:

1. The first visit to any page (``/`` or ``/login``) is covered by a blocking cookie-consent wall
   (**interstitial**): a full-viewport overlay ``#ccpa-overlay`` holding a ``role="dialog"
   aria-modal="true"`` box, "Cookies and similar technologies", with "Accept all", "Reject all" and
   "Customize". Until one is chosen the overlay sits on top of the page, so clicks on the page hit it.
   The choice is saved with ``POST /ajax/cookie_consent`` (cookie ``dbx_consent``); the wall is gone on
   later pages.
2. ``/`` is the marketing page; "Log in" in its header goes to ``/login``.
3. ``/login``: "Sign in" with Google / Apple buttons, then email (``login_email``) and password
   (``login_password``), "Remember me", "Sign in". The ``<form>`` has **no action attribute**
   (**form**); its script posts JSON to ``/ajax_login`` with the CSRF token from the ``t`` cookie and,
   on success, calls ``location.assign("/home")``.
4. A wrong password raises a toast (**site_error**): ``<div class="dig-Snackbar" role="status">``
   "Invalid email or password", added to ``#dig-snackbar-root`` after the fetch answers and left up
   for 10 s. The form itself shows nothing.
5. ``/home`` (avatar menu with "Alice", the email and "Sign out").

The fetch only hands over a one-time login cookie; the first page load after it (``/home``) turns
that into the session cookie, so the no-session variant still shows a signed-in ``/home``.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

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
    safe_next,
)
from tests.sites.real import Scenario

CONSENT_COOKIE = "dbx_consent"
CSRF_COOKIE = "t"
TOAST_MS = 10_000

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 'Atlas Grotesk', 'Sharp Grotesk', 'Helvetica Neue', Helvetica, Arial, sans-serif; color: #1e1919; background: #f7f5f2; }
body.consent-open { overflow: hidden; }
a { color: #0061fe; }
.dbx-header { display: flex; align-items: center; gap: 28px; height: 72px; padding: 0 32px; background: #f7f5f2; }
.dbx-header .logo { display: flex; align-items: center; gap: 10px; font-weight: 600; font-size: 22px; color: #1e1919; text-decoration: none; }
.dbx-header .logo i { width: 32px; height: 28px; background: #0061fe; clip-path: polygon(25% 0, 50% 18%, 75% 0, 100% 18%, 75% 36%, 100% 54%, 75% 72%, 50% 54%, 25% 72%, 0 54%, 25% 36%, 0 18%); }
.dbx-header nav { display: flex; gap: 24px; flex: 1; } .dbx-header nav a { color: #1e1919; text-decoration: none; }
.dbx-header .right { display: flex; gap: 18px; align-items: center; } .dbx-header .right a { color: #1e1919; text-decoration: none; }
.dig-Button { border-radius: 8px; padding: 10px 16px; border: 1px solid #1e1919; background: transparent; font: inherit; cursor: pointer; color: #1e1919; text-decoration: none; }
.dig-Button--primary { background: #0061fe; border-color: #0061fe; color: #fff !important; }
.hero { display: grid; grid-template-columns: 1fr 1fr; gap: 40px; padding: 80px 64px; }
.hero h1 { font-size: 64px; line-height: 1; margin: 0 0 24px; letter-spacing: -1px; }
.hero .art { background: #0061fe; border-radius: 12px; min-height: 360px; }
.features { display: grid; grid-template-columns: repeat(3, 1fr); gap: 24px; padding: 0 64px 64px; }
.features div { background: #fff; border-radius: 12px; padding: 24px; }
.dbx-footer { padding: 40px 64px; display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; font-size: 14px; background: #1e1919; color: #bbb5ae; }
.dbx-footer a { color: #f7f5f2; display: block; text-decoration: none; line-height: 2; }
.dbx-footer select { background: #1e1919; color: #f7f5f2; border: 1px solid #736c64; padding: 4px; }
/* login */
.login-register-container { width: 400px; margin: 40px auto 80px; background: #fff; border-radius: 12px; padding: 40px; }
.login-form-title { font-size: 28px; margin: 0; } .login-or-register { color: #736c64; margin: 4px 0 24px; }
.auth-button { display: block; width: 100%; margin-bottom: 10px; padding: 10px; border: 1px solid #bbb5ae; border-radius: 8px; background: #fff; font: inherit; cursor: pointer; }
.login-or-separator { display: flex; align-items: center; gap: 12px; color: #736c64; margin: 18px 0; }
.login-or-separator::before, .login-or-separator::after { content: ""; flex: 1; border-top: 1px solid #dfdcd8; }
.dig-TextInput { margin-bottom: 14px; } .dig-FormLabel { display: block; font-size: 14px; font-weight: 500; margin-bottom: 4px; }
.dig-TextInput-input { width: 100%; padding: 10px 12px; border: 1px solid #bbb5ae; border-radius: 8px; font: inherit; }
.dig-TextInput-input:focus { outline: 2px solid #0061fe; border-color: transparent; }
.remember-me { display: flex; align-items: center; gap: 8px; font-size: 14px; margin-bottom: 18px; }
.signin-button { width: 100%; } .signin-button[aria-busy=true] { opacity: .6; }
.login-links { font-size: 14px; margin-top: 18px; display: flex; justify-content: space-between; }
#dig-snackbar-root { position: fixed; left: 24px; bottom: 24px; z-index: 2000; display: flex; flex-direction: column; gap: 8px; }
.dig-Snackbar { display: flex; align-items: center; gap: 16px; min-width: 320px; background: #1e1919; color: #f7f5f2; border-radius: 8px; padding: 14px 16px; box-shadow: 0 4px 16px rgba(0,0,0,.25); font-size: 14px; }
.dig-Snackbar-close { margin-left: auto; background: none; border: 0; color: #bbb5ae; font-size: 18px; cursor: pointer; }
/* consent wall */
#ccpa-overlay { position: fixed; inset: 0; z-index: 1000; background: rgba(30,25,25,.62); display: grid; place-items: center; }
.consent-dialog { width: 560px; max-width: 92vw; background: #fff; border-radius: 12px; padding: 32px; box-shadow: 0 16px 48px rgba(0,0,0,.3); }
.consent-dialog h2 { margin: 0 0 12px; font-size: 22px; } .consent-dialog p { font-size: 14px; color: #524a3e; }
.consent-dialog .choices { display: flex; gap: 10px; justify-content: flex-end; margin-top: 22px; }
.consent-dialog fieldset { border: 1px solid #dfdcd8; border-radius: 8px; font-size: 14px; } .consent-dialog fieldset label { display: block; padding: 4px 0; }
/* home */
.app { display: grid; grid-template-columns: 240px 1fr; min-height: 100vh; background: #fff; }
.app aside { background: #f7f5f2; padding: 20px; } .app aside a { display: block; padding: 6px 8px; color: #1e1919; text-decoration: none; border-radius: 6px; }
.app aside a[aria-current] { background: #e8e3dc; }
.app-top { display: flex; align-items: center; gap: 14px; padding: 12px 24px; border-bottom: 1px solid #eee9e2; }
.app-top input[type=search] { flex: 1; max-width: 560px; padding: 8px 12px; border: 1px solid #dfdcd8; border-radius: 8px; background: #f7f5f2; }
.account-menu { position: relative; margin-left: auto; } .account-menu > button { border: 0; background: none; cursor: pointer; }
.avatar { display: inline-grid; place-items: center; width: 32px; height: 32px; border-radius: 50%; background: #9b0032; color: #fff; font-size: 13px; font-weight: 600; }
.account-menu [role=menu] { position: absolute; right: 0; top: 42px; width: 280px; background: #fff; border: 1px solid #dfdcd8; border-radius: 8px; padding: 8px 0; z-index: 10; }
.account-menu [role=menu] .who { padding: 10px 16px; border-bottom: 1px solid #eee9e2; } .account-menu [role=menu] .who small { display: block; color: #736c64; }
.account-menu [role=menu] a { display: block; padding: 8px 16px; color: #1e1919; text-decoration: none; }
.content { padding: 24px 32px; } .tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; } .tiles div { border: 1px solid #eee9e2; border-radius: 8px; padding: 16px; }
"""

CONSENT_SCRIPT = r"""
(function () {
  var overlay = document.getElementById("ccpa-overlay");
  if (!overlay) return;
  document.body.classList.add("consent-open");
  function save(choice, categories) {
    fetch("/ajax/cookie_consent", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ choice: choice, categories: categories || [] }),
    }).then(function () {
      overlay.remove();
      document.body.classList.remove("consent-open");
      var first = document.querySelector("[autofocus]");
      if (first) first.focus();
    });
  }
  overlay.querySelector("[data-choice=accept]").addEventListener("click", function () { save("accept_all"); });
  overlay.querySelector("[data-choice=reject]").addEventListener("click", function () { save("reject_all"); });
  overlay.querySelector("[data-choice=customize]").addEventListener("click", function () {
    var panel = document.getElementById("consent-customize");
    panel.hidden = !panel.hidden;
  });
  overlay.querySelector("[data-choice=save]").addEventListener("click", function () {
    var picked = Array.prototype.map.call(overlay.querySelectorAll("input[name=category]:checked"), function (i) { return i.value; });
    save("custom", picked);
  });
})();
"""

LOGIN_SCRIPT = r"""
(function () {
  var form = document.querySelector("form.login-form");
  var button = form.querySelector(".signin-button");
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function toast(message) {
    var root = document.getElementById("dig-snackbar-root");
    var el = document.createElement("div");
    el.className = "dig-Snackbar dig-Snackbar--error";
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    el.innerHTML = '<span class="dig-Snackbar-message"></span><button type="button" class="dig-Snackbar-close" aria-label="Dismiss">×</button>';
    el.querySelector(".dig-Snackbar-message").textContent = message;
    el.querySelector("button").addEventListener("click", function () { el.remove(); });
    root.appendChild(el);
    setTimeout(function () { el.remove(); }, window.__DBX_TOAST_MS__);
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (button.getAttribute("aria-busy") === "true") return;
    var email = form.elements.login_email.value.trim(), password = form.elements.login_password.value;
    if (!email || !password) { toast("Please enter your email and password."); return; }
    button.setAttribute("aria-busy", "true");
    fetch("/ajax_login", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" },
      body: JSON.stringify({ login_email: email, login_password: password, remember_me: form.elements.remember_me.checked,
                             is_xhr: true, t: cookie("t"), cont: form.dataset.cont }),
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.status === "OK") { location.assign(data.redirect_url); return; }
      button.setAttribute("aria-busy", "false");
      toast(data.message || "Something went wrong. Please try again.");
    }).catch(function () { button.setAttribute("aria-busy", "false"); toast("Something went wrong. Please try again."); });
  });
})();
"""


class DropboxSite(Site):
    hosts = ("dropbox.localhost",)
    brand = "Dropbox"
    session_cookie = "jar"
    flow_cookie = "dbx_login_handoff"
    identifier_key = "email"
    logout_label = "Sign out"

    scenario = Scenario(
        host="dropbox.localhost",
        modelled_on="Dropbox",
        shapes=("interstitial", "form", "site_error"),
        values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
        path=None,
        notes=(
            "A blocking cookie wall (role=dialog aria-modal, full-screen overlay) on the first page until "
            "'Accept all' / 'Reject all' / 'Customize'; the login <form> has no action and is sent by fetch "
            "(JSON /ajax_login), then location.assign('/home'); a wrong password is only a toast "
            "(role=status .dig-Snackbar, 10 s)."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/home") if self.session(req) else self.marketing(req)
            case "GET", "/login":
                return self.login_page(req)
            case "POST", "/login":  # a native submission of the action-less form: the page again
                return self.login_page(req)
            case "POST", "/ajax/cookie_consent":
                return self.save_consent(req)
            case "POST", "/ajax_login":
                return self.ajax_login(req)
            case "GET", "/home":
                return self.home(req)
            case "GET", "/forgot":
                return self.forgot(req)
            case "GET", "/logout":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        if req.method == "GET" and req.path.startswith("/login/"):
            provider = req.path.rsplit("/", 1)[-1].capitalize()
            main = f"<div class='content'><h1>Sign in with {esc(provider)} is unavailable</h1><p>Try again later.</p></div>"
            return self.page(req, f"{provider} · Dropbox", main, self.session(req))
        return None

    # --- chrome

    def consent_wall(self, req: Request) -> str:
        if req.cookies.get(CONSENT_COOKIE):
            return ""
        return """
<div id="ccpa-overlay" data-testid="consent-overlay">
  <div class="consent-dialog" role="dialog" aria-modal="true" aria-labelledby="ccpa-title" aria-describedby="ccpa-desc">
    <h2 id="ccpa-title">Cookies and similar technologies</h2>
    <p id="ccpa-desc">We use cookies and similar technologies to provide and secure our services, improve performance,
    personalize content and analyze how our sites are used. Select "Accept all" to agree to all cookies, "Reject all"
    to allow only those that are strictly necessary, or "Customize" to choose. See our <a href="/privacy#cookies">Cookie Policy</a>.</p>
    <fieldset id="consent-customize" hidden><legend>Cookie categories</legend>
      <label><input type="checkbox" checked disabled> Strictly necessary</label>
      <label><input type="checkbox" name="category" value="analytics"> Analytics</label>
      <label><input type="checkbox" name="category" value="marketing"> Marketing and advertising</label>
      <button type="button" class="dig-Button" data-choice="save">Save my choices</button>
    </fieldset>
    <div class="choices">
      <button type="button" class="dig-Button" data-choice="customize">Customize</button>
      <button type="button" class="dig-Button" data-choice="reject">Reject all</button>
      <button type="button" class="dig-Button dig-Button--primary" data-choice="accept">Accept all</button>
    </div>
  </div>
</div>"""

    def page(self, req: Request, title: str, main: str, session: Session | None, *, script: str = "") -> Response:
        if session:
            body = main
        else:
            header = (
                '<header class="dbx-header"><a class="logo" href="/"><i aria-hidden="true"></i>Dropbox</a>'
                '<nav aria-label="Main"><a href="/features">Why Dropbox?</a><a href="/products">Products</a>'
                '<a href="/business">Solutions</a><a href="/pricing">Pricing</a></nav>'
                '<div class="right"><a href="/business/contact">Contact sales</a><a href="/install">Get app</a>'
                '<a href="/register">Sign up</a><a href="/login" data-trackingid="login">Log in</a>'
                '<a class="dig-Button dig-Button--primary" href="/basic">Get started</a></div></header>'
            )
            body = f"{header}<main>{main}</main>{FOOTER}"
        wall = "" if session else self.consent_wall(req)
        scripts = (f"<script>{CONSENT_SCRIPT}</script>" if wall else "") + script
        return html_response(
            document(
                title,
                f'{body}<div id="dig-snackbar-root"></div>{wall}{scripts}',
                css=CSS,
                body_attrs=LOGGED_IN if session else "",
            )
        )

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        # Filler and error pages (no request at hand): the same look, without the consent wall.
        if session:
            return document(title, self._app(f'<div class="content">{main}</div>', "Home"), css=CSS, body_attrs=LOGGED_IN)
        return document(title, f"<main><div class='login-register-container'>{main}</div></main>{FOOTER}", css=CSS)

    def _app(self, content: str, current: str) -> str:
        links = "".join(
            f'<a href="/home"{" aria-current=page" if name == current else ""}>{name}</a>'
            for name in ("Home", "All files", "Photos", "Shared", "File requests", "Deleted files")
        )
        return f"""
<div class="app">
  <aside><a class="logo" href="/home" aria-label="Dropbox">◆ Dropbox</a><nav aria-label="Sections">{links}</nav></aside>
  <div>
    <div class="app-top">
      <input type="search" placeholder="Search" aria-label="Search">
      <a class="dig-Button" href="/plans">Upgrade</a>
      <button type="button" class="dig-Button" aria-label="Notifications">🔔</button>
      <div class="account-menu">
        <button type="button" aria-label="Account menu" aria-haspopup="menu" aria-expanded="false"
          onclick="var m=this.nextElementSibling;m.hidden=!m.hidden;this.setAttribute('aria-expanded',String(!m.hidden))"><span class="avatar">A</span></button>
        <div role="menu" hidden>
          <div class="who"><b>{esc(accounts.DISPLAY_NAME)}</b><small>{esc(accounts.EMAIL)}</small></div>
          <a role="menuitem" href="/account">Settings</a><a role="menuitem" href="/plans">Upgrade</a>
          <a role="menuitem" href="/install">Install</a><a role="menuitem" href="/logout">Sign out</a>
        </div>
      </div>
    </div>
    {content}
  </div>
</div>"""

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, main, session), status)

    # --- pages

    def marketing(self, req: Request) -> Response:
        main = """
<section class="hero"><div>
  <h1>Easy to use, reliable, private, and secure.</h1>
  <p>It's no wonder more than 700 million people use Dropbox to search, share, and organize all their content.</p>
  <p><a class="dig-Button dig-Button--primary" href="/basic">Get started</a> <a href="/plans">or see plans</a></p>
</div><div class="art" aria-hidden="true"></div></section>
<section class="features"><div><h3>Store</h3>Keep files safe, synced and easy to share.</div>
<div><h3>Share</h3>Send big files to anyone, even if they don't have Dropbox.</div>
<div><h3>Protect</h3>Recover deleted files and restore older versions.</div></section>"""
        return self.page(req, "Dropbox.com", main, None)

    def login_page(self, req: Request) -> Response:
        cont = safe_next(req.query.get("cont"), "/home")
        if self.session(req):
            return redirect(cont)
        csrf = req.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(18)
        main = f"""
<div class="login-register-container">
  <div class="login-or-register-title"><h1 class="login-form-title">Sign in</h1>
  <p class="login-or-register">or <a href="/register">create an account</a></p></div>
  <button type="button" class="auth-button auth-google" onclick="location.assign('/login/google')">Sign in with Google</button>
  <button type="button" class="auth-button auth-apple" onclick="location.assign('/login/apple')">Sign in with Apple</button>
  <div class="login-or-separator">or</div>
  <form class="login-form" method="post" novalidate data-cont="{esc(cont)}">
    <input type="hidden" name="t" value="{esc(csrf)}">
    <div class="dig-TextInput login-email">
      <label class="dig-FormLabel" for="login_email">Email</label>
      <input class="dig-TextInput-input" type="email" name="login_email" id="login_email" autocomplete="username" spellcheck="false" autofocus>
    </div>
    <div class="dig-TextInput login-password">
      <label class="dig-FormLabel" for="login_password">Password</label>
      <input class="dig-TextInput-input" type="password" name="login_password" id="login_password" autocomplete="current-password">
    </div>
    <div class="remember-me"><input type="checkbox" name="remember_me" id="remember_me" checked><label for="remember_me">Remember me</label></div>
    <button type="submit" class="dig-Button dig-Button--primary login-button signin-button" aria-busy="false"><span class="dig-Button-content">Sign in</span></button>
  </form>
  <div class="login-links"><a href="/forgot">Forgot your password?</a><a href="/sso">Sign in with single sign-on</a></div>
</div>"""
        script = f"<script>window.__DBX_TOAST_MS__ = {TOAST_MS};</script><script>{LOGIN_SCRIPT}</script>"
        response = self.page(req, "Login - Dropbox", main, None, script=script)
        if not req.cookies.get(CSRF_COOKIE):
            response.set_cookie(CSRF_COOKIE, csrf, http_only=False, max_age=365 * 86400)
        return response

    def save_consent(self, req: Request) -> Response:
        choice = str(req.json.get("choice", ""))
        if choice not in {"accept_all", "reject_all", "custom"}:
            return json_response({"status": "error"}, 400)
        categories = [str(c) for c in req.json.get("categories", []) if c in ("analytics", "marketing")]
        value = {"accept_all": "all", "reject_all": "necessary"}.get(choice) or "necessary+" + "+".join(categories)
        response = json_response({"status": "OK"})
        response.set_cookie(CONSENT_COOKIE, value.rstrip("+"), max_age=180 * 86400, http_only=False)
        return response

    def ajax_login(self, req: Request) -> Response:
        data = req.json
        csrf = req.cookies.get(CSRF_COOKIE, "")
        if not csrf or not secrets.compare_digest(csrf, str(data.get("t", ""))):
            return json_response({"status": "error", "message": "Something went wrong. Please refresh the page and try again."}, 403)
        email = str(data.get("login_email", "")).strip()
        ok = accounts.check_password(email, str(data.get("login_password", "")))
        self.record_attempt(email, ok)
        if not ok:
            return json_response({"status": "error", "error_code": "invalid_credentials", "message": "Invalid email or password"}, 400)
        response = json_response({"status": "OK", "redirect_url": safe_next(str(data.get("cont") or ""), "/home")})
        self.end_flow(req, response)
        self.start_flow(response, accounts.USERNAME, remember=bool(data.get("remember_me")))
        return response

    def home(self, req: Request) -> Response:
        session = self.session(req)
        response: Response | None = None
        if not session:
            flow = self.flow(req)
            if not flow:
                return redirect("/login?" + urlencode({"cont": "/home"}))
            response = Response()
            self.end_flow(req, response)
            session = self.sign_in(response, persistent_days=365 if flow.data.get("remember") else None)
        content = f"""
<div class="content">
  <h1>Home</h1><p>Welcome, {esc(accounts.DISPLAY_NAME)}. Here's what's new in your Dropbox.</p>
  <h2>Suggested from your activity</h2>
  <div class="tiles"><div>📄 Q3 report.docx<br><small>Edited yesterday</small></div><div>🖼 Holiday photos<br><small>Shared folder</small></div>
  <div>📊 Budget 2025.xlsx<br><small>Edited 3 days ago</small></div></div>
  <h2>Recent</h2><ul><li>Invoice-1042.pdf</li><li>Design brief.paper</li><li>Camera Uploads</li></ul>
</div>"""
        page = html_response(document("Home - Dropbox", self._app(content, "Home"), css=CSS, body_attrs=LOGGED_IN))
        if response is not None:
            page.headers = response.headers + page.headers
        return page

    def forgot(self, req: Request) -> Response:
        main = """
<h1>Forgot your password?</h1><p>Enter your email and we'll send you a link to reset it.</p>
<form method="post" action="/forgot"><input class="dig-TextInput-input" type="email" name="email" placeholder="Email">
<button type="submit" class="dig-Button dig-Button--primary">Submit</button></form>"""
        return self.page(req, "Forgot password - Dropbox", f'<div class="login-register-container">{main}</div>', None)


FOOTER = """
<footer class="dbx-footer">
  <div><b>Dropbox</b><a href="/install">Desktop app</a><a href="/mobile">Mobile apps</a><a href="/plans">Plans</a><a href="/security">Security</a></div>
  <div><b>Company</b><a href="/about">About us</a><a href="/jobs">Jobs</a><a href="/news">Press</a><a href="/blog">Blog</a></div>
  <div><b>Support</b><a href="/help">Help center</a><a href="/privacy">Privacy & terms</a><a href="/privacy#cookies">Cookie policy</a><a href="/privacy#cookies">Manage cookies</a></div>
  <div><b>Community</b><a href="/developers">Developers</a><a href="/referrals">Referrals</a>
  <form class="newsletter" action="/newsletter" method="post"><label>Get product news <input type="email" name="newsletter_email" placeholder="Email"></label></form>
  <select aria-label="Language"><option>English (United States)</option><option>Deutsch</option><option>Español</option><option>日本語</option></select></div>
</footer>"""
