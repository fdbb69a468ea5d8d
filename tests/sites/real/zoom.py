"""zoom.localhost — modelled on Zoom's web portal for an account whose domain enforces SSO; and
zoom-okta.localhost — an Okta-like identity provider (the company's tenant) built for it.

Steps: the home page header has no visible "Sign In": it sits in an account menu behind a person-icon
button (``aria-haspopup="true" aria-expanded="false"``), ``hidden`` until the button is hovered or
clicked → ``/signin``: the account's domain enforces single sign-on, so the page offers only "Sign in
with SSO" and three icon-only buttons (``aria-label`` "Sign in with Google", "… Apple", "… Facebook",
which the admin has disabled) — no password form → "Sign in with SSO" → ``/web/sso/login`` (the
company domain is remembered) → the tenant's ``/oauth2/v1/authorize`` → ``/login/login.htm`` where a
script renders the sign-in widget (as Okta's is rendered): "Username" (``#okta-signin-username``) →
"Next" (``POST /idp/idx/identify``, JSON) → the widget re-renders: "Password"
(``#okta-signin-password``) → "Verify" (``POST /idp/idx/challenge/answer``, JSON) → the page goes to
``/login/token/redirect`` → ``zoom.localhost/sso/callback?code=…&state=…`` (a redirect with a code, no
SAML form post) → Zoom redeems it and starts its session → ``/profile``.

Shapes:
- sso_only: ``/signin`` has no input at all; the scenario names no provider, so a person picks "SSO".
- entry_point: "Sign In" lives in ``<ul id="account-menu" role="menu" hidden>`` opened by the
  ``#account-menu-trigger`` icon button (hover or click).

A wrong password: the widget shows ``<div class="o-form-error-container o-form-has-errors"
role="alert">…<p>Unable to sign in</p>…</div>`` and clears the field (counted on the tenant host).
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
    js_value,
    json_response,
    redirect,
    safe_next,
)
from tests.sites.real import Scenario

APP_HOST = "zoom.localhost"
IDP_HOST = "zoom-okta.localhost"
CLIENT_ID = "0oa1zoomsandbox"
ORG_NAME = "Acme, Inc."
COMPANY_DOMAIN = "acme"
CODE_LIFETIME = 120

ZOOM_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 Lato, 'Helvetica Neue', Arial, sans-serif; color: #232333; background: #fff; }
a { color: #0b5cff; text-decoration: none; }
.top-links { display: flex; justify-content: flex-end; gap: 20px; padding: 6px 32px; font-size: 12px; background: #f7f9fa; }
.top-links a { color: #39394d; }
.main-header { display: flex; align-items: center; gap: 28px; padding: 14px 32px; border-bottom: 1px solid #ededf4; }
.main-header .zoom-logo { font: 800 30px/1 Arial, sans-serif; color: #0b5cff; letter-spacing: -1px; }
.main-header nav { display: flex; gap: 22px; flex: 1; }
.main-header nav a { color: #232333; font-weight: 700; }
.header-actions { display: flex; align-items: center; gap: 18px; }
.header-actions > a { font-weight: 700; color: #0b5cff; }
.account-dropdown { position: relative; }
#account-menu-trigger { width: 36px; height: 36px; border-radius: 50%; border: 1px solid #c1c1d1; background: #fff; display: flex; align-items: center; justify-content: center; cursor: pointer; }
#account-menu-trigger svg { width: 20px; height: 20px; fill: #39394d; }
#account-menu-trigger .initial { font-weight: 700; color: #fff; }
#account-menu-trigger.signed-in { background: #0b5cff; border-color: #0b5cff; }
#account-menu { position: absolute; right: 0; top: 40px; min-width: 220px; list-style: none; margin: 0; padding: 8px 0; background: #fff; border-radius: 12px; box-shadow: 0 6px 20px rgba(35,35,51,.18); z-index: 20; }
#account-menu[hidden] { display: none; }
.account-dropdown:hover #account-menu, .account-dropdown:focus-within #account-menu { display: block; }
#account-menu li a, #account-menu li span { display: block; padding: 8px 18px; color: #232333; }
#account-menu li a:hover { background: #f1f4fe; }
#account-menu li.who { border-bottom: 1px solid #ededf4; }
.hero { background: linear-gradient(120deg, #0b5cff, #00053d); color: #fff; padding: 80px 32px; }
.hero h1 { font-size: 48px; margin: 0 0 12px; max-width: 640px; line-height: 1.1; }
.hero .btn { display: inline-block; background: #fff; color: #0b5cff; border-radius: 10px; padding: 12px 22px; font-weight: 700; margin-right: 12px; }
.features { display: grid; grid-template-columns: repeat(4, 1fr); gap: 18px; padding: 32px; }
.features div { background: #f7f9fa; border-radius: 12px; padding: 20px; }
.zfooter { background: #00031f; color: #c1c1d1; padding: 28px 32px; font-size: 12px; display: flex; flex-wrap: wrap; gap: 18px; }
.zfooter a { color: #c1c1d1; }
.signin-wrap { max-width: 420px; margin: 50px auto; text-align: center; }
.signin-wrap h1 { font-size: 28px; margin: 0 0 8px; }
.sso-notice { background: #f1f4fe; border-radius: 10px; padding: 12px 16px; color: #39394d; margin: 18px 0 22px; text-align: left; }
.zm-button { display: flex; align-items: center; justify-content: center; gap: 10px; width: 100%; height: 44px; border-radius: 10px; border: 0; background: #0b5cff; color: #fff; font-size: 16px; font-weight: 700; cursor: pointer; }
.or-line { color: #747487; margin: 26px 0 14px; font-size: 13px; }
.login-btn-group { display: flex; justify-content: center; gap: 22px; }
.login-btn-group a { width: 52px; height: 52px; border-radius: 12px; border: 1px solid #c1c1d1; display: flex; align-items: center; justify-content: center; }
.login-btn-group svg { width: 24px; height: 24px; }
.legal { color: #747487; font-size: 12px; margin-top: 34px; }
.zm-alert { background: #fff0f0; color: #c00; border-radius: 10px; padding: 10px 14px; margin: 12px 0; }
.portal { display: grid; grid-template-columns: 220px 1fr; min-height: 70vh; }
.portal aside { border-right: 1px solid #ededf4; padding: 20px 0; }
.portal aside a { display: block; padding: 8px 24px; color: #39394d; }
.portal aside a.active { background: #f1f4fe; color: #0b5cff; font-weight: 700; border-left: 3px solid #0b5cff; }
.portal section { padding: 28px 40px; }
.profile-card { display: flex; gap: 22px; align-items: center; }
.profile-card .pic { width: 88px; height: 88px; border-radius: 50%; background: #0b5cff; color: #fff; font-size: 38px; display: flex; align-items: center; justify-content: center; }
dl.profile { display: grid; grid-template-columns: 200px 1fr; gap: 10px 20px; margin-top: 28px; }
dl.profile dt { color: #747487; }
"""

OKTA_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 'proxima nova', 'montserrat', Arial, sans-serif; color: #5e5e5e; background: #e9eef4 linear-gradient(180deg, #1d2c4c 0, #1d2c4c 320px, #e9eef4 320px); min-height: 100vh; }
#okta-login-container { padding-top: 80px; }
#okta-sign-in { width: 400px; margin: 0 auto; background: #fff; border: 1px solid #ddd; border-radius: 3px; box-shadow: 0 2px 0 rgba(175,175,175,.12); }
.okta-sign-in-header { border-bottom: 1px solid #ddd; padding: 30px 90px 22px; text-align: center; }
.okta-sign-in-header .org-logo { font: 700 24px/1 Georgia, serif; color: #1d2c4c; }
.auth-content { padding: 20px 42px 40px; }
.okta-form-title { color: #5e5e5e; font-size: 15px; font-weight: 600; text-align: center; margin: 12px 0 20px; }
.o-form-fieldset { margin-bottom: 16px; }
.okta-form-label label { display: block; font-weight: 600; color: #1d1d21; margin-bottom: 6px; }
.okta-form-input-field input[type=text], .okta-form-input-field input[type=password] { width: 100%; height: 40px; border: 1px solid #8c8c96; border-radius: 3px; padding: 6px 8px; font-size: 14px; }
.okta-form-input-field input:focus { border-color: #1662dd; outline: none; box-shadow: 0 0 8px #51cbee; }
.custom-checkbox { display: flex; gap: 6px; align-items: center; }
.button-primary { width: 100%; height: 50px; background: #1662dd; border: 1px solid #0f4aa4; color: #fff; border-radius: 3px; font-size: 14px; cursor: pointer; }
.button-primary[disabled] { opacity: .6; }
.o-form-error-container { margin-bottom: 14px; }
.okta-form-infobox-error { border: 1px solid #e34843; border-left-width: 40px; border-radius: 3px; padding: 12px 14px; color: #1d1d21; position: relative; }
.okta-form-infobox-error p { margin: 0; }
.okta-form-infobox-error .icon { position: absolute; left: -28px; top: 12px; color: #fff; }
.identifier-container { text-align: center; margin-bottom: 16px; }
.identifier { display: inline-block; border: 1px solid #ddd; border-radius: 14px; padding: 3px 12px; color: #1d1d21; }
.auth-footer { margin-top: 18px; font-size: 13px; }
.auth-footer a { color: #6e6e78; }
.help-links { list-style: none; padding: 0; }
.loading { text-align: center; padding: 40px; }
.okta-footer { text-align: center; font-size: 12px; color: #6e6e78; margin: 18px; }
"""

PERSON_SVG = (
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2.2c-4 0-8 2-8 4.8V21h16v-2c0-2.8-4-4.8-8-4.8z"/></svg>'
)
GOOGLE_SVG = '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="10" fill="#4285f4"/><path d="M12 7h5v2h-5z" fill="#fff"/></svg>'
APPLE_SVG = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15 3c-1 .2-2 .9-2.5 1.8-.5.8-.8 1.8-.6 2.6 1 0 2-.6 2.5-1.4.6-.8.8-1.9.6-3zM12 8c-1.5 0-2-.8-3.5-.8C6.400 7.200 5 9 5 12c0 4 2.500 9 4.500 9 1 0 1.500-.6 2.500-.6s1.400.6 2.500.6c2 0 3.600-3.400 4-4.600-2.200-1-2.600-4.600-.2-6-1-1.300-2.400-1.600-3.300-1.600C13.600 8.800 13 8 12 8z" fill="#000"/></svg>'
FACEBOOK_SVG = '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="10" fill="#1877f2"/><path d="M13 20v-7h2.300l.4-2.600H13V8.800c0-.8.300-1.300 1.400-1.300h1.400V5.200c-.3 0-1.100-.1-2-.1-2 0-3.300 1.200-3.300 3.400v1.900H8.300V13h2.200v7z" fill="#fff"/></svg>'
KEY_SVG = '<svg viewBox="0 0 24 24" aria-hidden="true" width="20" height="20"><path d="M7 14a3 3 0 1 1 2.8-4H21v3h-2v2h-3v-2H9.800A3 3 0 0 1 7 14z" fill="#fff"/></svg>'


class OktaSite(Site):
    """The company's Okta-like tenant: an authorization code, handed back by redirect."""

    hosts = (IDP_HOST,)
    brand = ORG_NAME
    session_cookie = "sid"
    flow_cookie = "DT"
    identifier_key = "username"

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(sandbox)
        self._lock = threading.Lock()
        self._transactions: dict[str, dict] = {}  # stateHandle → the authorization request and progress
        self._grants: dict[str, tuple[str, str, str, float]] = {}

    @property
    def redirect_uris(self) -> set[str]:
        return {self.url("/sso/callback", host=APP_HOST)}

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/app/UserHome" if self.session(req) else "/login/login.htm")
            case "GET", "/oauth2/v1/authorize":
                return self.authorize(req)
            case "GET", "/login/login.htm":
                return self.widget_page(req)
            case "POST", "/signin":  # the widget's form never posts without its script; go back to it
                return redirect("/login/login.htm")
            case "POST", "/idp/idx/identify":
                return self.identify(req)
            case "POST", "/idp/idx/challenge/answer":
                return self.answer(req)
            case "GET", "/login/token/redirect":
                return self.token_redirect(req)
            case "GET", "/app/UserHome":
                return self.user_home(req)
            case "GET", "/login/signout":
                response = redirect("/login/login.htm")
                self.sign_out(req, response)
                return response
        return None

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        who = f'<p>{esc(accounts.EMAIL)} · <a href="/login/signout">Sign out</a></p>' if session else ""
        body = f'<div id="okta-login-container"><div id="okta-sign-in"><div class="auth-content">{main}{who}</div></div></div>'
        return html_response(document(f"{ORG_NAME} - {title}", body, css=OKTA_CSS, body_attrs=LOGGED_IN if session else ""), status)

    def authorize(self, req: Request) -> Response:
        client_id, redirect_uri = req.query.get("client_id", ""), req.query.get("redirect_uri", "")
        if client_id != CLIENT_ID or redirect_uri not in self.redirect_uris:
            return self.render("Error", "<h2>400 Bad Request</h2><p>The 'redirect_uri' parameter must be an absolute URI that is whitelisted in the client app settings.</p>", None, 400)
        handle = secrets.token_urlsafe(18)
        with self._lock:
            self._transactions[handle] = {"client_id": client_id, "redirect_uri": redirect_uri,
                                          "state": req.query.get("state", ""), "user": None, "done": False}
        if self.session(req):
            with self._lock:
                self._transactions[handle].update(user=accounts.EMAIL, done=True)
            return redirect(f"/login/token/redirect?{urlencode({'stateToken': handle})}")
        return redirect(f"/login/login.htm?{urlencode({'fromURI': '/oauth2/v1/authorize/redirect', 'stateToken': handle})}")

    def widget_page(self, req: Request) -> Response:
        handle = req.query.get("stateToken", "")
        with self._lock:
            known = handle in self._transactions
        if not known:
            return self.render("Sign In", "<h2 class='okta-form-title'>Sign In</h2><p>Go back to your app and sign in again.</p>", self.session(req))
        body = f"""
<div id="okta-login-container" class="login-bg-image">
  <div id="okta-sign-in" class="auth-container main-container no-beacon" role="main">
    <div class="okta-sign-in-header auth-header"><span class="org-logo" role="img" aria-label="{esc(ORG_NAME)} logo">{esc(ORG_NAME)}</span></div>
    <div class="auth-content"><div class="auth-content-inner" id="widget-root"><div class="loading" aria-busy="true">Loading…</div></div></div>
  </div>
</div>
<div class="okta-footer">Powered by Okta · <a href="/privacy">Privacy Policy</a></div>
<script>var OKTA_STATE = {js_value(handle)};{WIDGET_SCRIPT}</script>"""
        return html_response(document(f"{ORG_NAME} - Sign In", body, css=OKTA_CSS))

    def _transaction(self, req: Request) -> dict | None:
        with self._lock:
            return self._transactions.get(str(req.json.get("stateHandle", "")))

    def identify(self, req: Request) -> Response:
        tx = self._transaction(req)
        if tx is None:
            return json_response({"messages": {"value": [{"message": "The session has expired.", "class": "ERROR"}]}}, 400)
        identifier = str(req.json.get("identifier", "")).strip()
        if not identifier:
            return json_response({"messages": {"value": [{"message": "This field cannot be left blank", "class": "ERROR"}]}}, 400)
        # Like Okta, an unknown username goes on to the password too: nobody learns which accounts exist.
        with self._lock:
            tx["user"] = identifier
        return json_response({"remediation": "challenge-authenticator", "identifier": identifier, "authenticator": "password"})

    def answer(self, req: Request) -> Response:
        tx = self._transaction(req)
        if tx is None or not tx.get("user"):
            return json_response({"messages": {"value": [{"message": "The session has expired.", "class": "ERROR"}]}}, 400)
        credentials = req.json.get("credentials")
        passcode = str(credentials.get("passcode", "")) if isinstance(credentials, dict) else ""
        ok = accounts.check_password(tx["user"], passcode)
        self.record_attempt(tx["user"], ok)
        if not ok:
            return json_response({"messages": {"value": [{"message": "Unable to sign in", "class": "ERROR"}]}}, 401)
        handle = str(req.json.get("stateHandle"))
        with self._lock:
            tx["done"] = True
        response = json_response({"success": {"name": "success-redirect", "href": f"/login/token/redirect?{urlencode({'stateToken': handle})}"}})
        self.sign_in(response)
        return response

    def token_redirect(self, req: Request) -> Response:
        handle = req.query.get("stateToken", "")
        with self._lock:
            tx = self._transactions.pop(handle, None)
        if not tx or not tx["done"]:
            return self.render("Sign In", "<h2 class='okta-form-title'>Sign In</h2><p>Your session has expired. Go back to your app and sign in again.</p>", None, 403)
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = (tx["client_id"], tx["redirect_uri"], accounts.EMAIL, time.time() + CODE_LIFETIME)
        return redirect(f"{tx['redirect_uri']}?{urlencode({'code': code, 'state': tx['state']})}")

    def redeem(self, code: str, client_id: str, redirect_uri: str) -> str | None:
        with self._lock:
            grant = self._grants.pop(code, None)
        if not grant or grant[0] != client_id or grant[1] != redirect_uri or time.time() > grant[3]:
            return None
        return grant[2]

    def user_home(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login/login.htm")
        return self.render("My Apps", f"<h2 class='okta-form-title'>My Apps</h2><p>Welcome, {esc(accounts.DISPLAY_NAME)}. Zoom · Slack · Workday</p>", session)


WIDGET_SCRIPT = r"""
(function () {
  var root = document.getElementById("widget-root");
  var state = { identifier: "" };
  function el(html) { var t = document.createElement("template"); t.innerHTML = html.trim(); return t.content.firstChild; }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function errorBox(form, message) {
    var box = form.querySelector(".o-form-error-container");
    box.className = "o-form-error-container o-form-has-errors";
    box.setAttribute("role", "alert");
    box.innerHTML = '<div><div class="okta-form-infobox-error infobox infobox-error" role="alert">' +
      '<span class="icon error-16" aria-hidden="true">!</span><p>' + esc(message) + "</p></div></div>";
  }
  function post(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/ion+json; okta-version=1.0.0" },
                        body: JSON.stringify(Object.assign({ stateHandle: OKTA_STATE }, body)) })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); });
  }
  function firstMessage(data) {
    try { return data.messages.value[0].message; } catch (e) { return "There was an unexpected internal error. Please try again."; }
  }
  function footer() {
    return '<div class="auth-footer"><a href="#" data-se="needhelp" aria-expanded="false" aria-controls="help-links-container" class="link help js-help">Need help signing in?</a>' +
      '<ul class="help-links js-help-links" id="help-links-container" style="display:none"><li><a href="/help" class="link js-forgot-password">Forgot password?</a></li>' +
      '<li><a href="/help" class="link js-unlock">Unlock account?</a></li><li><a href="/help" class="link js-help-link">Help</a></li></ul></div>';
  }
  function wireHelp(view) {
    var toggle = view.querySelector(".js-help"), list = view.querySelector(".js-help-links");
    toggle.addEventListener("click", function (e) { e.preventDefault(); var open = list.style.display === "none";
      list.style.display = open ? "block" : "none"; toggle.setAttribute("aria-expanded", String(open)); });
  }
  function identifyView() {
    var view = el('<div class="primary-auth"><form method="POST" action="/signin" data-se="o-form" slot="content" id="form19" class="primary-auth-form o-form o-form-edit-mode" novalidate>' +
      '<div data-se="o-form-content" class="o-form-content o-form-theme clearfix"><h2 data-se="o-form-head" class="okta-form-title o-form-head">Sign In</h2>' +
      '<div class="o-form-error-container" data-se="o-form-error-container"></div>' +
      '<div class="o-form-fieldset-container" data-se="o-form-fieldset-container">' +
      '<div data-se="o-form-fieldset" class="o-form-fieldset o-form-label-top"><div data-se="o-form-label" class="okta-form-label o-form-label"><label for="okta-signin-username">Username</label></div>' +
      '<div data-se="o-form-input-container" class="o-form-input"><span data-se="o-form-input-username" class="o-form-input-name-username o-form-control okta-form-input-field input-fix">' +
      '<input type="text" placeholder="" name="username" id="okta-signin-username" value="" aria-label="" autocomplete="username" aria-required="true" required></span></div></div>' +
      '<div data-se="o-form-fieldset" class="o-form-fieldset o-form-label-top margin-btm-0"><div class="custom-checkbox"><input type="checkbox" name="remember" id="input-saved-user">' +
      '<label for="input-saved-user">Keep me signed in</label></div></div></div></div>' +
      '<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="Next" id="okta-signin-submit" data-type="save"></div></form>' + footer() + "</div>");
    var form = view.querySelector("form"), input = view.querySelector("#okta-signin-username");
    input.value = state.identifier;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var submit = form.querySelector("#okta-signin-submit");
      submit.disabled = true;
      post("/idp/idx/identify", { identifier: input.value }).then(function (res) {
        submit.disabled = false;
        if (!res.ok) { errorBox(form, firstMessage(res.data)); return; }
        state.identifier = res.data.identifier;
        passwordView();
      }).catch(function () { submit.disabled = false; errorBox(form, "There was an unexpected internal error. Please try again."); });
    });
    root.replaceChildren(view); wireHelp(view); input.focus();
  }
  function passwordView() {
    var view = el('<div class="siw-main-view challenge-authenticator--okta_password"><form method="POST" action="/signin" data-se="o-form" class="ion-form o-form o-form-edit-mode" novalidate>' +
      '<div data-se="o-form-content" class="o-form-content o-form-theme clearfix"><h2 data-se="o-form-head" class="okta-form-title o-form-head">Verify with your password</h2>' +
      '<div class="identifier-container"><span class="identifier no-translate" data-se="identifier" title="' + esc(state.identifier) + '">' + esc(state.identifier) + "</span></div>" +
      '<div class="o-form-error-container" data-se="o-form-error-container"></div>' +
      '<div class="o-form-fieldset-container" data-se="o-form-fieldset-container"><div data-se="o-form-fieldset" class="o-form-fieldset o-form-label-top">' +
      '<div data-se="o-form-label" class="okta-form-label o-form-label"><label for="okta-signin-password">Password</label></div>' +
      '<div data-se="o-form-input-container" class="o-form-input"><span data-se="o-form-input-credentials.passcode" class="o-form-input-name-credentials.passcode o-form-control okta-form-input-field input-fix">' +
      '<input type="password" placeholder="" name="credentials.passcode" id="okta-signin-password" value="" aria-label="" autocomplete="current-password" aria-required="true" required></span></div></div></div></div>' +
      '<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="Verify" data-type="save"></div></form>' +
      '<div class="auth-footer"><a href="/help" class="link js-forgot-password">Forgot password?</a> · <a href="#" class="link js-go-back">Back to sign in</a></div></div>');
    var form = view.querySelector("form"), input = view.querySelector("#okta-signin-password");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var submit = form.querySelector("input[type=submit]");
      submit.disabled = true;
      post("/idp/idx/challenge/answer", { credentials: { passcode: input.value } }).then(function (res) {
        submit.disabled = false;
        if (!res.ok) { input.value = ""; errorBox(form, firstMessage(res.data)); input.focus(); return; }
        location.assign(res.data.success.href);
      }).catch(function () { submit.disabled = false; errorBox(form, "There was an unexpected internal error. Please try again."); });
    });
    view.querySelector(".js-go-back").addEventListener("click", function (e) { e.preventDefault(); identifyView(); });
    root.replaceChildren(view); input.focus();
  }
  setTimeout(identifyView, 150);  // the widget's bundle loads and renders after the page
})();
"""


class ZoomSite(Site):
    hosts = (APP_HOST,)
    brand = "Zoom"
    session_cookie = "_zm_ssid"
    identifier_key = "email"
    login_path = "/signin"
    logout_path = "/logout"

    scenario = Scenario(
        host=APP_HOST,
        modelled_on="Zoom (account domain enforces SSO) with an Okta tenant",
        shapes=("sso_only", "entry_point"),
        values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
        path=None,
        sso_provider=None,
        allowed_domains=(IDP_HOST,),
        credential_domain=IDP_HOST,
        answers=("sso:sso",),
        password_host=IDP_HOST,
        notes=(
            "'Sign In' is inside a hidden account menu behind a person-icon button. /signin offers only "
            "'Sign in with SSO' and icon-only Google/Apple/Facebook buttons (aria-label): no provider is "
            "stored, the person picks SSO. The Okta widget is rendered by script and talks JSON."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.home(req)
            case "GET", "/signin":
                return redirect("/profile") if self.session(req) else self.signin_page(req)
            case "GET", "/signin/google" | "/signin/apple" | "/signin/facebook":
                provider = req.path.rsplit("/", 1)[1].capitalize()
                return redirect(f"/signin?error={provider}")
            case "GET", "/web/sso/login":
                return self.start_sso(req)
            case "GET", "/sso/callback":
                return self.callback(req)
            case "GET", "/profile":
                return self.profile(req)
            case "GET", "/meeting" | "/recording" | "/settings":
                return self.portal_page(req, req.path.strip("/").capitalize())
            case ("GET" | "POST"), "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def account_dropdown(self, session: Session | None) -> str:
        if session:
            trigger = (
                f'<button type="button" id="account-menu-trigger" class="signed-in" aria-haspopup="true" aria-expanded="false" '
                f'aria-controls="account-menu" aria-label="Account, {esc(accounts.DISPLAY_NAME)}"><span class="initial">'
                f"{esc(accounts.DISPLAY_NAME[0])}</span></button>"
            )
            items = (
                f'<li class="who" role="none"><span><b>{esc(accounts.DISPLAY_NAME)}</b><br><small>{esc(accounts.EMAIL)}</small></span></li>'
                '<li role="none"><a role="menuitem" href="/profile">My Profile</a></li>'
                '<li role="none"><a role="menuitem" href="/settings">Settings</a></li>'
                '<li role="none"><a role="menuitem" href="/logout" id="signout">Sign Out</a></li>'
            )
        else:
            trigger = (
                '<button type="button" id="account-menu-trigger" aria-haspopup="true" aria-expanded="false" '
                f'aria-controls="account-menu" aria-label="Account">{PERSON_SVG}</button>'
            )
            items = (
                '<li role="none"><a role="menuitem" href="/signin" id="btnSignIn">Sign In</a></li>'
                '<li role="none"><a role="menuitem" href="/signup">Sign Up Free</a></li>'
                '<li role="none"><a role="menuitem" href="/help">Contact Sales</a></li>'
            )
        return f'<div class="account-dropdown">{trigger}<ul id="account-menu" role="menu" hidden>{items}</ul></div>'

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        body = f"""
<div class="top-links"><a href="/help">Request a Demo</a><a href="/help">1.888.799.9666</a><a href="/docs">Resources</a><a href="/help">Support</a></div>
<header class="main-header">
  <a class="zoom-logo" href="/" aria-label="Zoom">zoom</a>
  <nav aria-label="Main"><a href="/docs">Products</a><a href="/docs">AI</a><a href="/docs">Solutions</a><a href="/docs">Resources</a><a href="/pricing">Plans &amp; Pricing</a></nav>
  <div class="header-actions">
    <a href="/meeting">Schedule</a><a href="/meeting">Join</a><a href="/meeting">Host</a>
    {self.account_dropdown(session)}
  </div>
</header>
{main}
<footer class="zfooter"><span>Copyright ©2025 Zoom Communications, Inc. All rights reserved.</span><a href="/terms">Terms</a>
<a href="/privacy">Privacy</a><a href="/privacy">Trust Center</a><a href="/terms">Acceptable Use Guidelines</a>
<a href="/privacy">Legal &amp; Compliance</a><a href="/privacy">Cookie Preferences</a>
<select aria-label="Language"><option selected>English</option><option>Español</option><option>Deutsch</option><option>日本語</option></select></footer>
<script>(function(){{var t=document.getElementById('account-menu-trigger'),m=document.getElementById('account-menu');
t.addEventListener('click',function(){{var o=m.hidden;m.hidden=!o;t.setAttribute('aria-expanded',String(o));}});
var d=t.parentNode;d.addEventListener('mouseenter',function(){{t.setAttribute('aria-expanded','true');}});
d.addEventListener('mouseleave',function(){{t.setAttribute('aria-expanded',String(!m.hidden));}});}})();</script>"""
        return document(title, body, css=ZOOM_CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(f"{title} - Zoom", f'<main style="padding:32px">{main}</main>', session), status)

    def home(self, req: Request) -> Response:
        session = self.session(req)
        greeting = f"<p>Welcome back, {esc(accounts.DISPLAY_NAME)}. <a href='/profile' style='color:#fff;text-decoration:underline'>Go to your profile</a></p>" if session else ""
        main = f"""
<section class="hero"><h1>One platform to connect</h1>
  <p>Modernize workflows with Zoom Workplace: meetings, team chat, phone, whiteboard, AI Companion and more.</p>{greeting}
  <a class="btn" href="/pricing">See plans &amp; pricing</a><a class="btn" href="/signup">Sign up, it's free</a></section>
<section class="features"><div><b>Meetings</b><p>HD video for up to 1,000 people.</p></div><div><b>Team Chat</b><p>Message, share files, and collaborate.</p></div>
<div><b>Phone</b><p>Cloud phone for every team.</p></div><div><b>AI Companion</b><p>Summaries and smart recordings.</p></div></section>"""
        return html_response(self.chrome("One platform to connect | Zoom", main, session))

    def signin_page(self, req: Request) -> Response:
        error = req.query.get("error")
        alert = ""
        if error == "sso":
            alert = '<div class="zm-alert" role="alert">We could not sign you in with SSO. Please try again.</div>'
        elif error:
            alert = f'<div class="zm-alert" role="alert">Your account administrator has disabled sign-in with {esc(error)}. Please sign in with SSO.</div>'
        main = f"""
<main class="signin-wrap" id="signin-root">
  <h1>Sign In</h1>
  {alert}
  <div class="sso-notice" role="note">Your organization ({esc(COMPANY_DOMAIN)}.zoom.us) requires single sign-on. Sign in with your
  company's identity provider.</div>
  <button type="button" id="ssoBtn" class="zm-button" onclick="location.href='/web/sso/login?en=signin&amp;domain={esc(COMPANY_DOMAIN)}'">{KEY_SVG}Sign in with SSO</button>
  <p class="or-line">or sign in with</p>
  <div class="login-btn-group">
    <a href="/signin/google" class="login-btn-google" aria-label="Sign in with Google" role="button">{GOOGLE_SVG}</a>
    <a href="/signin/apple" class="login-btn-apple" aria-label="Sign in with Apple" role="button">{APPLE_SVG}</a>
    <a href="/signin/facebook" class="login-btn-facebook" aria-label="Sign in with Facebook" role="button">{FACEBOOK_SVG}</a>
  </div>
  <p class="legal">By signing in, I agree to the <a href="/privacy">Zoom Privacy Statement</a> and <a href="/terms">Terms of Service</a>.</p>
  <p class="legal">New to Zoom? <a href="/signup">Sign up free</a></p>
</main>"""
        return html_response(self.chrome("Sign In | Zoom", main, None))

    def start_sso(self, req: Request) -> Response:
        state = secrets.token_urlsafe(16)
        query = urlencode({"client_id": CLIENT_ID, "redirect_uri": self.url("/sso/callback"), "response_type": "code",
                           "scope": "openid email profile", "state": state})
        response = redirect(self.url(f"/oauth2/v1/authorize?{query}", host=IDP_HOST))
        response.set_cookie("zm_sso_state", state, max_age=600)
        response.set_cookie("zm_sso_domain", COMPANY_DOMAIN, max_age=365 * 86400)
        return response

    def callback(self, req: Request) -> Response:
        state = req.query.get("state", "")
        expected = req.cookies.get("zm_sso_state", "")
        if not state or not secrets.compare_digest(state, expected):
            return redirect("/signin?error=sso")
        idp = self.sandbox.site(IDP_HOST)
        assert isinstance(idp, OktaSite)
        user = idp.redeem(req.query.get("code", ""), CLIENT_ID, self.url("/sso/callback"))
        if user != accounts.EMAIL:
            return redirect("/signin?error=sso")
        response = redirect(safe_next(req.query.get("next"), "/profile"))
        response.delete_cookie("zm_sso_state")
        self.sign_in(response, via="sso")
        return response

    def portal(self, title: str, active: str, inner: str, session: Session) -> Response:
        links = "".join(
            f'<a href="/{p.lower()}" class="{"active" if p == active else ""}">{p}</a>'
            for p in ("Profile", "Meeting", "Recording", "Settings")
        )
        main = f'<div class="portal"><aside aria-label="Personal">{links}</aside><section>{inner}</section></div>'
        return html_response(self.chrome(f"{title} - Zoom", main, session))

    def profile(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/signin")
        inner = f"""
<div class="profile-card"><div class="pic" aria-hidden="true">{esc(accounts.DISPLAY_NAME[0])}</div>
  <div><h1 style="margin:0">{esc(accounts.DISPLAY_NAME)}</h1><p style="margin:0">Licensed · {esc(ORG_NAME)}</p></div></div>
<dl class="profile"><dt>Sign-In Email</dt><dd>{esc(accounts.EMAIL)} <small>(linked: SSO)</small></dd>
<dt>Personal Meeting ID</dt><dd>***-***-4242 <a href="/profile">Show</a></dd><dt>Account No.</dt><dd>8812345</dd>
<dt>Time Zone</dt><dd>(GMT-5:00) Eastern Time (US and Canada)</dd></dl>"""
        return self.portal("My Profile", "Profile", inner, session)

    def portal_page(self, req: Request, name: str) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/signin")
        return self.portal(name, name, f"<h1>{esc(name)}</h1><p>Nothing here yet.</p>", session)
