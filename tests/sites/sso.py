"""SSO: an app (sso-app.localhost) that signs in through an OAuth-like identity provider on another host.

* ``sso-app.localhost`` — "Sandbox App": "Sign in with Google", "Sign in with GitHub" and an ordinary
  email/password form.
* ``idp.localhost`` — a Google-like identity provider: ``/authorize`` → email → Next → password →
  consent ("Sandbox App wants to access your Google Account", Allow / Cancel) → back to the app's
  ``/callback?code=…&state=…``. The app redeems the code in-process (:meth:`IdpSite.redeem`).
* ``github-idp.localhost`` — always "GitHub is unavailable".
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

APP_HOST = "sso-app.localhost"
IDP_HOST = "idp.localhost"
GITHUB_HOST = "github-idp.localhost"
CLIENT_ID = "sandbox-app"
CLIENT_NAME = "Sandbox App"
CODE_LIFETIME = 300  # seconds an authorization code can be redeemed

APP_CSS = """
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; background: #f7f7f8; color: #18181b; }
.appbar { display: flex; align-items: center; gap: 20px; padding: 14px 36px; border-bottom: 1px solid #e4e4e7; background: #fff; }
.appbar .n { font-weight: 700; } .appbar a { color: #52525b; } .appbar .u { margin-left: auto; display: flex; gap: 14px; }
.login { width: 360px; margin: 60px auto; background: #fff; border: 1px solid #e4e4e7; border-radius: 12px; padding: 30px; }
.login h1 { font-size: 21px; margin: 0 0 20px; text-align: center; }
.sso { display: flex; align-items: center; justify-content: center; gap: 10px; width: 100%; box-sizing: border-box; padding: 10px; margin-bottom: 10px;
  border: 1px solid #d4d4d8; border-radius: 8px; background: #fff; color: #18181b; font-size: 15px; text-decoration: none; cursor: pointer; }
.sso.github { background: #24292f; color: #fff; border-color: #24292f; }
.divider { text-align: center; color: #a1a1aa; margin: 16px 0; font-size: 13px; }
.login label { display: block; font-size: 13px; margin: 10px 0 4px; }
.login input { width: 100%; box-sizing: border-box; padding: 9px; border: 1px solid #d4d4d8; border-radius: 8px; }
.login button.primary { margin-top: 16px; width: 100%; padding: 10px; border: 0; border-radius: 8px; background: #18181b; color: #fff; cursor: pointer; }
.oops { color: #dc2626; text-align: center; }
.content { max-width: 760px; margin: 40px auto; }
"""

IDP_CSS = """
body { margin: 0; font: 14px/1.45 Roboto, Arial, sans-serif; background: #f0f4f9; color: #1f1f1f; }
.card { width: 450px; margin: 80px auto; background: #fff; border-radius: 28px; padding: 36px 40px; }
.g { font-size: 22px; font-weight: 500; letter-spacing: -1px; }
.g span:nth-child(1) { color: #4285f4; } .g span:nth-child(2) { color: #ea4335; } .g span:nth-child(3) { color: #fbbc05; }
.g span:nth-child(4) { color: #4285f4; } .g span:nth-child(5) { color: #34a853; } .g span:nth-child(6) { color: #ea4335; }
h1 { font-size: 32px; font-weight: 400; margin: 18px 0 8px; }
.sub { margin: 0 0 26px; }
.text-field { width: 100%; box-sizing: border-box; border: 1px solid #747775; border-radius: 4px; padding: 14px; font-size: 16px; }
.chip { display: inline-block; border: 1px solid #747775; border-radius: 16px; padding: 2px 12px; margin-bottom: 20px; }
.row { display: flex; justify-content: space-between; align-items: center; margin-top: 34px; }
.btn-next { background: #0b57d0; color: #fff; border: 0; border-radius: 20px; padding: 10px 24px; font-size: 14px; cursor: pointer; }
.btn-text { background: none; border: 0; color: #0b57d0; font-size: 14px; cursor: pointer; padding: 10px 16px; }
.err { color: #b3261e; margin-top: 8px; }
.scopes li { margin: 8px 0; }
"""

GOOGLE_MARK = '<div class="g"><span>G</span><span>o</span><span>o</span><span>g</span><span>l</span><span>e</span></div>'


class IdpSite(Site):
    """The identity provider. It has its own session, so a second authorization skips the password."""

    hosts = (IDP_HOST,)
    brand = "Google"
    session_cookie = "SID"
    flow_cookie = "GAPS_flow"
    identifier_key = "email"

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._codes: dict[
            str, tuple[str, str, str, float]
        ] = {}  # code → (client, redirect_uri, user, expiry)
        self._codes_lock = threading.Lock()

    @property
    def redirect_uris(self) -> set[str]:
        return {self.url("/callback", host=APP_HOST)}

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/myaccount")
            case "GET", "/authorize":
                return self.authorize(req)
            case "GET", "/signin/identifier":
                return self.identifier_page(req)
            case "POST", "/signin/identifier":
                return self.identifier_submit(req)
            case "GET", "/signin/challenge/pwd":
                return self.password_page(req)
            case "POST", "/signin/challenge/pwd":
                return self.password_submit(req)
            case "GET", "/consent":
                return self.consent_page(req)
            case "POST", "/consent":
                return self.consent_submit(req)
            case "GET", "/myaccount":
                return self.my_account(req)
            case "GET", "/logout":
                response = redirect("/signin/identifier")
                self.sign_out(req, response)
                return response
        return None

    def card(self, title: str, inner: str) -> Response:
        return html_response(document(title, f'<div class="card">{GOOGLE_MARK}{inner}</div>', css=IDP_CSS))

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        who = (
            f'<p>{esc(accounts.EMAIL)} · <a href="/logout">Sign out</a></p>'
            if session
            else '<p><a href="/signin/identifier">Sign in</a></p>'
        )
        return document(
            title,
            f'<div class="card">{GOOGLE_MARK}{main}{who}</div>',
            css=IDP_CSS,
            body_attrs=LOGGED_IN if session else "",
        )

    # --- the OAuth-like part

    def authorize(self, req: Request) -> Response:
        client_id, redirect_uri = req.query.get("client_id", ""), req.query.get("redirect_uri", "")
        if client_id != CLIENT_ID or redirect_uri not in self.redirect_uris:
            return self.card(
                "Error 400: redirect_uri_mismatch",
                "<h1>Access blocked: this app's request is invalid</h1>"
                "<p class='err'>Error 400: redirect_uri_mismatch</p>",
            )
        # The flow carries the authorization request through the sign-in pages.
        target = "/consent" if self.session(req) else "/signin/identifier"
        response = redirect(target)
        self.end_flow(req, response)
        self.start_flow(
            response, "", client_id=client_id, redirect_uri=redirect_uri, state=req.query.get("state", "")
        )
        return response

    def redeem(self, code: str, client_id: str, redirect_uri: str) -> str | None:
        """The app's back-channel code exchange: the user the code was issued for, once, or None."""
        with self._codes_lock:
            grant = self._codes.pop(code, None)
        if not grant:
            return None
        grant_client, grant_uri, user, expiry = grant
        if grant_client != client_id or grant_uri != redirect_uri or time.time() > expiry:
            return None
        return user

    # --- sign-in pages

    def identifier_page(self, req: Request, *, error: str = "", email: str = "") -> Response:
        flow = self.flow(req)
        client = CLIENT_NAME if flow and flow.data.get("client_id") else "Google Account"
        err = f'<div class="err" aria-live="assertive">{esc(error)}</div>' if error else ""
        return self.card(
            "Sign in - Google Accounts",
            f"""<h1>Sign in</h1><p class="sub">to continue to {esc(client)}</p>
<form method="post" action="/signin/identifier">
  <input type="email" class="text-field" name="identifier" id="identifierId" aria-label="Email or phone"
         placeholder="Email or phone" value="{esc(email)}" autocomplete="username" autofocus>
  {err}
  <p><a href="/signin/recovery">Forgot email?</a></p>
  <div class="row"><a href="/signup">Create account</a><button type="submit" class="btn-next">Next</button></div>
</form>""",
        )

    def identifier_submit(self, req: Request) -> Response:
        email = req.form.get("identifier", "").strip()
        if not accounts.is_email(email):
            return self.identifier_page(req, error="Couldn't find your Google Account", email=email)
        response = redirect("/signin/challenge/pwd")
        flow = self.flow(req)
        if flow:
            flow.user = accounts.EMAIL
        else:  # signing in to the IdP itself, not on behalf of an app
            self.start_flow(response, accounts.EMAIL)
        return response

    def password_page(self, req: Request, *, error: str = "") -> Response:
        flow = self.flow(req)
        if not flow or not flow.user:
            return redirect("/signin/identifier")
        err = f'<div class="err" aria-live="assertive">{esc(error)}</div>' if error else ""
        return self.card(
            "Sign in - Google Accounts",
            f"""<h1>Welcome</h1><div class="chip">{esc(flow.user)}</div>
<form method="post" action="/signin/challenge/pwd">
  <input type="password" class="text-field" name="Passwd" aria-label="Enter your password" placeholder="Enter your password"
         autocomplete="current-password" autofocus>
  {err}
  <p><label><input type="checkbox" onclick="this.form.Passwd.type = this.checked ? 'text' : 'password'"> Show password</label></p>
  <div class="row"><a href="/signin/recovery">Forgot password?</a><button type="submit" class="btn-next">Next</button></div>
</form>""",
        )

    def password_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow or not flow.user:
            return redirect("/signin/identifier")
        ok = accounts.check_password(flow.user, req.form.get("Passwd", ""))
        self.record_attempt(flow.user, ok)
        if not ok:
            return self.password_page(
                req, error="Wrong password. Try again or click Forgot password to reset it."
            )
        if flow.data.get("client_id"):
            response = redirect("/consent")
        else:
            response = redirect("/myaccount")
            self.end_flow(req, response)
        self.sign_in(response)
        return response

    def consent_page(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow or not flow.data.get("client_id"):
            return redirect("/myaccount")
        if not self.session(req):
            return redirect("/signin/identifier")
        return self.card(
            f"Sign in - {CLIENT_NAME}",
            f"""<h1>{esc(CLIENT_NAME)} wants to access your Google Account</h1>
<div class="chip">{esc(accounts.EMAIL)}</div>
<p>This will allow {esc(CLIENT_NAME)} to:</p>
<ul class="scopes"><li>See your primary Google Account email address</li><li>See your personal info, including any personal info you've made publicly available</li></ul>
<p class="sub">Make sure you trust {esc(CLIENT_NAME)}. You may be sharing sensitive info with this site or app.</p>
<form method="post" action="/consent">
  <div class="row"><button type="submit" name="decision" value="deny" class="btn-text">Cancel</button>
  <button type="submit" name="decision" value="allow" class="btn-next">Allow</button></div>
</form>""",
        )

    def consent_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        session = self.session(req)
        if not flow or not flow.data.get("client_id") or not session:
            return redirect("/myaccount")
        params = {"state": flow.data["state"]}
        if req.form.get("decision") == "allow":
            code = secrets.token_urlsafe(18)
            with self._codes_lock:
                self._codes[code] = (
                    flow.data["client_id"],
                    flow.data["redirect_uri"],
                    session.user,
                    time.time() + CODE_LIFETIME,
                )
            params = {"code": code, **params}
        else:
            params = {"error": "access_denied", **params}
        response = redirect(f"{flow.data['redirect_uri']}?{urlencode(params)}")
        self.end_flow(req, response)
        return response

    def my_account(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/signin/identifier")
        main = f"<h1>Welcome, {esc(accounts.DISPLAY_NAME)}</h1><p class='sub'>Manage your info, privacy and security.</p>"
        return html_response(self.chrome("Google Account", main, session))


class SsoAppSite(Site):
    hosts = (APP_HOST,)
    brand = CLIENT_NAME
    session_cookie = "app_session"
    identifier_key = "email"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/home" if self.session(req) else "/login")
            case "GET", "/login":
                return redirect("/home") if self.session(req) else self.login_page(req)
            case "POST", "/login":
                return self.login_submit(req)
            case "GET", "/auth/google":
                return self.start_google()
            case "GET", "/auth/github":
                query = urlencode({"client_id": "Iv1.sandbox", "redirect_uri": self.url("/callback/github")})
                return redirect(self.url(f"/login/oauth/authorize?{query}", host=GITHUB_HOST))
            case "GET", "/callback":
                return self.callback(req)
            case "GET", "/home":
                return self.home(req)
            case "GET", "/logout":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        user = (
            f'<span class="u"><span>{esc(accounts.EMAIL)}</span><a href="/logout">Sign out</a></span>'
            if session
            else '<span class="u"><a href="/login">Sign in</a></span>'
        )
        body = (
            f'<div class="appbar"><span class="n">{esc(CLIENT_NAME)}</span><a href="/pricing">Pricing</a><a href="/docs">Docs</a>'
            f'<a href="/blog">Blog</a>{user}</div>\n{main}'
        )
        return document(title, body, css=APP_CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="content">{main}</div>', session), status)

    def login_page(self, req: Request, *, error: str = "") -> Response:
        if req.query.get("error"):
            error = "Sign-in with Google was cancelled or failed. Try again."
        oops = f'<p class="oops" role="alert">{esc(error)}</p>' if error else ""
        main = f"""
<div class="login">
  <h1>Sign in to {esc(CLIENT_NAME)}</h1>
  {oops}
  <a class="sso google" href="/auth/google" role="button"><b style="color:#4285f4">G</b> Sign in with Google</a>
  <button type="button" class="sso github" onclick="location.href='/auth/github'">Sign in with GitHub</button>
  <div class="divider">or continue with email</div>
  <form method="post" action="/login">
    <label for="email">Email</label><input type="email" id="email" name="email" autocomplete="username">
    <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password">
    <button type="submit" class="primary">Sign in</button>
  </form>
  <p><a href="/forgot">Forgot password?</a> · <a href="/signup">Create account</a></p>
</div>"""
        return html_response(self.chrome(f"Sign in · {CLIENT_NAME}", main, None))

    def login_submit(self, req: Request) -> Response:
        email = req.form.get("email", "")
        ok = accounts.check_password(email, req.form.get("password", ""))
        self.record_attempt(email, ok)
        if not ok:
            return self.login_page(req, error="Invalid email or password.")
        response = redirect("/home")
        self.sign_in(response, via="password")
        return response

    def start_google(self) -> Response:
        state = secrets.token_urlsafe(16)
        query = urlencode(
            {
                "client_id": CLIENT_ID,
                "redirect_uri": self.url("/callback"),
                "response_type": "code",
                "scope": "openid email profile",
                "state": state,
            }
        )
        response = redirect(self.url(f"/authorize?{query}", host=IDP_HOST))
        # The state cookie ties the callback to this browser (CSRF protection of the OAuth dance).
        response.set_cookie("oauth_state", state, max_age=600)
        return response

    def callback(self, req: Request) -> Response:
        state = req.query.get("state", "")
        expected = req.cookies.get("oauth_state", "")
        if req.query.get("error") or not state or not secrets.compare_digest(state, expected):
            return redirect("/login?error=1")
        idp = self.sandbox.site(IDP_HOST)
        assert isinstance(idp, IdpSite)
        user = idp.redeem(req.query.get("code", ""), CLIENT_ID, self.url("/callback"))
        if not user:
            return redirect("/login?error=1")
        response = redirect("/home")
        response.delete_cookie("oauth_state")
        self.sign_in(response, via="google")
        return response

    def home(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        via = "Google" if session.data.get("via") == "google" else "email and password"
        main = f"<h1>Home</h1><p>Signed in as {esc(accounts.EMAIL)} with {via}.</p><p>You have 2 new notifications.</p>"
        return self.render(f"Home · {CLIENT_NAME}", main, session)


class GithubIdpSite(Site):
    """A provider that is down: the app shows the button, tests never use it."""

    hosts = (GITHUB_HOST,)
    brand = "GitHub"

    def dispatch(self, req: Request) -> Response | None:
        body = (
            '<div style="text-align:center;margin-top:120px;font:16px system-ui"><h1>GitHub is unavailable</h1>'
            "<p>We're having trouble signing you in right now. Please try again later.</p></div>"
        )
        return html_response(document("Unicorn! · GitHub", body), 503)
