"""atlassian.localhost — modelled on the Atlassian account login (id.atlassian.com).

Steps, as a person meets them:

1. ``/`` is a marketing page; its header has "Log in" (``/login``).
2. ``/login`` is a single-page app: the HTML is only a skeleton with a spinner; the script fetches
   ``/api/config`` (CSRF token, locale) and renders the form ~450 ms later (**late_spa**).
3. The form (``#form-login``, no action) first has only ``#username`` (type=email) and "Continue"
   (``#login-submit``). The script asks ``POST /rest/check-username``; for a known email it re-renders
   the same form with ``#password`` added below the email and the button now says "Log in".
4. "Log in" posts JSON to ``/rest/authenticate``. A wrong password fills the ``aria-live="polite"``
   region ``#login-error`` (not role=alert) with "Incorrect email address and / or password. If you
   recently migrated your Trello account…" and a "Reset your password" link (**site_error**).
5. The right one answers ``{"redirect_uri": "/login/authorize?token=…"}``; that page sets the session
   cookie ``cloud.session.token`` and redirects to a nag, "Keep your account secure — Add a phone
   number", with "Add phone number" and "Remind me later" (**interstitial**). Skipping keeps the
   session and goes on to ``/home`` (Atlassian Home: apps, avatar menu with "Log out").

The session is set by a page load (``/login/authorize``), not by the fetch, as on the real site.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote, urlencode

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
    json_response,
    redirect,
    safe_next,
)
from tests.sites.real import Scenario

XSRF_COOKIE = "atlassian.xsrf.token"
RENDER_DELAY_MS = 450  # after /api/config answers: the form shows ~0.5 s after load

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.43 -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif; color: #172b4d; background: #fff; }
a { color: #0c66e4; text-decoration: none; } a:hover { text-decoration: underline; }
.css-nav { display: flex; align-items: center; gap: 28px; height: 64px; padding: 0 40px; border-bottom: 1px solid #dfe1e6; }
.css-nav .atl-wordmark { display: flex; align-items: center; gap: 8px; font-weight: 700; font-size: 20px; color: #253858; }
.css-nav .atl-wordmark svg { width: 28px; height: 28px; }
.css-nav .menu { display: flex; gap: 22px; flex: 1; } .css-nav .menu button { background: none; border: 0; font: inherit; color: #42526e; cursor: pointer; }
.css-nav .search-btn { border: 0; background: none; font-size: 18px; cursor: pointer; }
.css-nav .login-link { color: #42526e; font-weight: 500; }
.css-nav .cta { background: #0052cc; color: #fff; padding: 8px 16px; border-radius: 3px; font-weight: 600; }
.css-hero { display: grid; grid-template-columns: 1.1fr 1fr; gap: 40px; padding: 72px 80px; background: linear-gradient(180deg, #deebff, #fff); }
.css-hero h1 { font-size: 48px; line-height: 1.1; margin: 0 0 18px; color: #091e42; }
.css-hero p { font-size: 20px; color: #42526e; }
.css-hero .email-signup { display: flex; gap: 8px; margin-top: 28px; } .css-hero .email-signup input { flex: 1; padding: 12px; border: 2px solid #dfe1e6; border-radius: 3px; font-size: 16px; }
.css-hero .email-signup button { background: #0052cc; color: #fff; border: 0; border-radius: 3px; padding: 0 20px; font-size: 16px; font-weight: 600; }
.css-products { display: grid; grid-template-columns: repeat(4, 1fr); gap: 20px; padding: 40px 80px; }
.css-products div { border: 1px solid #dfe1e6; border-radius: 8px; padding: 20px; } .css-products b { display: block; font-size: 18px; }
.css-footer { background: #f4f5f7; padding: 28px 80px; display: flex; gap: 24px; font-size: 12px; color: #6b778c; align-items: center; }
.css-footer select { font-size: 12px; }
/* login */
body.login { background: #fafbfc; min-height: 100vh; }
.css-1r8kq2a { display: flex; flex-direction: column; align-items: center; padding-top: 48px; min-height: 100vh; }
.css-7ktyn0 { width: 400px; background: #fff; border-radius: 3px; box-shadow: rgba(9,30,66,.25) 0 0 10px; padding: 32px 40px; }
.css-hdr { text-align: center; margin-bottom: 16px; } .css-hdr svg { height: 40px; width: 180px; }
.css-heading { font-size: 16px; font-weight: 600; text-align: center; color: #5e6c84; margin: 0 0 24px; }
.css-field { margin-bottom: 16px; }
.css-label { display: block; font-size: 12px; font-weight: 600; color: #6b778c; margin-bottom: 4px; } .css-label .req { color: #de350b; padding-left: 2px; }
.css-input-wrap { display: flex; align-items: center; border: 2px solid #dfe1e6; border-radius: 3px; background: #fafbfc; }
.css-input-wrap:focus-within { border-color: #4c9aff; background: #fff; }
.css-input-wrap input { flex: 1; border: 0; background: transparent; padding: 8px 6px; font-size: 14px; outline: none; }
.css-input-wrap[data-invalid] { border-color: #de350b; }
.css-show { border: 0; background: none; cursor: pointer; color: #6b778c; font-size: 12px; }
.css-field-error { color: #de350b; font-size: 12px; margin-top: 4px; }
.css-remember { display: flex; gap: 6px; align-items: center; margin: 4px 0 16px; color: #42526e; }
.css-error { font-size: 14px; color: #172b4d; }
.css-error:not(:empty) { background: #ffebe6; border-radius: 3px; padding: 12px 14px; margin-bottom: 16px; }
.css-primary { width: 100%; height: 40px; background: #0052cc; color: #fff; border: 0; border-radius: 3px; font-size: 14px; font-weight: 500; cursor: pointer; }
.css-primary[aria-busy=true] { opacity: .6; }
.css-or { text-align: center; color: #5e6c84; font-size: 14px; font-weight: 600; margin: 24px 0 16px; }
.css-social button { display: flex; width: 100%; align-items: center; justify-content: center; gap: 8px; height: 40px; margin-bottom: 12px;
  border: 0; border-radius: 3px; background: #fff; box-shadow: rgba(0,0,0,.2) 1px 1px 5px 0; font-weight: 700; color: #42526e; cursor: pointer; }
.css-links { display: flex; justify-content: center; gap: 8px; list-style: none; padding: 0; margin: 24px 0 0; border-top: 1px solid #dfe1e6; padding-top: 18px; }
.css-links li + li::before { content: "•"; padding-right: 8px; color: #42526e; }
.css-legal { width: 400px; text-align: center; color: #5e6c84; font-size: 11px; margin-top: 20px; line-height: 1.6; }
.css-legal .product-list { font-size: 14px; color: #42526e; }
.css-skeleton { display: grid; place-items: center; height: 420px; width: 400px; margin: 48px auto; border-radius: 3px; background: #fff; box-shadow: rgba(9,30,66,.25) 0 0 10px; }
.css-spinner { width: 40px; height: 40px; border: 4px solid #dfe1e6; border-top-color: #0052cc; border-radius: 50%; animation: spin .8s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
/* nag */
.css-nag { width: 440px; margin: 64px auto; background: #fff; box-shadow: rgba(9,30,66,.25) 0 0 10px; border-radius: 3px; padding: 36px 40px; text-align: center; }
.css-nag h1 { font-size: 24px; margin: 16px 0 8px; color: #172b4d; }
.css-nag .shield { font-size: 48px; }
.css-nag .chip { display: inline-flex; gap: 8px; align-items: center; background: #f4f5f7; border-radius: 16px; padding: 2px 12px 2px 2px; margin-bottom: 12px; }
.css-nag .actions { display: flex; flex-direction: column; gap: 10px; margin-top: 24px; }
.css-nag .subtle { background: none; border: 0; color: #42526e; font-size: 14px; cursor: pointer; height: 40px; }
.avatar { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 50%; background: #ff991f; color: #172b4d; font-weight: 700; font-size: 12px; }
/* home */
.css-topbar { display: flex; align-items: center; gap: 16px; height: 56px; padding: 0 16px; border-bottom: 1px solid #dfe1e6; }
.css-topbar .grid-btn, .css-topbar .icon-btn { background: none; border: 0; font-size: 18px; cursor: pointer; color: #44546f; }
.css-topbar .home-title { font-weight: 600; font-size: 16px; color: #44546f; }
.css-topbar .search { flex: 1; max-width: 420px; margin-left: auto; } .css-topbar .search input { width: 100%; padding: 6px 10px; border: 1px solid #8590a2; border-radius: 3px; }
.css-topbar .create { background: #0c66e4; color: #fff; border: 0; border-radius: 3px; padding: 6px 12px; font-weight: 500; }
.profile { position: relative; } .profile > button { background: none; border: 0; cursor: pointer; padding: 0; }
.profile [role=menu] { position: absolute; right: 0; top: 40px; width: 260px; background: #fff; box-shadow: rgba(9,30,66,.25) 0 4px 8px; border-radius: 3px; padding: 8px 0; z-index: 5; }
.profile [role=menu] .who { padding: 8px 16px 12px; border-bottom: 1px solid #dfe1e6; } .profile [role=menu] .who small { display: block; color: #6b778c; }
.profile [role=menu] a { display: block; padding: 8px 16px; color: #172b4d; }
.css-home { max-width: 1040px; margin: 32px auto; padding: 0 24px; }
.css-home .apps { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; } .css-home .apps a { border: 1px solid #dfe1e6; border-radius: 6px; padding: 18px; color: #172b4d; }
.css-home .apps a b { display: block; } .css-home .recent li { padding: 6px 0; }
"""

LOGO = (
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="#2684ff" d="M7.1 11.3c-.3-.4-.9-.3-1.1.1L2 19.5c-.2.4.1.9.6.9h5.6'
    'c.3 0 .5-.2.6-.4 1.2-2.5.5-6.4-1.7-8.7zM12 2.3c-2.2 3.5-2.1 7.4-.6 10.3l2.7 5.4c.1.2.3.4.6.4h5.6c.5 0 .8-.5.6-.9L12.9 2.3'
    'c-.2-.4-.7-.4-.9 0z"/></svg>'
)

SPA = r"""
(function () {
  "use strict";
  var root = document.getElementById("root");
  var params = new URLSearchParams(location.search);
  var cont = params.get("continue") || "/home";
  var state = { step: "username", email: params.get("login_hint") || "", remember: true, config: null, busy: false };
  var LOGO = window.__ATL_LOGO__;

  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }

  function render() {
    var pw = state.step === "password";
    root.innerHTML =
      '<div class="css-1r8kq2a" data-testid="login-page">' +
      '<section role="main" class="css-7ktyn0">' +
      '<header class="css-hdr"><span role="img" aria-label="Atlassian">' + LOGO + '</span></header>' +
      '<h1 id="ProductHeading" class="css-heading">Log in to continue</h1>' +
      '<form id="form-login" data-testid="form-login" novalidate>' +
      '<div class="css-field" id="username-container">' +
      '<label for="username" class="css-label">Email<span aria-hidden="true" class="req">*</span></label>' +
      '<div class="css-input-wrap"><input id="username" name="username" type="email" placeholder="Enter your email" ' +
      'autocomplete="username" data-testid="username" aria-invalid="false" value="' + esc(state.email) + '"></div>' +
      '<div class="css-field-error" id="username-error"></div></div>' +
      (pw
        ? '<div class="css-field" id="password-container">' +
          '<label for="password" class="css-label">Password<span aria-hidden="true" class="req">*</span></label>' +
          '<div class="css-input-wrap"><input id="password" name="password" type="password" placeholder="Enter password" ' +
          'autocomplete="current-password" data-testid="password" aria-invalid="false">' +
          '<button type="button" class="css-show" aria-label="Show password" id="show-password">Show</button></div></div>'
        : "") +
      '<div class="css-remember"><input type="checkbox" id="remember-me" name="rememberMe"' + (state.remember ? " checked" : "") +
      '><label for="remember-me">Remember me</label></div>' +
      '<div id="login-error" class="css-error" aria-live="polite"></div>' +
      '<button id="login-submit" type="submit" class="css-primary"><span>' + (pw ? "Log in" : "Continue") + "</span></button>" +
      "</form>" +
      '<div class="css-or">Or continue with:</div>' +
      '<div class="css-social">' +
      '<button type="button" id="google-auth-button" data-provider="google">Google</button>' +
      '<button type="button" id="microsoft-auth-button" data-provider="microsoft">Microsoft</button>' +
      '<button type="button" id="apple-auth-button" data-provider="apple">Apple</button>' +
      '<button type="button" id="slack-auth-button" data-provider="slack">Slack</button></div>' +
      '<ul class="css-links"><li><a id="resetPassword" href="/login/resetpassword">Can\'t log in?</a></li>' +
      '<li><a id="signup" href="/signup">Create an account</a></li></ul>' +
      "</section>" +
      '<footer class="css-legal"><div>' + LOGO + ' <b>ATLASSIAN</b></div>' +
      '<div class="product-list">One account for Jira, Confluence, Trello and more.</div>' +
      '<div><a href="/privacy">Privacy Policy</a> · <a href="/user-notice">User Notice</a></div>' +
      "<div>This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply.</div></footer></div>";

    var form = document.getElementById("form-login");
    form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });
    document.getElementById("remember-me").addEventListener("change", function (e) { state.remember = e.target.checked; });
    document.getElementById("username").addEventListener("input", function (e) {
      // Changing the email after "Continue" takes the password away again (it belonged to that email).
      if (state.step === "password" && e.target.value.trim() !== state.email) {
        state.email = e.target.value; state.step = "username"; render();
      }
    });
    root.querySelectorAll(".css-social button").forEach(function (b) {
      b.addEventListener("click", function () { location.assign("/login/social/" + b.dataset.provider); });
    });
    if (pw) {
      document.getElementById("show-password").addEventListener("click", function () {
        var p = document.getElementById("password");
        p.type = p.type === "password" ? "text" : "password";
        this.textContent = p.type === "password" ? "Show" : "Hide";
      });
      document.getElementById("password").focus();
    } else {
      document.getElementById("username").focus();
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Atlassian-Token": "no-check" },
      body: JSON.stringify(Object.assign({ csrfToken: state.config.csrfToken }, body)),
    });
  }

  function busy(on) {
    state.busy = on;
    var b = document.getElementById("login-submit");
    if (b) b.setAttribute("aria-busy", on ? "true" : "false");
  }

  function submit() {
    if (state.busy) return;
    var email = document.getElementById("username").value.trim();
    var emailError = document.getElementById("username-error");
    emailError.textContent = "";
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      emailError.textContent = "Enter a valid email address.";
      document.getElementById("username").setAttribute("aria-invalid", "true");
      return;
    }
    state.email = email;
    if (state.step === "username") {
      busy(true);
      post("/rest/check-username", { username: email }).then(function (r) { return r.json(); }).then(function (data) {
        busy(false);
        if (data.action === "signup") { location.assign(data.redirect); return; }
        state.step = "password";
        render();
      }).catch(function () { busy(false); });
      return;
    }
    var password = document.getElementById("password");
    if (!password.value) { password.setAttribute("aria-invalid", "true"); return; }
    busy(true);
    post("/rest/authenticate", { username: email, password: password.value, rememberMe: state.remember, "continue": cont })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (res) {
        if (res.ok && res.data.redirect_uri) { location.assign(res.data.redirect_uri); return; }
        busy(false);
        password.value = "";
        password.setAttribute("aria-invalid", "true");
        password.parentElement.setAttribute("data-invalid", "");
        document.getElementById("login-error").innerHTML =
          "<span>Incorrect email address and / or password. If you recently migrated your Trello account to an " +
          "Atlassian account, you will need to use your Atlassian account password.</span> " +
          '<a href="/login/resetpassword?email=' + encodeURIComponent(email) + '">Reset your password</a>';
        password.focus();
      })
      .catch(function () { busy(false); });
  }

  fetch("/api/config", { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (config) { state.config = config; setTimeout(render, config.renderDelay); });
})();
"""


class AtlassianSite(Site):
    hosts = ("atlassian.localhost",)
    brand = "Atlassian"
    session_cookie = "cloud.session.token"
    flow_cookie = "atl.login.token"
    identifier_key = "email"
    logout_label = "Log out"

    scenario = Scenario(
        host="atlassian.localhost",
        modelled_on="Atlassian (id.atlassian.com)",
        shapes=("late_spa", "site_error", "interstitial"),
        values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
        path=None,
        notes=(
            "Marketing root → 'Log in'. The login form appears ~0.5 s after load (fetch /api/config, then render); "
            "email → Continue re-renders the same form with the password; the error is an aria-live=polite region "
            "with a reset link; after the password a skippable 'Add a phone number' nag ('Remind me later')."
        ),
    )

    # --- routing

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.marketing(req)
            case "GET", "/login":
                return self.login_shell(req)
            case "GET", "/api/config":
                return self.config(req)
            case "POST", "/rest/check-username":
                return self.check_username(req)
            case "POST", "/rest/authenticate":
                return self.authenticate(req)
            case "GET", "/login/authorize":
                return self.authorize(req)
            case "GET", "/login/security/phone-nag":
                return self.phone_nag(req)
            case "POST", "/login/security/phone-nag":
                return self.phone_nag_submit(req)
            case "GET", "/manage-profile/security/phone":
                return self.add_phone(req)
            case "GET", "/home":
                return self.home(req)
            case "GET", "/login/resetpassword":
                return self.reset_password(req)
            case "GET", "/logout":
                return self.logout_page(req)
            case "POST", "/logout":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        if req.method == "GET" and req.path.startswith("/login/social/"):
            provider = req.path.rsplit("/", 1)[-1].capitalize()
            main = (
                f"<h1>Couldn't connect to {esc(provider)}</h1><p>We couldn't reach {esc(provider)} right now. "
                'Try again later, or <a href="/login">log in with your email</a>.</p>'
            )
            return self.render(f"{provider} · Atlassian", main, self.session(req))
        return None

    # --- chrome: the marketing header, or the product top bar with the profile menu

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            header = self._topbar()
        else:
            header = (
                f'<nav class="css-nav" aria-label="Main"><a class="atl-wordmark" href="/">{LOGO} ATLASSIAN</a>'
                '<div class="menu"><button type="button" aria-expanded="false">Products ▾</button>'
                '<button type="button" aria-expanded="false">For teams ▾</button>'
                '<button type="button" aria-expanded="false">Support ▾</button><a href="/pricing">Pricing</a></div>'
                '<button type="button" class="search-btn" aria-label="Search">⌕</button>'
                '<a class="login-link" href="/login">Log in</a>'
                '<a class="cta" href="/signup">Get it free</a></nav>'
            )
        body = (
            f"{header}\n<main>{main}</main>\n"
            '<footer class="css-footer"><span>Copyright © 2025 Atlassian</span><a href="/privacy">Privacy policy</a>'
            '<a href="/terms">Terms</a><a href="/impressum">Impressum</a>'
            '<label>Language <select aria-label="Choose language"><option>English</option><option>Deutsch</option>'
            "<option>Français</option><option>日本語</option></select></label></footer>"
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def _topbar(self) -> str:
        return (
            '<header class="css-topbar"><button type="button" class="grid-btn" aria-label="Switch apps">⋮⋮</button>'
            f'<a class="atl-wordmark" href="/home">{LOGO}</a><span class="home-title">Home</span>'
            '<div class="search" role="search"><input type="search" placeholder="Search" aria-label="Search"></div>'
            '<button type="button" class="create">+ Create</button>'
            '<button type="button" class="icon-btn" aria-label="Notifications">🔔</button>'
            '<button type="button" class="icon-btn" aria-label="Help">?</button>'
            f"{self._profile_menu()}</header>"
        )

    @staticmethod
    def _profile_menu() -> str:
        return (
            '<div class="profile"><button type="button" data-testid="profile-button" aria-label="Your profile and settings" '
            'aria-haspopup="true" aria-expanded="false" '
            "onclick=\"var m=this.nextElementSibling;m.hidden=!m.hidden;this.setAttribute('aria-expanded',String(!m.hidden))\">"
            '<span class="avatar">AL</span></button>'
            f'<div role="menu" hidden><div class="who"><b>{esc(accounts.DISPLAY_NAME)}</b><small>{esc(accounts.EMAIL)}</small></div>'
            '<a role="menuitem" href="/manage-profile/profile-and-visibility">Profile</a>'
            '<a role="menuitem" href="/manage-profile/security">Account settings</a>'
            '<a role="menuitem" href="/login?prompt=select_account">Switch account</a>'
            '<a role="menuitem" href="/logout">Log out</a></div></div>'
        )

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="css-home">{main}</div>', session), status)

    # --- pages

    def marketing(self, req: Request) -> Response:
        session = self.session(req)
        greeting = (
            f'<p>Welcome back, {esc(accounts.DISPLAY_NAME)}. <a href="/home">Go to your Atlassian Home</a></p>'
            if session
            else ""
        )
        main = f"""
<section class="css-hero"><div>
  <h1>The #1 software development tool used by agile teams</h1>
  <p>Plan, track, and release world-class software with the tools your team already loves.</p>{greeting}
  <form class="email-signup" action="/signup" method="get"><input type="email" name="email" placeholder="Work email" aria-label="Work email">
  <button type="submit">Sign up – it's free!</button></form>
</div><div aria-hidden="true" style="font-size:140px;text-align:center">▲</div></section>
<section class="css-products">
  <div><b>Jira</b>Project and issue tracking</div><div><b>Confluence</b>Document collaboration</div>
  <div><b>Trello</b>Organized visual projects</div><div><b>Loom</b>Async video messaging</div>
</section>"""
        return html_response(self.chrome("Atlassian | Software Development and Collaboration Tools", main, session))

    def login_shell(self, req: Request) -> Response:
        cont = safe_next(req.query.get("continue"), "/home")
        if self.session(req) and req.query.get("prompt") != "select_account":
            return redirect(cont)
        body = (
            '<div id="root"><div class="css-skeleton" aria-busy="true"><div class="css-spinner" role="img" aria-label="Loading"></div></div></div>'
            "<noscript>You need to enable JavaScript to run this app.</noscript>"
            f"<script>window.__ATL_LOGO__ = {js_value(LOGO)};</script><script>{SPA}</script>"
        )
        response = html_response(document("Log in with Atlassian account", body, css=CSS, body_attrs='class="login"'))
        if not req.cookies.get(XSRF_COOKIE):
            response.set_cookie(XSRF_COOKIE, secrets.token_hex(16), http_only=False, same_site="Strict")
        return response

    def config(self, req: Request) -> Response:
        token = req.cookies.get(XSRF_COOKIE) or secrets.token_hex(16)
        response = json_response(
            {
                "csrfToken": token,
                "locale": "en-US",
                "socialLogins": ["google", "microsoft", "apple", "slack"],
                "recaptchaEnabled": False,
                "renderDelay": RENDER_DELAY_MS,
            }
        )
        if not req.cookies.get(XSRF_COOKIE):
            response.set_cookie(XSRF_COOKIE, token, http_only=False, same_site="Strict")
        return response

    def _csrf_ok(self, req: Request) -> bool:
        cookie = req.cookies.get(XSRF_COOKIE, "")
        return bool(cookie) and secrets.compare_digest(cookie, str(req.json.get("csrfToken", "")))

    def check_username(self, req: Request) -> Response:
        if not self._csrf_ok(req):
            return json_response({"error": "xsrf_check_failed"}, 403)
        email = str(req.json.get("username", "")).strip()
        if accounts.is_email(email):
            return json_response({"action": "password", "emailVerified": True})
        return json_response({"action": "signup", "redirect": "/signup?" + urlencode({"email": email})})

    def authenticate(self, req: Request) -> Response:
        if not self._csrf_ok(req):
            return json_response({"error": "xsrf_check_failed"}, 403)
        email = str(req.json.get("username", "")).strip()
        ok = accounts.check_password(email, str(req.json.get("password", "")))
        self.record_attempt(email, ok)
        if not ok:
            return json_response({"error": "authentication_failed", "errorCode": "INVALID_CREDENTIALS"}, 403)
        cont = safe_next(str(req.json.get("continue") or ""), "/home")
        flow = self.flows.create(accounts.USERNAME, remember=bool(req.json.get("rememberMe")), cont=cont)
        return json_response({"redirect_uri": "/login/authorize?" + urlencode({"token": flow.token})})

    def authorize(self, req: Request) -> Response:
        """The one-time token from /rest/authenticate becomes the session cookie on a page load."""
        token = req.query.get("token", "")
        flow = self.flows.get(token)
        if not flow:
            return redirect("/login")
        self.flows.drop(token)
        response = redirect("/login/security/phone-nag?" + urlencode({"continue": flow.data["cont"]}))
        self.sign_in(response, persistent_days=30 if flow.data.get("remember") else None)
        return response

    def phone_nag(self, req: Request) -> Response:
        session = self.session(req)
        cont = safe_next(req.query.get("continue"), "/home")
        if not session:
            return redirect("/login?" + urlencode({"continue": cont}))
        if session.data.get("nag_done"):
            return redirect(cont)
        main = f"""
<div class="css-nag">
  <div class="chip"><span class="avatar">AL</span>{esc(accounts.EMAIL)}</div>
  <div class="shield" aria-hidden="true">🛡</div>
  <h1>Keep your account secure</h1>
  <p>Add a phone number to your account so you can get back in if you ever forget your password or lose access to your email.</p>
  <form method="post" action="/login/security/phone-nag" class="actions">
    <input type="hidden" name="continue" value="{esc(cont)}">
    <button type="submit" name="action" value="add" class="css-primary">Add phone number</button>
    <button type="submit" name="action" value="later" class="subtle">Remind me later</button>
  </form>
  <p style="font-size:12px;color:#6b778c">Not {esc(accounts.DISPLAY_NAME)}? <a href="/logout">Log out</a></p>
</div>"""
        return html_response(self.chrome("Keep your account secure · Atlassian", main, session))

    def phone_nag_submit(self, req: Request) -> Response:
        session = self.session(req)
        cont = safe_next(req.form.get("continue"), "/home")
        if not session:
            return redirect("/login?" + urlencode({"continue": cont}))
        session.data["nag_done"] = True
        if req.form.get("action") == "add":
            return redirect("/manage-profile/security/phone?" + urlencode({"continue": cont}))
        return redirect(cont)

    def add_phone(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login?continue=" + quote("/manage-profile/security/phone"))
        main = """
<h1>Add a phone number</h1><p>We'll text a code to this number to confirm it's yours.</p>
<form method="post" action="/manage-profile/security/phone"><label>Country <select name="country"><option>+1 United States</option>
<option>+44 United Kingdom</option><option>+61 Australia</option></select></label>
<label>Phone number <input type="tel" name="phone" autocomplete="tel"></label><button type="submit">Send code</button></form>
<p><a href="/home">Skip for now</a></p>"""
        return self.render("Add phone number · Atlassian", main, session)

    def home(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login?" + urlencode({"continue": "/home"}))
        main = f"""
<h1>Good morning, {esc(accounts.DISPLAY_NAME)}</h1>
<h2>Your apps</h2>
<div class="apps"><a href="/home?app=jira"><b>Jira</b>acme-team.atlassian.net</a><a href="/home?app=confluence"><b>Confluence</b>acme-team.atlassian.net</a>
<a href="/home?app=trello"><b>Trello</b>trello.com</a><a href="/home?app=loom"><b>Loom</b>loom.com</a></div>
<h2>Recent</h2>
<ul class="recent"><li>ACME-142 Checkout fails on Safari · Jira</li><li>Q3 planning · Confluence</li><li>Launch board · Trello</li></ul>"""
        return self.render("Atlassian Home", main, session)

    def reset_password(self, req: Request) -> Response:
        main = f"""
<h1>Can't log in?</h1><p>We'll send a recovery link to</p>
<form method="post" action="/login/resetpassword"><input type="email" name="email" placeholder="Enter email" value="{esc(req.query.get("email", ""))}">
<button type="submit">Send recovery link</button></form><p><a href="/login">Return to log in</a></p>"""
        return self.render("Reset your password · Atlassian", main, self.session(req))

    def logout_page(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        main = f"""
<div class="css-nag"><h1>Log out of your Atlassian account</h1>
<div class="chip"><span class="avatar">AL</span>{esc(accounts.EMAIL)}</div>
<form method="post" action="/logout" class="actions"><button type="submit" class="css-primary">Log out</button></form>
<p><a href="/login?prompt=select_account">Log in to another account</a></p></div>"""
        return html_response(self.chrome("Log out · Atlassian", main, session))
