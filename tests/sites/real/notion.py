"""notion.localhost — modelled on Notion, whose workspace only lets its members in with Google; and
gaccounts-b.localhost — a Google-Accounts-like identity provider built for it.

Steps: the marketing home page → "Log in" → ``/login``: only provider buttons (``div role=button``, as
Notion's are) — "Continue with Google", "Continue with Apple", "Continue with Microsoft", "Single
sign-on (SSO)" — and a note that the workspace requires Google; no email or password field at all →
"Continue with Google" → ``/login/google`` sets a state cookie and redirects to the provider's
``/o/oauth2/auth?client_id=…&redirect_uri=…&state=…`` → "Sign in · to continue to Notion": email
(``#identifierId``) → Next → "Welcome": password (``Passwd``) → Next → consent "Notion wants to access
your Google Account" → Allow → ``notion.localhost/oauth/callback?code=…&state=…``: the app redeems the
code over the back channel and starts its session → ``/workspace`` (sidebar "Alice's Notion", account
menu with "Log out").

The provider keeps its own session: a second authorization goes straight to the consent page.

Shapes:
- sso_only: ``/login`` has no ``<input>`` but the language picker; the password is typed on the
  provider (``password_host`` is the provider), its error is ``Wrong password. Try again or click
  Forgot password to reset it.`` in an ``aria-live="assertive"`` region.
"""

from __future__ import annotations

import secrets
import threading
import time
from urllib.parse import urlencode

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
)
from tests.sites.real import Scenario

APP_HOST = "notion.localhost"
IDP_HOST = "gaccounts-b.localhost"
CLIENT_ID = "notion-sandbox.apps.googleusercontent.com"
CLIENT_NAME = "Notion"
CODE_LIFETIME = 120

APP_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 ui-sans-serif, -apple-system, 'Segoe UI', Helvetica, sans-serif; color: #37352f; background: #fff; }
a { color: inherit; }
.mkt-header { display: flex; align-items: center; gap: 22px; padding: 12px 28px; position: sticky; top: 0; background: #fff; }
.mkt-header .wordmark { font-weight: 700; font-size: 18px; text-decoration: none; display: flex; gap: 8px; align-items: center; }
.mkt-header .wordmark b { border: 2px solid #000; border-radius: 4px; padding: 0 5px; font-family: Georgia, serif; }
.mkt-header nav { display: flex; gap: 18px; flex: 1; }
.mkt-header nav a { text-decoration: none; font-size: 14px; }
.mkt-header .cta { background: #000; color: #fff; border-radius: 8px; padding: 6px 14px; text-decoration: none; font-size: 14px; }
.mkt-header .login-link { text-decoration: none; font-size: 14px; }
.hero { text-align: center; padding: 80px 20px 40px; }
.hero h1 { font-size: 56px; line-height: 1.05; margin: 0 0 16px; letter-spacing: -1.5px; }
.hero p { font-size: 20px; color: #6b6b6b; }
.logos { display: flex; justify-content: center; gap: 40px; color: #9b9a97; font-weight: 700; padding: 20px; }
.mkt-footer { border-top: 1px solid #e9e9e7; padding: 28px; color: #9b9a97; font-size: 13px; display: flex; gap: 18px; flex-wrap: wrap; }
.login-page { max-width: 320px; margin: 60px auto; }
.login-page h1 { font-size: 22px; margin: 0; }
.login-page .sub { color: #9b9a97; font-size: 18px; margin: 0 0 24px; font-weight: 600; }
.notion-login-button { display: flex; align-items: center; justify-content: center; gap: 8px; height: 40px; border: 1px solid #e3e2e0; border-radius: 8px; margin-bottom: 10px; cursor: pointer; user-select: none; font-weight: 500; font-size: 14px; }
.notion-login-button:hover { background: #f7f7f5; }
.notion-login-button .glyph { width: 16px; text-align: center; font-weight: 700; }
.notion-login-note { background: #fbf3db; border-radius: 6px; padding: 10px 12px; font-size: 13px; margin: 8px 0 18px; }
.notion-login-error { background: #fdebec; color: #9f2f2d; border-radius: 6px; padding: 10px 12px; font-size: 13px; margin-bottom: 14px; }
.legal { font-size: 12px; color: #9b9a97; margin-top: 28px; }
.lang { position: fixed; bottom: 16px; left: 16px; font-size: 13px; }
.app { display: grid; grid-template-columns: 240px 1fr; min-height: 100vh; }
.sidebar { background: #f7f7f5; padding: 10px 8px; font-size: 14px; }
.ws-switcher { position: relative; }
.ws-switcher > button { width: 100%; display: flex; align-items: center; gap: 8px; border: 0; background: none; padding: 6px; border-radius: 6px; cursor: pointer; font: inherit; font-weight: 600; }
.ws-switcher > button:hover { background: #ebebea; }
.avatar { width: 22px; height: 22px; border-radius: 4px; background: #e16259; color: #fff; display: inline-flex; align-items: center; justify-content: center; font-size: 12px; }
.ws-menu { position: absolute; top: 40px; left: 0; width: 280px; background: #fff; border-radius: 8px; box-shadow: 0 8px 24px rgba(15,15,15,.2); padding: 8px; z-index: 5; }
.ws-menu[hidden] { display: none; }
.ws-menu a, .ws-menu p { display: block; padding: 6px 8px; margin: 0; text-decoration: none; }
.sidebar .pages a { display: block; padding: 3px 10px; text-decoration: none; color: #5f5e5b; border-radius: 4px; }
.sidebar .pages a:hover { background: #ebebea; }
.sidebar h4 { color: #9b9a97; font-size: 12px; margin: 16px 10px 4px; }
.page { padding: 60px 96px; }
.page .topbar { position: absolute; top: 10px; right: 20px; display: flex; gap: 14px; font-size: 14px; color: #5f5e5b; }
.page h1 { font-size: 40px; margin: 0 0 10px; }
.todo { list-style: none; padding: 0; } .todo li::before { content: "☐ "; }
"""

IDP_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.43 Roboto, Arial, sans-serif; color: #1f1f1f; background: #f0f4f9; min-height: 100vh; }
.card { width: 1040px; max-width: calc(100% - 48px); margin: 48px auto 16px; background: #fff; border-radius: 28px; padding: 36px 40px; display: grid; grid-template-columns: 1fr 1fr; gap: 40px; }
.card .g { font: 500 28px/1 'Product Sans', Arial, sans-serif; }
.card .g span:nth-child(1) { color: #4285f4; } .card .g span:nth-child(2) { color: #ea4335; }
.card .g span:nth-child(3) { color: #fbbc05; } .card .g span:nth-child(4) { color: #4285f4; }
.card .g span:nth-child(5) { color: #34a853; } .card .g span:nth-child(6) { color: #ea4335; }
.card h1 { font: 400 36px/1.2 'Google Sans', Arial, sans-serif; margin: 24px 0 12px; }
.card .sub { font-size: 16px; margin: 0; }
.card .sub a { color: #0b57d0; text-decoration: none; font-weight: 500; }
.field { position: relative; margin-top: 56px; }
.whsOnd { width: 100%; height: 56px; border: 1px solid #747775; border-radius: 4px; padding: 13px 15px; font-size: 16px; }
.whsOnd:focus { outline: 2px solid #0b57d0; border-color: transparent; }
.link-btn { border: 0; background: none; color: #0b57d0; font-weight: 500; cursor: pointer; padding: 10px 0; font-size: 14px; }
.guest { color: #444746; margin-top: 32px; }
.guest a { color: #0b57d0; text-decoration: none; }
.actions { display: flex; justify-content: flex-end; align-items: center; gap: 16px; margin-top: 40px; }
.VfPpkd-LgbsSe { border: 0; border-radius: 20px; height: 40px; padding: 0 24px; font-size: 14px; font-weight: 500; cursor: pointer; }
.nCP5yc { background: #0b57d0; color: #fff; }
.ksBjEc { background: none; color: #0b57d0; }
.Ekjuhf { color: #b3261e; font-size: 12px; margin-top: 6px; display: flex; gap: 6px; }
.chip { display: inline-flex; align-items: center; gap: 8px; border: 1px solid #747775; border-radius: 16px; padding: 4px 12px 4px 4px; font-weight: 500; margin-top: 12px; }
.chip .av { width: 20px; height: 20px; border-radius: 50%; background: #8e24aa; color: #fff; font-size: 11px; display: inline-flex; align-items: center; justify-content: center; }
.show-pass { margin-top: 12px; display: flex; gap: 8px; align-items: center; }
.scopes { padding-left: 18px; } .scopes li { margin: 6px 0; }
.fine { color: #444746; font-size: 13px; }
.gfooter { width: 1040px; max-width: calc(100% - 48px); margin: 0 auto; display: flex; justify-content: space-between; font-size: 12px; color: #444746; }
.gfooter select { border: 0; background: none; font-size: 12px; }
.gfooter a { color: #444746; text-decoration: none; margin-left: 24px; }
"""

G_MARK = '<div class="g" aria-label="Google" role="img"><span>G</span><span>o</span><span>o</span><span>g</span><span>l</span><span>e</span></div>'

IDP_FOOTER = """
<footer class="gfooter">
  <select aria-label="Change language"><option selected>English (United States)</option><option>Deutsch</option>
  <option>Español (España)</option><option>Français (France)</option><option>日本語</option></select>
  <span><a href="/help">Help</a><a href="/privacy">Privacy</a><a href="/terms">Terms</a></span>
</footer>"""

# The Next buttons are type=button driven by script, as Google's are; Enter in a field submits too.
IDP_SCRIPT = """
document.querySelectorAll('[data-submit]').forEach(function (b) {
  b.addEventListener('click', function () { b.closest('form').requestSubmit(); });
});
document.querySelectorAll('form input.whsOnd').forEach(function (i) {
  i.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); i.form.requestSubmit(); } });
});
"""


class GoogleAccountsSite(Site):
    """The identity provider: OAuth-like authorization with a code the app redeems (back channel)."""

    hosts = (IDP_HOST,)
    brand = "Google"
    session_cookie = "SID"
    flow_cookie = "GAPS"
    identifier_key = "email"

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._grants: dict[str, tuple[str, str, str, float]] = {}  # code → (client, redirect_uri, user, expiry)
        self._grants_lock = threading.Lock()

    @property
    def redirect_uris(self) -> set[str]:
        return {self.url("/oauth/callback", host=APP_HOST)}

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/myaccount" if self.session(req) else "/v3/signin/identifier")
            case "GET", "/o/oauth2/auth" | "/o/oauth2/v2/auth":
                return self.authorize(req)
            case "GET", "/v3/signin/identifier":
                return self.identifier_page(req)
            case "POST", "/v3/signin/identifier":
                return self.identifier_submit(req)
            case "GET", "/v3/signin/challenge/pwd":
                return self.password_page(req)
            case "POST", "/v3/signin/challenge/pwd":
                return self.password_submit(req)
            case "GET", "/signin/oauth/consent":
                return self.consent_page(req)
            case "POST", "/signin/oauth/consent":
                return self.consent_submit(req)
            case "GET", "/myaccount":
                return self.my_account(req)
            case "GET", "/Logout":
                response = redirect("/v3/signin/identifier")
                self.sign_out(req, response)
                return response
        return None

    def page(self, title: str, left: str, right: str, session: Session | None = None, status: int = 200) -> Response:
        body = (
            f'<main class="card"><div>{G_MARK}{left}</div><div>{right}</div></main>{IDP_FOOTER}'
            f"<script>{IDP_SCRIPT}</script>"
        )
        return html_response(document(title, body, css=IDP_CSS, body_attrs=LOGGED_IN if session else ""), status)

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return self.page(title, f"<h1>{esc(title)}</h1>", main, session, status)

    # --- authorization

    def authorize(self, req: Request) -> Response:
        client_id, redirect_uri = req.query.get("client_id", ""), req.query.get("redirect_uri", "")
        if client_id != CLIENT_ID or redirect_uri not in self.redirect_uris:
            return self.page(
                "Error 400: redirect_uri_mismatch",
                "<h1>Access blocked: This app's request is invalid</h1>",
                "<p>You can't sign in because this app sent an invalid request.</p><p><b>Error 400: redirect_uri_mismatch</b></p>",
                status=400,
            )
        response = redirect("/signin/oauth/consent" if self.session(req) else "/v3/signin/identifier?flowName=GeneralOAuthFlow")
        self.end_flow(req, response)
        self.start_flow(
            response,
            accounts.EMAIL if self.session(req) else "",
            client_id=client_id,
            redirect_uri=redirect_uri,
            state=req.query.get("state", ""),
        )
        return response

    def redeem(self, code: str, client_id: str, redirect_uri: str) -> str | None:
        """The app's code exchange: the user the code was issued to, once, or None."""
        with self._grants_lock:
            grant = self._grants.pop(code, None)
        if not grant:
            return None
        grant_client, grant_uri, user, expiry = grant
        if grant_client != client_id or grant_uri != redirect_uri or time.time() > expiry:
            return None
        return user

    # --- sign-in pages

    def _continue_to(self, req: Request) -> str:
        flow = self.flow(req)
        if flow and flow.data.get("client_id"):
            return f'to continue to <a href="/help">{esc(CLIENT_NAME)}</a>'
        return "to continue to Google Account"

    def identifier_page(self, req: Request, *, error: str = "", email: str = "") -> Response:
        err = (
            f'<div class="Ekjuhf Jj6Lae" aria-live="assertive" id="identifier-error"><span aria-hidden="true">ⓘ</span>{esc(error)}</div>'
            if error
            else '<div class="Ekjuhf Jj6Lae" aria-live="assertive"></div>'
        )
        left = f'<h1 id="headingText">Sign in</h1><p class="sub" id="headingSubtext">{self._continue_to(req)}</p>'
        right = f"""
<form method="post" action="/v3/signin/identifier" novalidate>
  <div class="field">
    <input type="email" class="whsOnd zHQkBf" jsname="YPqjbf" autocomplete="username" spellcheck="false" tabindex="0"
           aria-label="Email or phone" name="identifier" autocapitalize="none" id="identifierId" dir="ltr"
           value="{esc(email)}" autofocus {'aria-invalid="true" aria-describedby="identifier-error"' if error else ''}>
  </div>
  {err}
  <button type="button" class="link-btn" onclick="location.href='/help'">Forgot email?</button>
  <p class="guest">Not your computer? Use Guest mode to sign in privately. <a href="/help">Learn more about using Guest mode</a></p>
  <div class="actions">
    <button type="button" class="VfPpkd-LgbsSe ksBjEc" onclick="location.href='/help'">Create account</button>
    <div id="identifierNext"><button type="button" class="VfPpkd-LgbsSe nCP5yc" jsname="LgbsSe" data-submit><span class="VfPpkd-vQzf8d">Next</span></button></div>
  </div>
</form>"""
        return self.page("Sign in - Google Accounts", left, right)

    def identifier_submit(self, req: Request) -> Response:
        email = req.form.get("identifier", "").strip()
        if not email:
            return self.identifier_page(req, error="Enter an email or phone number")
        if not accounts.is_email(email):
            return self.identifier_page(req, error="Couldn't find your Google Account", email=email)
        response = redirect("/v3/signin/challenge/pwd?TL=" + secrets.token_urlsafe(12))
        flow = self.flow(req)
        if flow:
            flow.user = accounts.EMAIL
        else:  # signing in to the provider itself
            self.start_flow(response, accounts.EMAIL)
        return response

    def password_page(self, req: Request, *, error: str = "") -> Response:
        flow = self.flow(req)
        if not flow or not flow.user:
            return redirect("/v3/signin/identifier")
        err = (
            f'<div class="Ekjuhf Jj6Lae" aria-live="assertive" id="password-error"><span aria-hidden="true">ⓘ</span>{esc(error)}</div>'
            if error
            else '<div class="Ekjuhf Jj6Lae" aria-live="assertive"></div>'
        )
        left = f"""<h1 id="headingText">Welcome</h1>
<div class="chip" id="profileIdentifier"><span class="av" aria-hidden="true">{esc(accounts.DISPLAY_NAME[0])}</span>{esc(flow.user)} ▾</div>"""
        right = f"""
<form method="post" action="/v3/signin/challenge/pwd" novalidate>
  <input type="email" name="identifier" value="{esc(flow.user)}" autocomplete="username" hidden aria-hidden="true" tabindex="-1">
  <div class="field" id="password">
    <input type="password" class="whsOnd zHQkBf" jsname="YPqjbf" autocomplete="current-password" spellcheck="false" tabindex="0"
           aria-label="Enter your password" name="Passwd" autocapitalize="off" dir="ltr" autofocus
           {'aria-invalid="true" aria-describedby="password-error"' if error else ''}>
  </div>
  {err}
  <label class="show-pass"><input type="checkbox" class="VfPpkd-muHVFf-bMcfAe" onchange="var p=this.form.Passwd;p.type=this.checked?'text':'password'"> Show password</label>
  <div class="actions">
    <button type="button" class="VfPpkd-LgbsSe ksBjEc" onclick="location.href='/help'">Forgot password?</button>
    <div id="passwordNext"><button type="button" class="VfPpkd-LgbsSe nCP5yc" jsname="LgbsSe" data-submit><span class="VfPpkd-vQzf8d">Next</span></button></div>
  </div>
</form>"""
        return self.page("Sign in - Google Accounts", left, right)

    def password_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow or not flow.user:
            return redirect("/v3/signin/identifier")
        ok = accounts.check_password(flow.user, req.form.get("Passwd", ""))
        self.record_attempt(flow.user, ok)
        if not ok:
            return self.password_page(req, error="Wrong password. Try again or click Forgot password to reset it.")
        if flow.data.get("client_id"):
            response = redirect("/signin/oauth/consent?authuser=0")
        else:
            response = redirect("/myaccount")
            self.end_flow(req, response)
        self.sign_in(response)
        return response

    def consent_page(self, req: Request) -> Response:
        flow = self.flow(req)
        session = self.session(req)
        if not flow or not flow.data.get("client_id"):
            return redirect("/myaccount")
        if not session:
            return redirect("/v3/signin/identifier")
        left = f"""<h1>{esc(CLIENT_NAME)} wants to access your Google Account</h1>
<div class="chip"><span class="av" aria-hidden="true">{esc(accounts.DISPLAY_NAME[0])}</span>{esc(accounts.EMAIL)}</div>"""
        right = f"""
<p>This will allow <b>{esc(CLIENT_NAME)}</b> to:</p>
<ul class="scopes"><li>Associate you with your personal info on Google</li><li>See your personal info, including any personal info you've made publicly available</li>
<li>See your primary Google Account email address</li></ul>
<h2 style="font-size:16px">Make sure you trust {esc(CLIENT_NAME)}</h2>
<p class="fine">You may be sharing sensitive info with this site or app. Learn about how {esc(CLIENT_NAME)} will handle your data by reviewing its
<a href="/privacy">privacy policy</a> and <a href="/terms">Terms of Service</a>. You can always see or remove access in your
<a href="/myaccount">Google Account</a>.</p>
<p class="fine"><a href="/help">Learn about the risks</a></p>
<form method="post" action="/signin/oauth/consent">
  <div class="actions">
    <button type="submit" name="submit_access" value="false" class="VfPpkd-LgbsSe ksBjEc">Cancel</button>
    <button type="submit" name="submit_access" value="true" class="VfPpkd-LgbsSe nCP5yc" id="submit_approve_access">Allow</button>
  </div>
</form>"""
        return self.page(f"Sign in - {CLIENT_NAME}", left, right, session)

    def consent_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        session = self.session(req)
        if not flow or not flow.data.get("client_id") or not session:
            return redirect("/myaccount")
        if req.form.get("submit_access") == "true":
            code = "4/0A" + secrets.token_urlsafe(24)
            with self._grants_lock:
                self._grants[code] = (
                    flow.data["client_id"], flow.data["redirect_uri"], accounts.EMAIL, time.time() + CODE_LIFETIME
                )
            params = {"state": flow.data["state"], "code": code, "scope": "email profile openid", "authuser": "0", "prompt": "consent"}
        else:
            params = {"error": "access_denied", "state": flow.data["state"]}
        response = redirect(f"{flow.data['redirect_uri']}?{urlencode(params)}")
        self.end_flow(req, response)
        return response

    def my_account(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/v3/signin/identifier")
        left = f"<h1>Welcome, {esc(accounts.DISPLAY_NAME)}</h1><p class='sub'>{esc(accounts.EMAIL)}</p>"
        right = "<p>Manage your info, privacy, and security to make Google work better for you.</p><p><a href='/Logout'>Sign out</a></p>"
        return self.page("Google Account", left, right, session)


LOGIN_SCRIPT = """
document.querySelectorAll('.notion-login-button').forEach(function (b) {
  function go() { location.href = b.getAttribute('data-href'); }
  b.addEventListener('click', go);
  b.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
});
"""


class NotionSite(Site):
    hosts = (APP_HOST,)
    brand = "Notion"
    session_cookie = "token_v2"
    identifier_key = "email"
    login_path = "/login"
    logout_path = "/logout"

    scenario = Scenario(
        host=APP_HOST,
        modelled_on="Notion (workspace that requires Google sign-in)",
        shapes=("sso_only",),
        values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
        path=None,
        sso_provider="google",
        allowed_domains=(IDP_HOST,),
        credential_domain=IDP_HOST,
        password_host=IDP_HOST,
        notes=(
            "The login page has provider buttons only (div role=button). Google runs on its own host: "
            "email → Next → password → Next → consent 'Allow' → back with ?code=. The Next buttons are "
            "type=button, driven by script."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/workspace") if self.session(req) else self.home()
            case "GET", "/login":
                return redirect("/workspace") if self.session(req) else self.login_page(req)
            case "GET", "/login/google":
                return self.start_google()
            case "GET", "/login/apple" | "/login/microsoft":
                provider = "Apple" if req.path.endswith("apple") else "Microsoft"
                return redirect(f"/login?error={provider}")
            case "GET", "/login/sso":
                return redirect("/login?error=SSO")
            case "GET", "/oauth/callback":
                return self.callback(req)
            case "GET", "/workspace":
                return self.workspace(req)
            case ("GET" | "POST"), "/logout":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        return None

    # --- marketing chrome

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        right = (
            '<a class="login-link" href="/workspace">Open Notion</a>'
            if session
            else '<a class="login-link" href="/login">Log in</a><a class="cta" href="/signup">Get Notion free</a>'
        )
        body = f"""
<header class="mkt-header">
  <a class="wordmark" href="/"><b>N</b> Notion</a>
  <nav aria-label="Main"><a href="/docs">Product</a><a href="/docs">AI</a><a href="/docs">Solutions</a><a href="/docs">Resources</a>
  <a href="/pricing">Enterprise</a><a href="/pricing">Pricing</a><a href="/help">Request a demo</a></nav>
  {right}
</header>
{main}
<footer class="mkt-footer"><span>© 2025 Notion Labs, Inc.</span><a href="/about">About us</a><a href="/about">Careers</a>
<a href="/privacy">Security</a><a href="/help">Status</a><a href="/terms">Terms &amp; privacy</a><a href="/privacy">Your privacy rights</a>
<a href="/help">Cookie settings</a></footer>"""
        return document(title, body, css=APP_CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<main class="hero">{main}</main>', session), status)

    def home(self) -> Response:
        main = """
<main>
  <section class="hero"><h1>The AI workspace<br>that works for you.</h1>
    <p>One place where teams find every answer, automate the busywork, and get projects done.</p>
    <p><a class="cta" href="/signup" style="background:#0a85d1;color:#fff;padding:8px 16px;border-radius:8px;text-decoration:none">Get Notion free</a>
    &nbsp; <a href="/help">Request a demo →</a></p></section>
  <section class="logos" aria-label="Trusted by"><span>OpenAI</span><span>Figma</span><span>Ramp</span><span>Vercel</span><span>Toyota</span></section>
</main>"""
        return html_response(self.chrome("Notion – The AI workspace that works for you.", main, None))

    def login_page(self, req: Request) -> Response:
        error = req.query.get("error")
        banner = ""
        if error == "google":
            banner = '<div class="notion-login-error" role="alert">Google sign-in was cancelled or failed. Please try again.</div>'
        elif error:
            banner = (
                f'<div class="notion-login-error" role="alert">{esc(error)} sign-in is not enabled for your workspace. '
                "Continue with Google.</div>"
            )

        def button(provider: str, glyph: str, label: str) -> str:
            return (
                f'<div role="button" tabindex="0" class="notion-login-button" data-provider="{provider}" '
                f'data-href="/login/{provider}"><span class="glyph" aria-hidden="true">{glyph}</span> {esc(label)}</div>'
            )

        main = f"""
<main class="login-page">
  <h1>Think it. Make it.</h1>
  <p class="sub">Log in to your Notion account</p>
  {banner}
  {button("google", "G", "Continue with Google")}
  {button("apple", "", "Continue with Apple")}
  {button("microsoft", "▦", "Continue with Microsoft")}
  <div class="notion-login-note" role="note">Your workspace (Acme Inc.) requires you to log in with Google.
  Contact your workspace admin for other options.</div>
  {button("sso", "⚿", "Single sign-on (SSO)")}
  <p class="legal">Your name and photo are displayed to users who invite you to a workspace using your email. By continuing,
  you acknowledge that you understand and agree to the <a href="/terms">Terms &amp; Conditions</a> and
  <a href="/privacy">Privacy Policy</a>.</p>
</main>
<div class="lang"><select aria-label="Language"><option selected>English (US)</option><option>Deutsch</option>
<option>Français (France)</option><option>日本語</option><option>한국어</option></select></div>
<script>{LOGIN_SCRIPT}</script>"""
        header = '<header class="mkt-header"><a class="wordmark" href="/"><b>N</b> Notion</a></header>'
        return html_response(document("Log in – Notion", header + main, css=APP_CSS))

    def start_google(self) -> Response:
        state = secrets.token_urlsafe(16)
        query = urlencode(
            {
                "client_id": CLIENT_ID,
                "redirect_uri": self.url("/oauth/callback"),
                "response_type": "code",
                "scope": "email profile openid",
                "state": state,
                "access_type": "online",
            }
        )
        response = redirect(self.url(f"/o/oauth2/auth?{query}", host=IDP_HOST))
        response.set_cookie("notion_oauth_state", state, max_age=600)
        return response

    def callback(self, req: Request) -> Response:
        state = req.query.get("state", "")
        expected = req.cookies.get("notion_oauth_state", "")
        if req.query.get("error") or not state or not secrets.compare_digest(state, expected):
            return redirect("/login?error=google")
        idp = self.sandbox.site(IDP_HOST)
        assert isinstance(idp, GoogleAccountsSite)
        user = idp.redeem(req.query.get("code", ""), CLIENT_ID, self.url("/oauth/callback"))
        if user != accounts.EMAIL:
            return redirect("/login?error=google")
        response = redirect("/workspace")
        response.delete_cookie("notion_oauth_state")
        self.sign_in(response, via="google")
        return response

    def workspace(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        pages = ["Getting Started", "Quick Note", "Personal Home", "Task List", "Reading List", "Journal"]
        body = f"""
<div class="app">
  <nav class="sidebar" aria-label="Sidebar">
    <div class="ws-switcher">
      <button type="button" id="ws-switcher" aria-haspopup="menu" aria-expanded="false" aria-controls="ws-menu">
        <span class="avatar" aria-hidden="true">{esc(accounts.DISPLAY_NAME[0])}</span>{esc(accounts.DISPLAY_NAME)}'s Notion ⌄</button>
      <div class="ws-menu" id="ws-menu" role="menu" hidden>
        <p><small>{esc(accounts.EMAIL)}</small></p>
        <p><span class="avatar">{esc(accounts.DISPLAY_NAME[0])}</span> {esc(accounts.DISPLAY_NAME)}'s Notion · Free Plan · 1 member</p>
        <a role="menuitem" href="/settings">Settings</a>
        <a role="menuitem" href="/signup">Add another account</a>
        <a role="menuitem" href="/logout" id="logout">Log out</a>
      </div>
    </div>
    <a href="/search" class="pages" style="display:block;padding:3px 10px">Search</a>
    <h4>Private</h4>
    <div class="pages">{"".join(f"<a href='/workspace'>{esc(p)}</a>" for p in pages)}</div>
  </nav>
  <section class="page">
    <div class="topbar"><span>Edited just now</span><a href="/workspace">Share</a><span>☆</span><span>⋯</span></div>
    <h1>Getting Started</h1>
    <p>Welcome to Notion, {esc(accounts.DISPLAY_NAME)}!</p>
    <ul class="todo"><li>Click anywhere and just start typing</li><li>Hit / to see all the types of content you can add</li>
    <li>Drag ⋮⋮ to move blocks around</li></ul>
  </section>
</div>
<script>(function(){{var b=document.getElementById('ws-switcher'),m=document.getElementById('ws-menu');
b.addEventListener('click',function(){{var o=m.hidden;m.hidden=!o;b.setAttribute('aria-expanded',String(o));}});}})();</script>"""
        return html_response(document("Getting Started – Notion", body, css=APP_CSS, body_attrs=LOGGED_IN))
