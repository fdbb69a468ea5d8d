"""instagram.localhost — modelled on Instagram's web login (www.instagram.com, /accounts/login/).

Steps, as a person meets them:

1. ``/`` signed out (and ``/accounts/login/``) is the login app: the HTML is a splash screen; the
   script renders the form ~500 ms after load (**late_spa**). ``<form id="loginForm" method="post">``
   has no action; the inputs are ``name="username"`` (label and aria-label "Phone number, username,
   or email") and ``name="password"``; the "Log in" ``<button type="submit">`` is **disabled until
   both fields are filled** (a username and a password of 6 or more characters, as Instagram does)
   (**form**). "Log in with Facebook", "Forgot password?", "Sign up", app badges and the Meta footer
   with a language picker are the noise.
2. Submitting sends an XHR ``POST /api/v1/web/accounts/login/ajax/`` (form-encoded ``username``,
   ``enc_password=#PWD_INSTAGRAM_BROWSER:0:<time>:<password>`` …) with ``X-CSRFToken`` copied from the
   ``csrftoken`` cookie. A wrong password answers ``{"authenticated": false, "user": true}`` and the
   script adds ``<div id="slfErrorAlert" role="alert">Sorry, your password was incorrect. Please
   double-check your password.</div>`` below the form.
3. The right one answers ``{"authenticated": true}`` and the script opens ``/accounts/onetap/?next=/``:
   "Save your login info?" with "Save info" (a ``<button>``) and "Not now" (a ``<div role=button>``)
   (**interstitial**, first).
4. Then the feed ``/``, with a second interstitial on top of it: a ``role="dialog" aria-modal="true"``
   "Turn on Notifications" with "Turn On" / "Not Now" (both ``<div role=button>``). Dismissing it is
   remembered for the session (``POST /api/v1/web/push/prompt/dismiss/``).

The XHR only hands over a one-time login cookie; the first page it opens (``/accounts/onetap/``) turns
that into ``sessionid``, so the no-session variant still shows a signed-in interstitial.
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
    js_value,
    json_response,
    redirect,
    safe_next,
)
from tests.sites.real import Scenario

RENDER_DELAY_MS = 500
USER_ID = "51734268019"
PASSWORD_PREFIX = "#PWD_INSTAGRAM_BROWSER:"

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/18px -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #000; background: #fff; }
a { color: #00376b; text-decoration: none; }
#splash-screen { position: fixed; inset: 0; display: grid; place-items: center; background: #fff; }
#splash-screen .glyph { width: 80px; height: 80px; border-radius: 22px; background: radial-gradient(circle at 30% 107%, #fdf497 0%, #fd5949 45%, #d6249f 60%, #285aeb 90%); }
.wordmark { font-family: 'Brush Script MT', 'Segoe Script', cursive; font-size: 40px; line-height: 1.2; color: #000; letter-spacing: .5px; }
._ab1y { display: flex; justify-content: center; gap: 32px; margin: 32px auto 0; max-width: 935px; padding-bottom: 32px; }
._aa5e { width: 380px; height: 581px; border-radius: 36px; background: linear-gradient(160deg, #feda75, #fa7e1e 30%, #d62976 55%, #962fbf 75%, #4f5bd5); position: relative; }
._aa5e::after { content: ""; position: absolute; inset: 18px 60px 18px 18px; border-radius: 26px; background: #fff; opacity: .25; }
._ab21 { width: 350px; }
._ab3b { border: 1px solid #dbdbdb; padding: 10px 40px 24px; text-align: center; margin-bottom: 10px; }
._ab3b .wordmark { margin: 26px 0 18px; }
._aa48 { position: relative; margin: 0 0 6px; display: block; border: 1px solid #dbdbdb; border-radius: 3px; background: #fafafa; }
._aa4a { position: absolute; left: 8px; top: 10px; font-size: 12px; color: #737373; pointer-events: none; transition: transform .1s; transform-origin: left; }
._aa48 input:not(:placeholder-shown) + ._aa4a, ._aa48 input:focus + ._aa4a { transform: scale(.83) translateY(-10px); }
._aa4b { width: 100%; border: 0; background: transparent; padding: 14px 8px 4px; font-size: 12px; outline: none; }
._aa4d { position: absolute; right: 8px; top: 8px; } ._aa4d button { border: 0; background: none; font-weight: 600; cursor: pointer; font-size: 14px; }
._acan { border: 0; border-radius: 8px; cursor: pointer; font-weight: 600; font-size: 14px; padding: 7px 16px; }
._acap { background: #0095f6; color: #fff; width: 100%; margin-top: 8px; } ._acap:disabled { opacity: .7; cursor: default; }
._acao { background: none; color: #385185; }
._ab39 { display: flex; align-items: center; gap: 16px; margin: 14px 0 22px; color: #737373; font-size: 13px; font-weight: 600; }
._ab39::before, ._ab39::after { content: ""; flex: 1; border-top: 1px solid #dbdbdb; }
._ab2z { color: #ed4956; font-size: 14px; line-height: 18px; margin: 10px 0; text-align: center; }
._ab3c { display: block; font-size: 12px; margin-top: 12px; }
._ab3e { border: 1px solid #dbdbdb; padding: 20px; text-align: center; margin-bottom: 10px; } ._ab3e a { color: #0095f6; font-weight: 600; }
._ab3f { text-align: center; } ._ab3f .badges { display: flex; justify-content: center; gap: 8px; margin-top: 14px; }
._ab3f .badges a { background: #000; color: #fff; border-radius: 6px; padding: 8px 12px; font-size: 12px; }
footer._ab1x { max-width: 1066px; margin: 0 auto; padding: 0 16px 52px; color: #737373; font-size: 12px; text-align: center; }
footer._ab1x nav { display: flex; flex-wrap: wrap; justify-content: center; gap: 6px 16px; margin-bottom: 12px; } footer._ab1x a { color: #737373; }
footer._ab1x select { border: 0; background: none; color: #737373; font-size: 12px; }
.spinner { display: inline-block; width: 14px; height: 14px; border: 2px solid #fff; border-top-color: transparent; border-radius: 50%; animation: spin .7s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
/* signed in */
.x1n2onr6 { display: grid; grid-template-columns: 244px 1fr; min-height: 100vh; }
.x1n2onr6 > nav { border-right: 1px solid #dbdbdb; padding: 24px 12px; position: relative; }
.x1n2onr6 > nav .wordmark { font-size: 28px; padding: 0 12px 20px; display: block; }
.x1n2onr6 > nav a, .x1n2onr6 > nav [role=button] { display: flex; gap: 14px; align-items: center; padding: 12px; border-radius: 8px; color: #000; font-size: 16px; cursor: pointer; }
.x1n2onr6 > nav a:hover, .x1n2onr6 > nav [role=button]:hover { background: #f2f2f2; }
.pfp { width: 24px; height: 24px; border-radius: 50%; background: linear-gradient(45deg, #f09433, #bc1888); display: inline-block; }
.pfp.big { width: 56px; height: 56px; }
._more-menu { position: absolute; left: 12px; bottom: 72px; width: 266px; background: #fff; border-radius: 16px; box-shadow: 0 4px 12px rgba(0,0,0,.15); padding: 8px; z-index: 5; }
._more-menu a, ._more-menu [role=button] { padding: 14px 16px !important; font-size: 14px !important; }
.x1n2onr6 > main { display: flex; justify-content: center; gap: 64px; }
._aak6 { width: 320px; margin-top: 36px; font-size: 14px; } ._aak8 { display: flex; gap: 12px; align-items: center; } ._aak9 { margin-left: auto; color: #0095f6; font-weight: 600; cursor: pointer; }
._aaka { color: #737373; font-weight: 600; display: flex; justify-content: space-between; } ._aakb { list-style: none; padding: 0; line-height: 2.4; }
.feed { width: 630px; margin: 24px 0; } .stories { display: flex; gap: 16px; margin-bottom: 24px; } .stories span { text-align: center; font-size: 12px; }
.stories .ring { display: block; width: 64px; height: 64px; border-radius: 50%; background: conic-gradient(#feda75, #fa7e1e, #d62976, #962fbf, #4f5bd5, #feda75); margin-bottom: 4px; }
.post { border-bottom: 1px solid #dbdbdb; padding-bottom: 16px; margin-bottom: 16px; } .post .photo { height: 360px; border-radius: 4px; background: #efefef; margin: 10px 0; }
/* interstitials */
._onetap { max-width: 400px; margin: 60px auto; text-align: center; border: 1px solid #dbdbdb; padding: 32px 40px; }
._onetap h2 { font-size: 20px; margin: 16px 0 8px; font-weight: 600; } ._onetap p { color: #737373; }
._onetap [role=button] { color: #0095f6; font-weight: 600; margin-top: 14px; cursor: pointer; }
._topbar { display: flex; align-items: center; justify-content: space-between; padding: 8px 20px; border-bottom: 1px solid #dbdbdb; position: relative; }
._topbar .wordmark { font-size: 28px; }
._topbar ._more-menu { left: auto; right: 12px; top: 52px; bottom: auto; }
._notif-layer { position: fixed; inset: 0; background: rgba(0,0,0,.65); display: grid; place-items: center; z-index: 20; }
._a9-v { width: 400px; background: #fff; border-radius: 12px; text-align: center; overflow: hidden; }
._a9-z { padding: 32px 32px 16px; } ._a9-z h2 { font-size: 20px; margin: 12px 0 8px; } ._a9-z p { color: #737373; }
._a9-- { border-top: 1px solid #dbdbdb; padding: 14px; cursor: pointer; font-size: 14px; } ._a9_0 { color: #0095f6; font-weight: 700; }
"""

LOGIN_VIEW = """
<section class="_ab1y">
  <div class="_aa5e" aria-hidden="true"></div>
  <div class="_ab21">
    <div class="_ab3b">
      <h1 class="wordmark" aria-label="Instagram">Instagram</h1>
      <form id="loginForm" method="post">
        <div class="_ab32"><label class="_aa48">
          <input aria-label="Phone number, username, or email" aria-required="true" autocapitalize="off" autocorrect="off"
            maxlength="75" type="text" class="_aa4b _add6 _ac4d" name="username" value="" placeholder=" " autocomplete="username">
          <span class="_aa4a">Phone number, username, or email</span></label></div>
        <div class="_ab32"><label class="_aa48">
          <input aria-label="Password" aria-required="true" autocapitalize="off" autocorrect="off" type="password"
            class="_aa4b _add6 _ac4d" name="password" value="" placeholder=" " autocomplete="current-password">
          <span class="_aa4a">Password</span></label>
          <div class="_aa4d" hidden><button class="_acan _acao _acas" type="button">Show</button></div></div>
        <div class="_ab32"><button class="_acan _acap _acas _aj1-" disabled type="submit"><div class="_aacl _aaco _aacw _aad6 _aade">Log in</div></button></div>
        <div class="_ab39">OR</div>
        <div class="_ab37"><button class="_acan _acao _acas" type="button" id="fb-login"><span aria-hidden="true">ⓕ</span> Log in with Facebook</button></div>
      </form>
      <div id="slfErrorAlertContainer"></div>
      <a class="_ab3c" href="/accounts/password/reset/">Forgot password?</a>
    </div>
    <div class="_ab3e">Don't have an account? <a href="/accounts/emailsignup/">Sign up</a></div>
    <div class="_ab3f"><p>Get the app.</p><div class="badges"><a href="/apps/android">Get it on Google Play</a><a href="/apps/ios">Download on the App Store</a></div></div>
  </div>
</section>"""

LOGIN_SCRIPT = r"""
(function () {
  "use strict";
  var next = new URLSearchParams(location.search).get("next") || "/";
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  var MESSAGES = {
    password: "Sorry, your password was incorrect. Please double-check your password.",
    user: "The username you entered doesn't belong to an account. Please check your username and try again.",
    other: "There was a problem logging you into Instagram. Please try again soon.",
  };
  function showError(text) {
    var box = document.getElementById("slfErrorAlertContainer");
    box.innerHTML = '<div class="_ab2z" id="slfErrorAlert" role="alert" aria-atomic="true"></div>';
    box.firstChild.textContent = text;
  }
  function mount() {
    document.getElementById("splash-screen").remove();
    var root = document.getElementById("mount_0_0_iG");
    root.innerHTML = window.__IG_LOGIN_VIEW__;
    var form = document.getElementById("loginForm");
    var user = form.elements.username, pass = form.elements.password;
    var submit = form.querySelector("button[type=submit]");
    var show = form.querySelector("._aa4d");
    function update() {
      submit.disabled = !(user.value.length >= 1 && pass.value.length >= 6);
      show.hidden = !pass.value;
    }
    user.addEventListener("input", update);
    pass.addEventListener("input", update);
    show.querySelector("button").addEventListener("click", function () {
      pass.type = pass.type === "password" ? "text" : "password";
      this.textContent = pass.type === "password" ? "Show" : "Hide";
    });
    document.getElementById("fb-login").addEventListener("click", function () { location.assign("/accounts/facebook/"); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (submit.disabled) return;
      submit.disabled = true;
      var label = submit.innerHTML;
      submit.innerHTML = '<span class="spinner" role="progressbar" aria-label="Loading..."></span>';
      var body = new URLSearchParams({
        enc_password: "#PWD_INSTAGRAM_BROWSER:0:" + Math.floor(Date.now() / 1000) + ":" + pass.value,
        username: user.value.trim(),
        queryParams: "{}",
        optIntoOneTap: "false",
        trustedDeviceRecords: "{}",
      });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/web/accounts/login/ajax/");
      xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
      xhr.setRequestHeader("X-CSRFToken", cookie("csrftoken"));
      xhr.setRequestHeader("X-IG-App-ID", "1217981644879628");
      xhr.setRequestHeader("X-Instagram-AJAX", "1");
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = {}; }
        if (xhr.status === 200 && data.authenticated) {
          location.assign("/accounts/onetap/?next=" + encodeURIComponent(next));
          return;
        }
        submit.innerHTML = label;
        update();
        showError(xhr.status !== 200 ? MESSAGES.other : data.user ? MESSAGES.password : MESSAGES.user);
      };
      xhr.onerror = function () { submit.innerHTML = label; update(); showError(MESSAGES.other); };
      xhr.send(body.toString());
    });
  }
  setTimeout(mount, window.__IG_RENDER_DELAY__);
})();
"""

SIGNED_IN_SCRIPT = r"""
(function () {
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function post(url) {
    return fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": cookie("csrftoken"), "X-Requested-With": "XMLHttpRequest" } });
  }
  function activate(el, fn) {
    el.addEventListener("click", fn);
    el.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); fn(); } });
  }
  document.querySelectorAll("[data-more]").forEach(function (b) {
    activate(b, function () { var m = document.getElementById("more-menu"); m.hidden = !m.hidden; b.setAttribute("aria-expanded", String(!m.hidden)); });
  });
  document.querySelectorAll("[data-logout]").forEach(function (b) { activate(b, function () { location.assign("/accounts/logout/"); }); });
  var onetap = document.getElementById("onetap");
  if (onetap) {
    var next = onetap.dataset.next;
    activate(document.getElementById("save-info"), function () { post("/api/v1/web/accounts/save_login_info/").then(function () { location.assign(next); }); });
    activate(document.getElementById("not-now"), function () { location.assign(next); });
  }
  var layer = document.getElementById("notif-layer");
  if (layer) {
    var done = function () { post("/api/v1/web/push/prompt/dismiss/").then(function () { layer.remove(); }); };
    activate(layer.querySelector("[data-action=on]"), function () {
      try { if (window.Notification) Notification.requestPermission(); } catch (e) { /* not offered */ }
      done();
    });
    activate(layer.querySelector("[data-action=off]"), done);
  }
})();
"""

FOOTER = """
<footer class="_ab1x"><nav aria-label="Footer">
  <a href="/about">Meta</a><a href="/about">About</a><a href="/blog">Blog</a><a href="/jobs">Jobs</a><a href="/help">Help</a><a href="/docs">API</a>
  <a href="/privacy">Privacy</a><a href="/terms">Terms</a><a href="/explore/locations/">Locations</a><a href="/web/lite/">Instagram Lite</a>
  <a href="/threads">Threads</a><a href="/help/contacts">Contact Uploading &amp; Non-Users</a><a href="/verified">Meta Verified</a></nav>
  <div><select aria-label="Switch Display Language"><option>English</option><option>Deutsch</option><option>Español</option><option>Français</option>
  <option>Português (Brasil)</option></select> © 2025 Instagram from Meta</div>
</footer>"""
# The feed's right column: who is signed in, "Switch", and suggestions.
RIGHT_RAIL = f"""
<aside class="_aak6" aria-label="Account">
  <div class="_aak8"><span class="pfp big" aria-hidden="true"></span><div><a href="/alice/"><b>alice</b></a><br>{accounts.DISPLAY_NAME}</div>
  <div role="button" tabindex="0" class="_aak9">Switch</div></div>
  <p class="_aaka">Suggested for you <a href="/explore/people/">See All</a></p>
  <ul class="_aakb"><li>filmclub · Followed by mara.k</li><li>tomnook · New to Instagram</li><li>bea · Suggested for you</li></ul>
</aside>"""

SIDE_PAGES = {
    "/accounts/password/reset/": ("Trouble logging in?", "Enter your email, phone, or username and we'll send you a link to get back into your account."),
    "/accounts/emailsignup/": ("Sign up to see photos and videos from your friends.", "Sign-ups are closed in this sandbox."),
    "/accounts/facebook/": ("Log in with Facebook", "Facebook login isn't available right now. Try again later."),
}


class InstagramSite(Site):
    hosts = ("instagram.localhost",)
    brand = "Instagram"
    session_cookie = "sessionid"
    flow_cookie = "ig_login_handoff"
    identifier_key = "username"
    logout_label = "Log out"

    scenario = Scenario(
        host="instagram.localhost",
        modelled_on="Instagram",
        shapes=("late_spa", "interstitial", "form"),
        values={"username": accounts.USERNAME, "password": accounts.PASSWORD},
        path=None,
        notes=(
            "The root is the login app; the form renders ~0.5 s after load; 'Log in' is disabled until a username and a "
            "6+ character password are typed; XHR form-encoded login with X-CSRFToken; then two interstitials in a row: "
            "'Save your login info?' (Not now = div role=button) and a 'Turn on Notifications' dialog over the feed."
        ),
    )

    # --- routing

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                session = self.session(req)
                return self.feed(req, session) if session else self.login_app(req)
            case "GET", "/accounts/login/" | "/accounts/login":
                if self.session(req):
                    return redirect(safe_next(req.query.get("next"), "/"))
                return self.login_app(req)
            case "POST", "/api/v1/web/accounts/login/ajax/":
                return self.login_ajax(req)
            case "GET", "/accounts/onetap/":
                return self.onetap(req)
            case "POST", "/api/v1/web/accounts/save_login_info/":
                return self.flag(req, "saved_login")
            case "POST", "/api/v1/web/push/prompt/dismiss/":
                return self.flag(req, "notifications_prompted")
            case "GET", "/accounts/logout/":
                response = redirect("/")
                self.sign_out(req, response)
                response.delete_cookie("ds_user_id")
                return response
            case "GET", "/alice/":
                session = self.session(req)
                if not session:
                    return redirect("/accounts/login/?" + urlencode({"next": "/alice/"}))
                main = (
                    '<div class="feed"><span class="pfp big"></span><h2>alice</h2><p><b>128</b> posts · <b>1,024</b> followers · '
                    f"<b>312</b> following</p><p>{esc(accounts.DISPLAY_NAME)} · coffee, trains and film photos</p></div>"
                )
                return self.signed_in(f"{accounts.DISPLAY_NAME} (@alice) • Instagram photos and videos", main, session)
        if req.method == "GET" and req.path in SIDE_PAGES:
            title, text = SIDE_PAGES[req.path]
            return self.render(f"{title} • Instagram", f"<h2>{esc(title)}</h2><p>{esc(text)}</p>", self.session(req))
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            return self._signed_in_document(title, f'<div class="feed">{main}</div>', session)
        body = f'<div style="max-width:600px;margin:60px auto">{main}<p><a href="/accounts/login/">Log in</a></p></div>{FOOTER}'
        return document(title, body, css=CSS)

    # --- signed out: the login app

    def login_app(self, req: Request) -> Response:
        body = (
            '<div id="splash-screen" aria-hidden="true"><div class="glyph"></div></div>'
            '<div id="mount_0_0_iG"></div>'
            f"{FOOTER}"
            f"<script>window.__IG_LOGIN_VIEW__ = {js_value(LOGIN_VIEW)}; window.__IG_RENDER_DELAY__ = {RENDER_DELAY_MS};</script>"
            f"<script>{LOGIN_SCRIPT}</script>"
        )
        response = html_response(document("Instagram", body, css=CSS))
        if not req.cookies.get("csrftoken"):
            response.set_cookie("csrftoken", secrets.token_urlsafe(24), max_age=365 * 86400, http_only=False)
        if not req.cookies.get("mid"):
            response.set_cookie("mid", secrets.token_urlsafe(20), max_age=400 * 86400)
            response.set_cookie("ig_did", secrets.token_hex(16).upper(), max_age=400 * 86400)
        return response

    def _csrf_ok(self, req: Request) -> bool:
        cookie = req.cookies.get("csrftoken", "")
        return bool(cookie) and secrets.compare_digest(cookie, req.headers.get("x-csrftoken", ""))

    def login_ajax(self, req: Request) -> Response:
        if not self._csrf_ok(req):
            return json_response({"message": "CSRF token missing or incorrect", "status": "fail"}, 403)
        username = req.form.get("username", "").strip()
        enc = req.form.get("enc_password", "")
        password = ""
        if enc.startswith(PASSWORD_PREFIX):
            parts = enc[len(PASSWORD_PREFIX):].split(":", 2)  # version:time:password (version 0 is plain text)
            password = parts[2] if len(parts) == 3 and parts[0] == "0" else ""
        ok = accounts.check_password(username, password)
        self.record_attempt(username, ok)
        if not ok:
            return json_response({"user": accounts.is_user(username), "authenticated": False, "status": "ok"})
        response = json_response({"user": True, "userId": USER_ID, "authenticated": True, "oneTapPrompt": True, "status": "ok"})
        self.end_flow(req, response)
        self.start_flow(response, accounts.USERNAME)
        return response

    # --- signed in

    def _signed_in_document(self, title: str, main: str, session: Session, *, extra: str = "", compact: bool = False) -> str:
        more = (
            '<div class="_more-menu" id="more-menu" role="menu" hidden>'
            '<a role="menuitem" href="/accounts/edit/">Settings</a><a role="menuitem" href="/your_activity/">Your activity</a>'
            '<a role="menuitem" href="/alice/saved/">Saved</a><div role="menuitem" tabindex="0">Switch appearance</div>'
            '<div role="menuitem" tabindex="0">Report a problem</div><div role="menuitem" tabindex="0">Switch accounts</div>'
            '<div role="button" tabindex="0" data-logout>Log out</div></div>'
        )
        if compact:
            body = (
                '<header class="_topbar"><span class="wordmark" aria-label="Instagram">Instagram</span>'
                '<div role="button" tabindex="0" data-more aria-haspopup="menu" aria-expanded="false" aria-label="Settings">'
                f'<span class="pfp" aria-hidden="true"></span> alice</div>{more}</header>{main}{extra}'
            )
        else:
            links = "".join(
                f'<a href="{href}">{icon} <span>{label}</span></a>'
                for href, icon, label in (
                    ("/", "⌂", "Home"), ("/explore/search/", "⌕", "Search"), ("/explore/", "◎", "Explore"),
                    ("/reels/", "▶", "Reels"), ("/direct/inbox/", "✉", "Messages"), ("/notifications/", "♡", "Notifications"),
                    ("/create/", "⊕", "Create"),
                )
            )
            body = (
                '<div class="x1n2onr6"><nav aria-label="Primary"><a class="wordmark" href="/" aria-label="Instagram">Instagram</a>'
                f'{links}<a href="/alice/"><span class="pfp" role="img" aria-label="alice\'s profile picture"></span> <span>Profile</span></a>'
                '<div role="button" tabindex="0" data-more aria-haspopup="menu" aria-expanded="false">≡ <span>More</span></div>'
                f"{more}</nav><main>{main}{RIGHT_RAIL}</main></div>{extra}"
            )
        return document(title, f"{body}<script>{SIGNED_IN_SCRIPT}</script>", css=CSS, body_attrs=LOGGED_IN)

    def signed_in(self, title: str, main: str, session: Session, *, extra: str = "", compact: bool = False) -> Response:
        return html_response(self._signed_in_document(title, main, session, extra=extra, compact=compact))

    def onetap(self, req: Request) -> Response:
        next_path = safe_next(req.query.get("next"), "/")
        session = self.session(req)
        response: Response | None = None
        if not session:
            if not self.flow(req):
                return redirect("/accounts/login/?" + urlencode({"next": next_path}))
            response = Response()
            self.end_flow(req, response)
            session = self.sign_in(response)
            response.set_cookie("ds_user_id", USER_ID, max_age=90 * 86400, http_only=False)
        main = f"""
<div class="_onetap" id="onetap" data-next="{esc(next_path)}">
  <span class="pfp big" role="img" aria-label="alice's profile picture"></span>
  <h2>Save your login info?</h2>
  <p>We can save your login info on this browser so you don't need to enter it again.</p>
  <button class="_acan _acap _acas _aj1-" type="button" id="save-info">Save info</button>
  <div class="x1i10hfl _acan _acao _acas" role="button" tabindex="0" id="not-now">Not now</div>
</div>"""
        page = self.signed_in("Instagram", main, session, compact=True)
        if response is not None:
            page.headers = response.headers + page.headers
        return page

    def flag(self, req: Request, key: str) -> Response:
        session = self.session(req)
        if not session or not self._csrf_ok(req):
            return json_response({"status": "fail", "message": "login_required"}, 403)
        session.data[key] = True
        return json_response({"status": "ok"})

    def feed(self, req: Request, session: Session) -> Response:
        stories = "".join(f'<span><i class="ring"></i>{name}</span>' for name in ("mara.k", "tomnook", "filmclub", "sunny.d", "bea"))
        posts = "".join(
            f'<article class="post"><b>{who}</b> · {when}<div class="photo" role="img" aria-label="Photo by {who}"></div>'
            f"<p>♡ {likes} likes</p><p><b>{who}</b> {caption}</p></article>"
            for who, when, likes, caption in (
                ("filmclub", "2h", "1,204", "Portra 400 in late light."),
                ("mara.k", "5h", "88", "Sunday market haul 🍋"),
            )
        )
        main = f'<div class="feed"><div class="stories">{stories}</div>{posts}</div>'
        prompt = ""
        if not session.data.get("notifications_prompted"):
            prompt = """
<div class="_notif-layer" id="notif-layer"><div class="_a9-v" role="dialog" aria-modal="true" aria-labelledby="notif-title">
  <div class="_a9-z"><div aria-hidden="true" style="font-size:48px">🔔</div><h2 id="notif-title">Turn on Notifications</h2>
  <p>Know right away when people follow you or like and comment on your photos.</p></div>
  <div role="button" tabindex="0" class="_a9-- _ap36 _a9_0" data-action="on">Turn On</div>
  <div role="button" tabindex="0" class="_a9-- _ap36 _a9_1" data-action="off">Not Now</div>
</div></div>"""
        return self.signed_in("Instagram", main, session, extra=prompt)
