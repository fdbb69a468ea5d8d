"""notesapp.localhost + cognito.localhost — an app signing in through the Amazon Cognito hosted UI.

Two sites, two hosts (each ``*.localhost`` name is its own site to the engine):

* ``notesapp.localhost`` — "Jotter", a notes app. Signed out, ``/`` is its landing page; the header's
  "Sign in" (**entry_point**) goes to ``/auth/login``, which redirects to the hosted UI's
  ``/oauth2/authorize?client_id=…&response_type=code&scope=openid+email+profile&redirect_uri=
  http://notesapp.localhost:PORT/callback&state=…``.
* ``cognito.localhost`` — the hosted UI. ``/oauth2/authorize`` redirects to ``/login?<same query>``,
  which renders **two copies of the sign-in form** (**form**), as the classic hosted UI does: one in
  ``.modal-content-mobile.visible-xs.visible-sm`` (first in the page, hidden by CSS on wide screens)
  and one in ``.modal-content-desktop.visible-md.visible-lg``. Both have the same ids
  (``signInFormUsername``, ``signInFormPassword``), names ``username``/``password``, a ``_csrf`` token
  and ``<input name="signInSubmitButton" type="Submit" value="Sign in">``, posting to
  ``/login?<query>``.
* A wrong password is answered with a **redirect** to ``/login?<query>&error=invalid_credentials``
  (**site_error**); that page shows ``<p id="loginErrorMessage" class="errorMessage-customizable">
  Incorrect username or password.</p>`` in both copies.
* The right one sets the hosted UI's ``cognito`` cookie and redirects to ``notesapp…/callback?code=…
  &state=…``; the app redeems the code (back channel), sets ``jotter_session`` and redirects to
  ``/notes`` (the notes list; account menu with "Alice" and "Sign out").
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

APP_HOST = "notesapp.localhost"
COGNITO_HOST = "cognito.localhost"
CLIENT_ID = "4k2jt7ot0l1sbxnotes9app3c1e"
CLIENT_NAME = "Jotter"
CODE_LIFETIME = 300
ERRORS = {
    "invalid_credentials": "Incorrect username or password.",
    "user_not_found": "Incorrect username or password.",
    "csrf": "Something went wrong, please try again.",
}

APP_CSS = """
body { margin: 0; font: 16px/1.6 'Nunito', 'Trebuchet MS', sans-serif; color: #2d2a26; background: #fffbeb; }
.bar { display: flex; align-items: center; gap: 24px; padding: 14px 40px; background: #fde68a; }
.bar .name { font-weight: 800; font-size: 22px; color: #92400e; text-decoration: none; margin-right: auto; }
.bar a { color: #78350f; text-decoration: none; }
.bar .btn { border: 2px solid #92400e; border-radius: 999px; padding: 4px 16px; font-weight: 700; }
.bar .btn.fill { background: #92400e; color: #fffbeb; }
.hero { max-width: 760px; margin: 80px auto; text-align: center; } .hero h1 { font-size: 46px; margin: 0 0 12px; }
.notes { max-width: 900px; margin: 32px auto; display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.notes article { background: #fff; border-radius: 10px; padding: 16px; box-shadow: 0 2px 6px rgba(146,64,14,.12); }
.me { position: relative; } .me > button { border: 0; background: #92400e; color: #fff; border-radius: 50%; width: 34px; height: 34px; font-weight: 700; cursor: pointer; }
.me [role=menu] { position: absolute; right: 0; top: 42px; background: #fff; border-radius: 8px; padding: 8px 0; min-width: 200px; box-shadow: 0 6px 18px rgba(0,0,0,.12); }
.me [role=menu] a, .me [role=menu] span { display: block; padding: 6px 16px; color: #2d2a26; }
footer { text-align: center; color: #a16207; font-size: 13px; padding: 40px; }
"""

# The classic hosted UI: Bootstrap-3-like grid classes and the "-customizable" hooks for branding CSS.
HOSTED_CSS = """
body { margin: 0; font: 14px/1.42857 'Helvetica Neue', Helvetica, Arial, sans-serif; color: #333; background: #fafafa; }
.visible-xs, .visible-sm, .visible-md, .visible-lg { display: none !important; }
@media (max-width: 767px) { .visible-xs { display: block !important; } }
@media (min-width: 768px) and (max-width: 991px) { .visible-sm { display: block !important; } }
@media (min-width: 992px) and (max-width: 1199px) { .visible-md { display: block !important; } }
@media (min-width: 1200px) { .visible-lg { display: block !important; } }
.modal-dialog { width: 400px; max-width: 100%; margin: 40px auto; }
.modal-content { background: #fff; border: 1px solid rgba(0,0,0,.2); border-radius: 6px; box-shadow: 0 3px 9px rgba(0,0,0,.5); }
.modal-content-mobile { width: 100%; border-radius: 0; box-shadow: none; }
.banner-customizable { padding: 25px 0; background: #fafafa; text-align: center; border-radius: 6px 6px 0 0; }
.logo-customizable { font-size: 26px; font-weight: 800; color: #92400e; }
.modal-body { padding: 20px 30px 30px; }
.textDescription-customizable { font-size: 15px; font-weight: 600; display: block; margin-bottom: 14px; }
.label-customizable { font-weight: 400; display: block; margin: 8px 0 4px; }
.form-control { display: block; width: 100%; height: 34px; padding: 6px 12px; box-sizing: border-box; border: 1px solid #ccc; border-radius: 4px; font-size: 14px; }
.inputField-customizable:focus { border-color: #66afe9; outline: 0; }
.redirect-customizable { color: #337ab7; font-size: 14px; text-decoration: none; }
.btn { display: inline-block; width: 100%; margin-top: 14px; padding: 6px 12px; font-size: 14px; border-radius: 4px; cursor: pointer; }
.submitButton-customizable { color: #fff; background: #337ab7; border: 1px solid #2e6da4; }
.errorMessage-customizable { color: #a94442; background: #f2dede; border: 1px solid #ebccd1; border-radius: 4px; padding: 10px; margin: 10px 0; }
.footer-customizable { text-align: center; font-size: 12px; color: #888; margin-top: 18px; }
hr { border: 0; border-top: 1px solid #eee; }
"""


class CognitoSite(Site):
    """The hosted UI. It keeps its own ``cognito`` session, so a second sign-in skips the form."""

    hosts = (COGNITO_HOST,)
    brand = "Amazon Cognito"
    session_cookie = "cognito"
    flow_cookie = "cognito-flow"  # unused: the hosted UI keeps the request in the URL
    identifier_key = "username"
    logout_label = "Sign out"

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._codes: dict[str, tuple[str, str, str, float]] = {}  # code → (client, redirect_uri, user, expiry)
        self._codes_lock = threading.Lock()

    @property
    def redirect_uris(self) -> set[str]:
        return {self.url("/callback", host=APP_HOST)}

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/oauth2/authorize":
                return self.authorize(req)
            case "GET", "/login":
                return self.login_page(req)
            case "POST", "/login":
                return self.login_submit(req)
            case "GET", "/forgotPassword":
                return self.simple(req, "Forgot your password?", "Enter your Username below and we will send a message to reset your password",
                                   '<input class="form-control inputField-customizable" name="username" placeholder="Username">'
                                   '<input class="btn submitButton-customizable" type="submit" value="Reset my password">')
            case "GET", "/signup":
                return self.simple(req, "Sign up with a new account", "Sign-ups are disabled for this app client.", "")
            case "GET", "/logout":
                return self.logout(req)
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        who = (
            f'<p class="footer-customizable">Signed in as {esc(accounts.USERNAME)} · <a href="/logout?client_id={CLIENT_ID}">Sign out</a></p>'
            if session
            else ""
        )
        body = f'<div class="modal-dialog"><div class="modal-content"><div class="modal-body">{main}{who}</div></div></div>'
        return document(title, body, css=HOSTED_CSS, body_attrs=LOGGED_IN if session else "")

    def _client_ok(self, req: Request) -> bool:
        return req.query.get("client_id") == CLIENT_ID and req.query.get("redirect_uri") in self.redirect_uris

    def _bad_client(self, req: Request) -> Response:
        main = "<h1>An error was encountered with the requested page.</h1><p>redirect_mismatch</p>"
        return html_response(self.chrome("Error", main, self.session(req)), 400)

    def _auth_query(self, req: Request) -> dict[str, str]:
        return {k: v for k, v in req.query.items() if k in ("client_id", "response_type", "scope", "redirect_uri", "state")}

    def issue_code(self, req: Request, user: str) -> Response:
        code = secrets.token_urlsafe(27)
        query = self._auth_query(req)
        with self._codes_lock:
            self._codes[code] = (query["client_id"], query["redirect_uri"], user, time.time() + CODE_LIFETIME)
        params = {"code": code, **({"state": query["state"]} if query.get("state") else {})}
        return redirect(f"{query['redirect_uri']}?{urlencode(params)}")

    def redeem(self, code: str, client_id: str, redirect_uri: str) -> str | None:
        """The app's token request: who the code was issued for, once, or None."""
        with self._codes_lock:
            grant = self._codes.pop(code, None)
        if not grant:
            return None
        grant_client, grant_uri, user, expiry = grant
        if grant_client != client_id or grant_uri != redirect_uri or time.time() > expiry:
            return None
        return user

    def authorize(self, req: Request) -> Response:
        if not self._client_ok(req):
            return self._bad_client(req)
        session = self.session(req)
        if session:
            return self.issue_code(req, session.user)
        return redirect(f"/login?{urlencode(self._auth_query(req))}")

    def _form(self, action: str, csrf: str, error: str) -> str:
        hidden = "" if error else ' style="display: none"'
        return f"""
<div><div class="banner-customizable"><center><span class="logo-customizable">✎ {esc(CLIENT_NAME)}</span></center></div></div>
<div class="modal-body">
  <div><div><span class="textDescription-customizable">Sign in with your username and password</span></div></div>
  <div>
    <p id="loginErrorMessage" class="errorMessage-customizable"{hidden}>{esc(error)}</p>
    <form name="cognitoSignInForm" method="post" action="{esc(action)}" class="cognito-asf">
      <input name="_csrf" type="hidden" value="{esc(csrf)}">
      <div><label class="label-customizable">Username</label>
      <div><input id="signInFormUsername" name="username" type="text" class="form-control inputField-customizable" placeholder="Username"
        autocapitalize="none" required aria-label="Username" value=""></div></div>
      <div><label class="label-customizable">Password</label>
      <div><input id="signInFormPassword" name="password" type="password" class="form-control inputField-customizable" placeholder="Password"
        required aria-label="password"></div></div>
      <a class="redirect-customizable" href="/forgotPassword?{esc(action.partition("?")[2])}">Forgot your password?</a>
      <input name="cognitoAsfData" type="hidden" value="">
      <input name="signInSubmitButton" type="Submit" value="Sign in" class="btn btn-primary submitButton-customizable" aria-label="submit">
    </form>
    <div><p class="redirect-customizable"><span>Need an account?</span>&nbsp;<a href="/signup?{esc(action.partition("?")[2])}">Sign up</a></p></div>
  </div>
</div>"""

    def login_page(self, req: Request) -> Response:
        if not self._client_ok(req):
            return self._bad_client(req)
        session = self.session(req)
        if session:
            return self.issue_code(req, session.user)
        csrf = req.cookies.get("XSRF-TOKEN") or secrets.token_hex(18)
        action = f"/login?{urlencode(self._auth_query(req))}"
        error = ERRORS.get(req.query.get("error", ""), "")
        form = self._form(action, csrf, error)
        body = f"""
<div class="modal-content background-customizable modal-content-mobile visible-xs visible-sm">{form}</div>
<div class="container">
  <div class="modal-dialog"><div class="modal-content background-customizable modal-content-desktop visible-md visible-lg">{form}</div></div>
</div>
<p class="footer-customizable">Powered by Amazon Cognito · <a class="redirect-customizable" href="/privacy">Privacy</a></p>"""
        response = html_response(document("Signin", body, css=HOSTED_CSS))
        response.set_cookie("XSRF-TOKEN", csrf, same_site="Lax")
        return response

    def login_submit(self, req: Request) -> Response:
        if not self._client_ok(req):
            return self._bad_client(req)
        back = self._auth_query(req)
        csrf = req.cookies.get("XSRF-TOKEN", "")
        if not csrf or not secrets.compare_digest(csrf, req.form.get("_csrf", "")):
            return redirect(f"/login?{urlencode({**back, 'error': 'csrf'})}")
        username = req.form.get("username", "").strip()
        ok = accounts.check_password(username, req.form.get("password", ""))
        self.record_attempt(username, ok)
        if not ok:
            return redirect(f"/login?{urlencode({**back, 'error': 'invalid_credentials'})}")
        response = self.issue_code(req, accounts.USERNAME)
        self.sign_in(response)
        return response

    def simple(self, req: Request, title: str, text: str, inner: str) -> Response:
        main = (
            f'<span class="textDescription-customizable">{esc(title)}</span><p>{esc(text)}</p>'
            f'<form method="post">{inner}</form>'
        )
        return html_response(self.chrome(title, main, self.session(req)))

    def logout(self, req: Request) -> Response:
        target = req.query.get("logout_uri", "")
        response = redirect(target if target.startswith(self.url("/", host=APP_HOST)) else "/login?" + urlencode(
            {"client_id": CLIENT_ID, "response_type": "code", "scope": "openid", "redirect_uri": self.url("/callback", host=APP_HOST)}))
        self.sign_out(req, response)
        return response


class NotesAppSite(Site):
    """The app: its own session, set from the hosted UI's authorization code."""

    hosts = (APP_HOST,)
    brand = CLIENT_NAME
    session_cookie = "jotter_session"
    identifier_key = "username"
    logout_label = "Sign out"

    scenario = Scenario(
        host=APP_HOST,
        modelled_on="Amazon Cognito hosted UI",
        shapes=("form", "site_error", "entry_point"),
        values={"username": accounts.USERNAME, "password": accounts.PASSWORD},
        path=None,
        allowed_domains=(COGNITO_HOST,),
        credential_domain=COGNITO_HOST,
        password_host=COGNITO_HOST,
        notes=(
            "The app's landing has 'Sign in' → the hosted UI on cognito.localhost renders the form twice (mobile copy "
            "first, hidden by CSS; same ids and names); a wrong password redirects to /login?…&error=…; success → "
            "notesapp /callback?code= → /notes."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/notes") if self.session(req) else self.landing(req)
            case "GET", "/auth/login":
                return self.start(req, "/oauth2/authorize")
            case "GET", "/auth/signup":
                return self.start(req, "/signup")
            case "GET", "/callback":
                return self.callback(req)
            case "GET", "/notes":
                return self.notes(req)
            case "GET", "/logout":
                response = redirect(self.url(f"/logout?{urlencode({'client_id': CLIENT_ID, 'logout_uri': self.url('/')})}", host=COGNITO_HOST))
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            right = (
                '<a href="/notes">My notes</a><div class="me"><button type="button" aria-label="Account" aria-haspopup="menu" '
                "onclick=\"var m=this.nextElementSibling;m.hidden=!m.hidden\">A</button>"
                f'<div role="menu" hidden><span>{esc(accounts.DISPLAY_NAME)}</span><span>{esc(accounts.EMAIL)}</span>'
                '<a role="menuitem" href="/settings">Settings</a><a role="menuitem" href="/logout">Sign out</a></div></div>'
            )
        else:
            right = '<a class="btn" href="/auth/login">Sign in</a><a class="btn fill" href="/auth/signup">Sign up</a>'
        body = (
            f'<header class="bar"><a class="name" href="/">✎ {esc(CLIENT_NAME)}</a><a href="/pricing">Pricing</a>'
            f'<a href="/blog">Blog</a><a href="/help">Help</a>{right}</header>\n<main>{main}</main>\n'
            f'<footer>© 2025 {esc(CLIENT_NAME)} Inc. · <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></footer>'
        )
        return document(title, body, css=APP_CSS, body_attrs=LOGGED_IN if session else "")

    def landing(self, req: Request) -> Response:
        error = (
            "<p role='alert'>We couldn't sign you in. Please try again.</p>" if req.query.get("error") else ""
        )
        main = f"""
<section class="hero"><h1>Jot it down before it's gone.</h1>
<p>Notes that sync across your phone, tablet and laptop — free for personal use.</p>{error}
<p><a class="btn fill" href="/auth/signup">Get started</a></p></section>"""
        return html_response(self.chrome(f"{CLIENT_NAME} — notes that keep up", main, None))

    def start(self, req: Request, path: str) -> Response:
        state = secrets.token_urlsafe(16)
        query = {
            "client_id": CLIENT_ID,
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": self.url("/callback"),
            "state": state,
        }
        response = redirect(self.url(f"{path}?{urlencode(query)}", host=COGNITO_HOST))
        response.set_cookie("jotter_oauth_state", state, max_age=600)
        return response

    def callback(self, req: Request) -> Response:
        state, expected = req.query.get("state", ""), req.cookies.get("jotter_oauth_state", "")
        if not state or not secrets.compare_digest(state, expected):
            return redirect("/?error=state")
        hosted = self.sandbox.site(COGNITO_HOST)
        assert isinstance(hosted, CognitoSite)
        user = hosted.redeem(req.query.get("code", ""), CLIENT_ID, self.url("/callback"))
        if not user:
            return redirect("/?error=code")
        response = redirect("/notes")
        response.delete_cookie("jotter_oauth_state")
        self.sign_in(response)
        return response

    def notes(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/")
        main = f"""
<h1 style="text-align:center">{esc(accounts.DISPLAY_NAME)}'s notes</h1>
<div class="notes"><article><h3>Groceries</h3><p>Oat milk, lemons, basil.</p></article>
<article><h3>Book ideas</h3><p>A lighthouse keeper who collects radio signals.</p></article>
<article><h3>Standup</h3><p>Ship the export button; review Sam's PR.</p></article></div>"""
        return html_response(self.chrome(f"Notes · {CLIENT_NAME}", main, session))
