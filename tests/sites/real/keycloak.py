"""keycloak.localhost — modelled on Keycloak's login theme (login.ftl, PatternFly 4) for realm "acme".

Steps, as a person meets them:

1. ``/`` (the account console) redirects to ``/realms/acme/account/``, which, signed out, redirects to
   ``/realms/acme/protocol/openid-connect/auth?client_id=account-console&redirect_uri=…&state=…
   &response_mode=query&response_type=code&scope=openid&nonce=…&code_challenge=…``.
2. The login page (**form**): ``<form id="kc-form-login" method="post" action="/realms/acme/login-actions/
   authenticate?session_code=…&execution=…&client_id=account-console&tab_id=…">`` with ``#username``,
   ``#password``, "Remember me" (``#rememberMe``) and ``<input type="submit" id="kc-login" value="Sign In">``.
   ``session_code`` changes on every render.
3. A wrong password re-renders the form (**site_error**): both inputs get ``aria-invalid="true"`` and
   ``aria-describedby="input-error"``, and ``<span id="input-error" class="pf-c-form__helper-text
   pf-m-error required kc-feedback-text" aria-live="polite">Invalid username or password.</span>``.
4. The right one leads to the OTP page (``#kc-otp-login-form``, ``#otp``, "Sign In") with a
   "Try Another Way" link (a one-field form posting ``tryAnotherWay=on``). That link opens "Select login
   method" (**mfa_rows**): ``#kc-select-credential-form`` whose rows are ``<button name=
   "authenticationExecution">`` — a heading ("Authenticator Application", "Security Key", "Recovery
   Authentication Code") and a description each. The authenticator row leads back to the OTP page;
   the security key and recovery code rows lead to pages that cannot succeed. Filling the OTP page
   directly and going through the rows both work. Opening ``/realms/acme/account/?kc_select=1`` signed
   out (it passes ``kc_select=1`` to the auth URL) shows the row list first, right after the password.
5. Success sets ``KEYCLOAK_IDENTITY`` (30 days with "Remember me") and redirects to
   ``/realms/acme/account/?state=…&session_state=…&iss=…&code=…`` (a one-time code); the account
   console shows "Alice", the avatar menu and "Sign out".
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
import uuid
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

REALM = "acme"
REALM_NAME = "ACME Corp"
CLIENT_ID = "account-console"
BASE = f"/realms/{REALM}"
ACCOUNT_PATH = f"{BASE}/account/"
AUTH_PATH = f"{BASE}/protocol/openid-connect/auth"
ACTION_PATH = f"{BASE}/login-actions/authenticate"
LOGOUT_PATH = f"{BASE}/protocol/openid-connect/logout"
CODE_LIFETIME = 60

# Execution ids of the realm's browser flow, stable like a real realm's.
EXEC_PASSWORD = "8f0f7b7c-4c0a-4a56-9d3e-3b6d3a1f0c11"
EXEC_OTP = "f2b1d0e6-7a34-4c2e-8d1f-5b8e2c9a7d42"
EXEC_WEBAUTHN = "3c9e8a71-25d4-4b6f-a0e3-9f1d2c4b6e83"
EXEC_RECOVERY = "b74d1e2a-9c3f-4e8b-8a6d-1f2e3c4d5a94"

AUTHENTICATORS = (
    (EXEC_OTP, "Authenticator Application", "Enter a verification code from authenticator application.", "fa-mobile"),
    (EXEC_WEBAUTHN, "Security Key", "Use your security key to sign in.", "fa-key"),
    (EXEC_RECOVERY, "Recovery Authentication Code", "Enter a recovery authentication code from a previously generated list.", "fa-list-ol"),
)

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 'RedHatText', 'Overpass', 'Helvetica Neue', Arial, sans-serif; color: #151515; }
.login-pf body, body.login-pf { background: #1f1f1f linear-gradient(135deg, #292e34 0%, #14181c 100%); min-height: 100vh; }
.login-pf-page { padding-top: 40px; }
#kc-header-wrapper { color: #fff; font-size: 29px; text-transform: uppercase; letter-spacing: 3px; text-align: center; padding: 24px 0; }
.card-pf { width: 500px; margin: 0 auto; background: #fff; border-top: 4px solid #0066cc; padding: 20px 40px 30px; box-shadow: 0 1px 2px rgba(3,3,3,.2); }
.login-pf-header { display: flex; justify-content: space-between; align-items: center; margin-bottom: 18px; }
#kc-page-title { font-size: 24px; font-weight: 300; margin: 0; }
#kc-locale-dropdown { position: relative; } #kc-locale-dropdown button { background: none; border: 0; color: #0066cc; cursor: pointer; }
#kc-locale-dropdown ul { position: absolute; right: 0; list-style: none; margin: 0; padding: 6px 0; background: #fff; border: 1px solid #d2d2d2; }
#kc-locale-dropdown li a { display: block; padding: 4px 14px; color: #151515; text-decoration: none; }
.pf-c-form__group { margin-bottom: 16px; }
.pf-c-form__label { display: block; font-weight: 600; margin-bottom: 4px; }
.pf-c-form-control { width: 100%; padding: 6px 8px; font-size: 14px; border: 1px solid #f0f0f0; border-bottom-color: #8a8d90; background: #fff; }
.pf-c-form-control[aria-invalid=true] { border-bottom: 2px solid #c9190b; }
.pf-c-form__helper-text.pf-m-error { color: #c9190b; font-size: 13px; display: block; margin-top: 4px; }
#kc-form-options { display: flex; justify-content: space-between; margin: 8px 0 20px; }
#kc-form-options a, .kc-link a { color: #0066cc; text-decoration: none; }
.pf-c-button.pf-m-primary { width: 100%; background: #0066cc; color: #fff; border: 0; padding: 8px 16px; font-size: 16px; cursor: pointer; border-radius: 3px; }
#kc-registration { text-align: center; margin-top: 24px; border-top: 1px solid #d2d2d2; padding-top: 16px; }
#kc-username { display: flex; gap: 10px; align-items: baseline; margin-bottom: 16px; } #kc-attempted-username { font-weight: 600; }
#try-another-way { color: #0066cc; }
.alert-error { background: #faeae8; border-top: 2px solid #c9190b; padding: 8px 12px; margin-bottom: 16px; }
.pf-c-data-list { list-style: none; padding: 0; margin: 0; border-top: 1px solid #d2d2d2; }
.select-auth-box-parent { display: flex; align-items: center; width: 100%; gap: 16px; padding: 16px 12px; background: #fff; border: 0; border-bottom: 1px solid #d2d2d2; text-align: left; cursor: pointer; font: inherit; }
.select-auth-box-parent:hover { background: #f5f5f5; box-shadow: inset 3px 0 0 #0066cc; }
.select-auth-box-icon { font-size: 24px; width: 32px; text-align: center; color: #6a6e73; }
.select-auth-box-headline { font-size: 16px; font-weight: 600; color: #0066cc; }
.select-auth-box-desc { color: #6a6e73; } .select-auth-box-arrow { margin-left: auto; font-size: 20px; color: #6a6e73; }
/* account console */
.pf-c-page__header { display: flex; align-items: center; gap: 18px; height: 76px; padding: 0 24px; background: #151515; color: #fff; }
.pf-c-page__header .brand { font-size: 20px; letter-spacing: 2px; text-transform: uppercase; }
.pf-c-page__header-tools { margin-left: auto; display: flex; align-items: center; gap: 16px; }
.pf-c-page__header-tools a { color: #fff; } .pf-c-dropdown { position: relative; }
.pf-c-dropdown__toggle { background: none; border: 0; color: #fff; font: inherit; cursor: pointer; display: flex; gap: 8px; align-items: center; }
.pf-c-dropdown__menu { position: absolute; right: 0; top: 36px; list-style: none; margin: 0; padding: 8px 0; background: #fff; min-width: 180px; box-shadow: 0 4px 8px rgba(3,3,3,.16); }
.pf-c-dropdown__menu a, .pf-c-dropdown__menu button { display: block; width: 100%; text-align: left; padding: 8px 16px; color: #151515; background: none; border: 0; font: inherit; cursor: pointer; text-decoration: none; }
.pf-c-avatar { width: 36px; height: 36px; border-radius: 50%; background: #8bc1f7; color: #002952; display: inline-grid; place-items: center; font-weight: 700; }
.pf-c-page__main { display: grid; grid-template-columns: 260px 1fr; min-height: calc(100vh - 76px); }
.pf-c-nav { background: #212427; padding: 16px 0; } .pf-c-nav a { display: block; padding: 8px 24px; color: #d2d2d2; text-decoration: none; }
.pf-c-nav a[aria-current] { color: #fff; background: #4f5255; }
.pf-c-page__main-section { padding: 32px; background: #f0f0f0; } .cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.cards div { background: #fff; padding: 20px; }
"""


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


class KeycloakSite(Site):
    hosts = ("keycloak.localhost",)
    brand = "Keycloak"
    session_cookie = "KEYCLOAK_IDENTITY"
    flow_cookie = "AUTH_SESSION_ID"
    identifier_key = "username"
    logout_label = "Sign out"

    scenario = Scenario(
        host="keycloak.localhost",
        modelled_on="Keycloak",
        shapes=("form", "site_error", "mfa_rows"),
        values={"username": accounts.USERNAME, "password": accounts.PASSWORD},
        path=None,
        totp=True,
        notes=(
            "Root redirects through the OIDC auth endpoint to login.ftl (#kc-form-login, action "
            "/realms/acme/login-actions/authenticate?session_code=…&execution=…&client_id=…&tab_id=…); the error is "
            "span#input-error aria-live=polite with aria-invalid inputs; then the OTP page, whose 'Try Another Way' "
            "opens a list of authenticator rows (Authenticator Application / Security Key / Recovery Authentication "
            "Code); the landing URL carries a one-time code=."
        ),
    )

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._codes: dict[str, tuple[str, float]] = {}  # code → (session token, expiry)
        self._codes_lock = threading.Lock()

    @property
    def redirect_uri(self) -> str:
        return self.url(ACCOUNT_PATH)

    # --- routing

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect(ACCOUNT_PATH)
            case "GET", "/realms/acme/account" | "/realms/acme/account/":
                return self.account(req)
            case "GET", "/realms/acme/protocol/openid-connect/auth":
                return self.authorize(req)
            case "GET", "/realms/acme/login-actions/authenticate":
                return self.current_step(req)
            case "POST", "/realms/acme/login-actions/authenticate":
                return self.action(req)
            case "GET", "/realms/acme/login-actions/reset-credentials":
                return self.reset_credentials(req)
            case "GET", "/realms/acme/login-actions/registration":
                return self.card("Register", "<p>Registration is disabled for this realm.</p>"
                                 '<p class="kc-link"><a href="/realms/acme/account/">« Back to Login</a></p>')
            case "GET", "/realms/acme/protocol/openid-connect/logout":
                return self.logout_confirm(req)
            case "POST", "/realms/acme/protocol/openid-connect/logout":
                response = redirect(ACCOUNT_PATH)
                self.sign_out(req, response)
                return response
        return None

    # --- the OIDC front door

    def start_auth(self, *, select_first: bool = False) -> Response:
        _, challenge = _pkce()
        query = {
            "client_id": CLIENT_ID,
            "redirect_uri": self.redirect_uri,
            "state": str(uuid.uuid4()),
            "response_mode": "query",
            "response_type": "code",
            "scope": "openid",
            "nonce": str(uuid.uuid4()),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        if select_first:
            query["kc_select"] = "1"
        return redirect(f"{AUTH_PATH}?{urlencode(query)}")

    def authorize(self, req: Request) -> Response:
        q = req.query
        if q.get("client_id") != CLIENT_ID:
            return self.error_page("Client not found.")
        if q.get("redirect_uri") != self.redirect_uri:
            return self.error_page("Invalid parameter: redirect_uri")
        if self.session(req):
            return self.finish(req, Response(), self.session(req), q.get("state", ""))
        response = Response()
        self.end_flow(req, response)
        flow = self.start_flow(
            response,
            "",
            tab_id=secrets.token_urlsafe(8)[:11],
            state=q.get("state", ""),
            step="password",
            select_first=q.get("kc_select") == "1",
            codes=set(),
        )
        page = self.login_page(flow)
        page.headers = response.headers + page.headers
        page.set_cookie("KC_RESTART", secrets.token_urlsafe(32), path=BASE + "/")
        return page

    def finish(self, req: Request, response: Response, session: Session, state: str) -> Response:
        code = f"{uuid.uuid4()}.{uuid.uuid4()}.{uuid.uuid4()}"
        with self._codes_lock:
            self._codes[code] = (session.token, time.time() + CODE_LIFETIME)
        params = {"state": state, "session_state": str(uuid.uuid4()), "iss": self.url(BASE), "code": code}
        response.status = 302
        response.headers.append(("Location", f"{self.redirect_uri}?{urlencode(params)}"))
        return response

    def redeem(self, code: str) -> str | None:
        with self._codes_lock:
            grant = self._codes.pop(code, None)
        if not grant or time.time() > grant[1]:
            return None
        return grant[0]

    # --- the login-actions endpoint: one URL, the execution says which step

    def action_url(self, flow: Session, execution: str) -> str:
        session_code = secrets.token_urlsafe(32)[:43]
        flow.data["codes"].add(session_code)
        query = {"session_code": session_code, "execution": execution, "client_id": CLIENT_ID, "tab_id": flow.data["tab_id"]}
        return f"{ACTION_PATH}?{urlencode(query)}"

    def _flow_for(self, req: Request) -> Session | None:
        flow = self.flow(req)
        if not flow or req.query.get("tab_id") != flow.data.get("tab_id"):
            return None
        return flow

    def current_step(self, req: Request) -> Response:
        flow = self._flow_for(req)
        if not flow:
            return self.start_auth()
        return self.step_page(flow)

    def step_page(self, flow: Session, **kw: str) -> Response:
        step = flow.data["step"]
        if step == "password":
            return self.login_page(flow, **kw)
        if step == "select":
            return self.select_page(flow)
        if step == "webauthn":
            return self.webauthn_page(flow, **kw)
        if step == "recovery":
            return self.recovery_page(flow, **kw)
        return self.otp_page(flow, **kw)

    def action(self, req: Request) -> Response:
        flow = self._flow_for(req)
        if not flow:
            return self.start_auth()
        form = req.form
        execution = req.query.get("execution", "")
        step = flow.data["step"]
        if step == "password" or execution == EXEC_PASSWORD:
            if step != "password":
                return self.step_page(flow)
            username = form.get("username", "").strip()
            ok = accounts.check_password(username, form.get("password", ""))
            self.record_attempt(username, ok)
            if not ok:
                return self.login_page(flow, error="Invalid username or password.", username=username)
            flow.user = accounts.USERNAME
            flow.data["remember"] = form.get("rememberMe") == "on"
            flow.data["step"] = "select" if flow.data.get("select_first") else "otp"
            return self.step_page(flow)  # Keycloak answers the POST with the next step's page
        if form.get("tryAnotherWay") == "on":
            flow.data["step"] = "select"
            return self.select_page(flow)
        if "authenticationExecution" in form:
            chosen = form["authenticationExecution"]
            flow.data["step"] = {EXEC_OTP: "otp", EXEC_WEBAUTHN: "webauthn", EXEC_RECOVERY: "recovery"}.get(chosen, "select")
            return self.step_page(flow)
        if step == "otp":
            if not accounts.verify_totp(form.get("otp", "")):
                return self.otp_page(flow, error="Invalid authenticator code.")
            return self.complete(req, flow)
        if step == "webauthn":
            return self.webauthn_page(flow, error="Failed to authenticate by the Security key.")
        if step == "recovery":
            return self.recovery_page(flow, error="Invalid recovery authentication code")
        return self.step_page(flow)

    def complete(self, req: Request, flow: Session) -> Response:
        response = Response()
        self.end_flow(req, response)
        response.delete_cookie("KC_RESTART", path=BASE + "/")
        session = self.sign_in(response, persistent_days=30 if flow.data.get("remember") else None)
        response.set_cookie("KEYCLOAK_SESSION", f"{REALM}/{uuid.uuid4()}/{session.token[:12]}", http_only=False,
                            max_age=30 * 86400 if flow.data.get("remember") else None, path=BASE + "/")
        return self.finish(req, response, session, flow.data.get("state", ""))

    # --- login pages (login.ftl, login-otp.ftl, select-authenticator.ftl…)

    def card(self, title: str, inner: str, *, show_username: bool = False, status: int = 200) -> Response:
        username = ""
        if show_username:
            username = (
                '<div id="kc-username" class="pf-c-form__group"><label id="kc-attempted-username">alice</label>'
                f'<a id="reset-login" href="{ACCOUNT_PATH}" aria-label="Restart login">'
                '<span class="kc-login-tooltip">↻ Restart login</span></a></div>'
            )
        body = f"""
<div class="login-pf-page">
  <div id="kc-header" class="login-pf-page-header"><div id="kc-header-wrapper">{esc(REALM_NAME)}</div></div>
  <div class="card-pf">
    <header class="login-pf-header">
      <h1 id="kc-page-title">{esc(title)}</h1>
      <div id="kc-locale"><div id="kc-locale-dropdown" class="pf-c-dropdown">
        <button type="button" id="kc-current-locale-link" aria-label="languages" aria-haspopup="true" aria-expanded="false"
          aria-controls="language-switch1" onclick="var l=document.getElementById('language-switch1');l.hidden=!l.hidden">English ▾</button>
        <ul role="menu" id="language-switch1" hidden><li role="none"><a role="menuitem" href="?kc_locale=de">Deutsch</a></li>
        <li role="none"><a role="menuitem" href="?kc_locale=fr">Français</a></li><li role="none"><a role="menuitem" href="?kc_locale=ja">日本語</a></li></ul>
      </div></div>
    </header>
    <div id="kc-content"><div id="kc-content-wrapper">{username}{inner}</div></div>
  </div>
</div>"""
        return html_response(document(f"Sign in to {REALM_NAME}", body, css=CSS, body_attrs='class="login-pf"'), status)

    def login_page(self, flow: Session, *, error: str = "", username: str = "") -> Response:
        invalid = ' aria-invalid="true" aria-describedby="input-error"' if error else ""
        message = (
            f'<span id="input-error" class="pf-c-form__helper-text pf-m-error required kc-feedback-text" aria-live="polite">{esc(error)}</span>'
            if error
            else ""
        )
        inner = f"""
<div id="kc-form"><div id="kc-form-wrapper">
  <form id="kc-form-login" onsubmit="login.disabled = true; return true;" action="{esc(self.action_url(flow, EXEC_PASSWORD))}" method="post">
    <div class="pf-c-form__group">
      <label for="username" class="pf-c-form__label pf-c-form__label-text">Username or email</label>
      <input tabindex="1" id="username" class="pf-c-form-control" name="username" value="{esc(username)}" type="text" autofocus autocomplete="off"{invalid}>
    </div>
    <div class="pf-c-form__group">
      <label for="password" class="pf-c-form__label pf-c-form__label-text">Password</label>
      <input tabindex="2" id="password" class="pf-c-form-control" name="password" type="password" autocomplete="off"{invalid}>
      {message}
    </div>
    <div id="kc-form-options" class="pf-c-form__group">
      <div class="checkbox"><label><input tabindex="3" id="rememberMe" name="rememberMe" type="checkbox"> Remember me</label></div>
      <div class="kc-form-options-wrapper"><span><a tabindex="5" href="/realms/acme/login-actions/reset-credentials?client_id={CLIENT_ID}&amp;tab_id={esc(flow.data["tab_id"])}">Forgot Password?</a></span></div>
    </div>
    <div id="kc-form-buttons" class="pf-c-form__group">
      <input type="hidden" id="id-hidden-input" name="credentialId">
      <input tabindex="4" class="pf-c-button pf-m-primary pf-m-block btn-lg" name="login" id="kc-login" type="submit" value="Sign In">
    </div>
  </form>
</div></div>
<div id="kc-registration-container"><div id="kc-registration"><span>New user? <a tabindex="6" href="/realms/acme/login-actions/registration?client_id={CLIENT_ID}&amp;tab_id={esc(flow.data["tab_id"])}">Register</a></span></div></div>"""
        return self.card("Sign in to your account", inner)

    def _try_another_way(self, flow: Session) -> str:
        return (
            f'<form id="kc-select-try-another-way-form" action="{esc(self.action_url(flow, flow_exec(flow)))}" method="post">'
            '<input type="hidden" name="tryAnotherWay" value="on">'
            "<a href=\"#\" id=\"try-another-way\" onclick=\"document.forms['kc-select-try-another-way-form'].submit();return false;\">"
            "Try Another Way</a></form>"
        )

    def otp_page(self, flow: Session, *, error: str = "") -> Response:
        invalid = ' aria-invalid="true" aria-describedby="input-error-otp-code"' if error else ""
        message = (
            f'<span id="input-error-otp-code" class="pf-c-form__helper-text pf-m-error required kc-feedback-text" aria-live="polite">{esc(error)}</span>'
            if error
            else ""
        )
        inner = f"""
<form id="kc-otp-login-form" class="pf-c-form" action="{esc(self.action_url(flow, EXEC_OTP))}" method="post">
  <div class="pf-c-form__group">
    <label for="otp" class="pf-c-form__label pf-c-form__label-text">One-time code</label>
    <input id="otp" name="otp" autocomplete="off" type="text" class="pf-c-form-control" autofocus{invalid}>
    {message}
  </div>
  <div id="kc-form-buttons" class="pf-c-form__group">
    <input class="pf-c-button pf-m-primary pf-m-block btn-lg" name="login" id="kc-login" type="submit" value="Sign In">
  </div>
</form>
{self._try_another_way(flow)}"""
        return self.card("Sign in to your account", inner, show_username=True)

    def select_page(self, flow: Session) -> Response:
        rows = "".join(
            f"""
    <button class="pf-l-stack__item select-auth-box-parent pf-l-split" type="submit" name="authenticationExecution" value="{execution}">
      <div class="pf-l-split__item select-auth-box-icon"><i class="fa {icon} fa-2x select-auth-box-icon-properties" aria-hidden="true"></i></div>
      <div class="pf-l-split__item pf-l-stack">
        <div class="pf-l-stack__item select-auth-box-headline pf-c-title">{esc(name)}</div>
        <div class="pf-l-stack__item select-auth-box-desc">{esc(help_text)}</div>
      </div>
      <div class="pf-l-split__item pf-m-fill"></div>
      <div class="pf-l-split__item select-auth-box-arrow" aria-hidden="true">›</div>
    </button>"""
            for execution, name, help_text, icon in AUTHENTICATORS
        )
        inner = f"""
<form id="kc-select-credential-form" class="pf-c-form" action="{esc(self.action_url(flow, flow_exec(flow)))}" method="post">
  <div class="pf-l-stack pf-c-data-list">{rows}
  </div>
</form>"""
        return self.card("Select login method", inner, show_username=True)

    def webauthn_page(self, flow: Session, *, error: str = "") -> Response:
        alert = f'<div class="alert-error pf-c-alert pf-m-inline pf-m-danger" aria-live="polite">{esc(error)}</div>' if error else ""
        inner = f"""{alert}
<form id="webauth" action="{esc(self.action_url(flow, EXEC_WEBAUTHN))}" method="post">
  <input type="hidden" id="clientDataJSON" name="clientDataJSON"><input type="hidden" id="authenticatorData" name="authenticatorData">
  <input type="hidden" id="signature" name="signature"><input type="hidden" id="credentialId" name="credentialId">
  <input type="hidden" id="error" name="error" value="NotAllowedError">
</form>
<p>Insert your security key and press the button below.</p>
<input id="authenticateWebAuthnButton" type="button" onclick="document.getElementById('webauth').submit()" value="Sign in with Security Key" class="pf-c-button pf-m-primary pf-m-block btn-lg">
{self._try_another_way(flow)}"""
        return self.card("Security Key login", inner, show_username=True)

    def recovery_page(self, flow: Session, *, error: str = "") -> Response:
        invalid = ' aria-invalid="true"' if error else ""
        message = f'<span id="input-error" class="pf-c-form__helper-text pf-m-error required kc-feedback-text" aria-live="polite">{esc(error)}</span>' if error else ""
        inner = f"""
<form id="kc-recovery-code-login-form" class="pf-c-form" action="{esc(self.action_url(flow, EXEC_RECOVERY))}" method="post">
  <div class="pf-c-form__group"><label for="recoveryCodeInput" class="pf-c-form__label">Recovery code #3</label>
  <input tabindex="1" id="recoveryCodeInput" name="recoveryCodeInput" autocomplete="off" type="text" class="pf-c-form-control" autofocus{invalid}>{message}</div>
  <input class="pf-c-button pf-m-primary pf-m-block btn-lg" name="login" id="kc-login" type="submit" value="Sign In">
</form>
{self._try_another_way(flow)}"""
        return self.card("Sign in to your account", inner, show_username=True)

    def reset_credentials(self, req: Request) -> Response:
        inner = f"""
<form id="kc-reset-password-form" action="/realms/acme/login-actions/reset-credentials?client_id={CLIENT_ID}" method="post">
  <div class="pf-c-form__group"><label for="username" class="pf-c-form__label">Username or email</label>
  <input type="text" id="username" name="username" class="pf-c-form-control" autofocus></div>
  <p>Enter your username or email address and we will send you instructions on how to create a new password.</p>
  <input class="pf-c-button pf-m-primary pf-m-block btn-lg" type="submit" value="Submit">
</form><p class="kc-link"><a href="{ACCOUNT_PATH}">« Back to Login</a></p>"""
        return self.card("Forgot Your Password?", inner)

    def error_page(self, message: str) -> Response:
        inner = f'<div id="kc-error-message"><p class="instruction">{esc(message)}</p></div>'
        return self.card("We are sorry...", inner, status=400)

    # --- signed in: the account console

    def account(self, req: Request) -> Response:
        session = self.session(req)
        code = req.query.get("code")
        if code:
            self.redeem(code)  # the console swaps it for tokens once; a reload carries a spent code
        if not session:
            return self.start_auth(select_first=req.query.get("kc_select") == "1")
        return self.render("Account Management", self._welcome(), session)

    def _welcome(self) -> str:
        return f"""
<h1>Welcome to {esc(REALM_NAME)} account management</h1>
<p>Hello, {esc(accounts.DISPLAY_NAME)}. Manage your personal information, signing in and applications.</p>
<div class="cards">
  <div><h3>Personal info</h3><p>Manage your basic information.</p><a href="{ACCOUNT_PATH}#/personal-info">Personal info</a></div>
  <div><h3>Account security</h3><p>Control your password and account access.</p><a href="{ACCOUNT_PATH}#/account-security/signing-in">Signing in</a> ·
  <a href="{ACCOUNT_PATH}#/account-security/device-activity">Device activity</a></div>
  <div><h3>Applications</h3><p>Track and manage your app permission to access your account.</p><a href="{ACCOUNT_PATH}#/applications">Applications</a></div>
</div>"""

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if not session:
            body = (
                f'<div class="login-pf-page"><div id="kc-header-wrapper">{esc(REALM_NAME)}</div>'
                f'<div class="card-pf">{main}<p class="kc-link"><a href="{ACCOUNT_PATH}">Sign in</a></p></div></div>'
            )
            return document(title, body, css=CSS, body_attrs='class="login-pf"')
        nav = "".join(
            f'<a href="{ACCOUNT_PATH}#/{slug}"{" aria-current=page" if slug == "" else ""}>{label}</a>'
            for slug, label in (("", "Overview"), ("personal-info", "Personal info"), ("account-security", "Account security"),
                                ("applications", "Applications"), ("groups", "Groups"), ("resources", "Resources"))
        )
        body = f"""
<header class="pf-c-page__header">
  <span class="brand">{esc(REALM_NAME)}</span>
  <div class="pf-c-page__header-tools">
    <a href="/realms/acme/account/#/">Back to ACME Portal</a>
    <div class="pf-c-dropdown" id="user-dropdown">
      <button class="pf-c-dropdown__toggle" type="button" id="landingUserName" aria-expanded="false" aria-haspopup="true"
        onclick="var m=this.nextElementSibling;m.hidden=!m.hidden;this.setAttribute('aria-expanded',String(!m.hidden))">
        <span class="pf-c-avatar" aria-hidden="true">A</span><span>{esc(accounts.DISPLAY_NAME)}</span> ▾</button>
      <ul class="pf-c-dropdown__menu" role="menu" hidden>
        <li><a role="menuitem" href="{ACCOUNT_PATH}#/personal-info">Manage account</a></li>
        <li><form method="post" action="{LOGOUT_PATH}"><button role="menuitem" type="submit" id="landingSignOutButton">Sign out</button></form></li>
      </ul>
    </div>
  </div>
</header>
<div class="pf-c-page__main"><nav class="pf-c-nav" aria-label="Global">{nav}</nav>
<main class="pf-c-page__main-section">{main}</main></div>"""
        return document(f"{title} · {REALM_NAME}", body, css=CSS, body_attrs=LOGGED_IN)

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, main, session), status)

    def logout_confirm(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect(ACCOUNT_PATH)
        main = f"""
<h1>Logging out</h1><p>Do you want to log out?</p>
<form method="post" action="{LOGOUT_PATH}"><input class="pf-c-button pf-m-primary" name="confirmLogout" id="kc-logout" type="submit" value="Logout"></form>"""
        return self.render("Logging out", main, session)


def flow_exec(flow: Session) -> str:
    """The execution the current step belongs to (what Keycloak puts in the step's own form action)."""
    return {"otp": EXEC_OTP, "webauthn": EXEC_WEBAUTHN, "recovery": EXEC_RECOVERY}.get(flow.data["step"], EXEC_OTP)
