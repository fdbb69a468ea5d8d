"""twitch.localhost — modelled on Twitch's web login (the front page's "Log In" modal).

Steps, as a person meets them:

1. ``/`` is the front page (recommended channels, live carousel). Its header's "Log In" is a
   ``<button data-a-target="login-button">`` whose text is nested two ``<div>`` deep
   (``<div data-a-target="tw-core-button-label-text">Log In</div>``) (**entry_point**). Clicking it
   builds a modal: ``role="dialog" aria-modal="true"`` over a ``.ReactModal__Overlay``, with "Log In" /
   "Sign Up" tabs. (``/login`` is the same front page with the modal already open, as on Twitch.)
2. In the modal, ``<form action="#" method="post">`` (**form**) holds ``#login-username`` and
   ``#password-input`` — React-controlled inputs with **no name attribute** — "Trouble logging in?" and
   a nested-text "Log In" submit button. The script posts JSON to ``/passport/login``.
3. A wrong password fills the modal's ``aria-live="assertive"`` region with "That password was
   incorrect. Please try again." (**site_error**).
4. The right one answers ``{"redirect_path": "/device/trust?…"}`` and the script opens it: "Remember
   this browser?" — "Trust this device for 30 days…" with "Trust" / "Don't trust" (**interstitial**).
   Either choice sets the ``auth-token`` session (30 days when trusted, a browser session
   otherwise) and lands on ``/``, now signed in (avatar menu: "alice", Settings, "Log Out").
"""

from __future__ import annotations

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

CLIENT_ID = "sbx7twitchweb0client0id3x9q2"
TRUST_DAYS = 30

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.5 Inter, Roobert, 'Helvetica Neue', Helvetica, Arial, sans-serif; background: #0e0e10; color: #efeff1; }
a { color: #bf94ff; text-decoration: none; }
.top-nav { display: flex; align-items: center; gap: 20px; height: 50px; padding: 0 10px; background: #18181b; box-shadow: 0 1px 2px rgba(0,0,0,.9); position: relative; z-index: 3; }
.top-nav .glitch { width: 28px; height: 28px; background: #9147ff; clip-path: polygon(10% 0, 100% 0, 100% 60%, 75% 85%, 55% 85%, 40% 100%, 28% 100%, 28% 85%, 0 85%, 0 20%); }
.top-nav .links a { color: #efeff1; font-size: 18px; font-weight: 600; margin-right: 18px; }
.top-nav .search { flex: 1; display: flex; justify-content: center; } .top-nav .search input { width: 380px; background: #0e0e10; border: 2px solid #323239; color: #efeff1; border-radius: 6px 0 0 6px; padding: 6px 10px; }
.top-nav .search button { border: 0; background: #2f2f35; color: #efeff1; border-radius: 0 6px 6px 0; width: 34px; }
.top-nav .end { display: flex; gap: 10px; align-items: center; }
.ScCoreButton-sc-ocjdkq-0 { border: 0; border-radius: 4px; height: 30px; padding: 0 10px; font: 600 13px Inter, sans-serif; cursor: pointer; background: #2f2f35; color: #efeff1; }
.ScCoreButton-sc-ocjdkq-0.primary { background: #9147ff; color: #fff; } .ScCoreButton-sc-ocjdkq-0.block { width: 100%; height: 36px; }
.ScCoreButton-sc-ocjdkq-0:disabled { opacity: .5; }
.layout { display: grid; grid-template-columns: 240px 1fr; min-height: calc(100vh - 50px); }
.side-nav { background: #1f1f23; padding: 10px; } .side-nav h2 { font-size: 13px; text-transform: uppercase; color: #adadb8; }
.side-nav a { display: flex; justify-content: space-between; padding: 6px 4px; color: #efeff1; } .side-nav a small { color: #adadb8; } .side-nav .live { color: #eb0400; }
.front { padding: 30px; } .carousel { height: 300px; border-radius: 6px; background: linear-gradient(120deg, #3a2a5e, #1f1f23); display: grid; place-items: center; font-size: 20px; margin-bottom: 24px; }
.grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; } .grid div { background: #1f1f23; border-radius: 6px; padding: 12px; }
.grid .thumb { height: 110px; background: #323239; border-radius: 4px; margin-bottom: 8px; }
.signup-banner { position: fixed; bottom: 0; left: 0; right: 0; background: #772ce8; color: #fff; padding: 10px 24px; display: flex; justify-content: space-between; align-items: center; }
.ReactModal__Overlay { position: fixed; inset: 0; z-index: 5000; background: rgba(0,0,0,.75); display: grid; place-items: center; }
.ReactModal__Content { width: 400px; background: #18181b; border-radius: 6px; padding: 30px; position: relative; outline: none; box-shadow: 0 4px 16px rgba(0,0,0,.6); }
.modal-header { text-align: center; } .modal-header h4 { font-size: 24px; margin: 10px 0 16px; }
.tabs { display: flex; gap: 16px; list-style: none; padding: 0; margin: 0 0 18px; border-bottom: 1px solid #323239; }
.tabs button { background: none; border: 0; color: #adadb8; font: 600 14px Inter, sans-serif; padding: 6px 0; cursor: pointer; }
.tabs button[aria-selected=true] { color: #bf94ff; border-bottom: 2px solid #bf94ff; }
.field { margin-bottom: 16px; } .field label { display: block; font-weight: 600; margin-bottom: 4px; }
.tw-input { width: 100%; background: #0e0e10; border: 2px solid #464649; border-radius: 4px; color: #efeff1; padding: 6px 10px; font-size: 14px; }
.tw-input:focus { border-color: #a970ff; outline: none; } .pw-wrap { position: relative; } .pw-wrap button { position: absolute; right: 6px; top: 5px; background: none; border: 0; color: #adadb8; cursor: pointer; }
.trouble { display: block; margin: -6px 0 18px; font-size: 12px; }
.passport-error:not(:empty) { background: #2f1a1a; border-left: 4px solid #eb0400; padding: 10px 12px; margin-bottom: 16px; color: #efeff1; }
.modal-close { position: absolute; top: 8px; right: 10px; background: none; border: 0; color: #adadb8; font-size: 20px; cursor: pointer; }
.switch { text-align: center; margin-top: 16px; } .switch button { background: none; border: 0; color: #bf94ff; cursor: pointer; font: inherit; }
.trust-card { width: 420px; margin: 80px auto; background: #18181b; border-radius: 6px; padding: 30px; text-align: center; }
.trust-card h1 { font-size: 22px; } .trust-card p { color: #adadb8; } .trust-card .actions { display: flex; gap: 10px; margin-top: 20px; }
.user-menu { position: relative; } .user-menu > button { background: none; border: 0; cursor: pointer; padding: 0; }
.user-menu .avatar { display: inline-grid; place-items: center; width: 30px; height: 30px; border-radius: 50%; background: #00c8af; color: #0e0e10; font-weight: 700; }
.user-menu [role=menu] { position: absolute; right: 0; top: 40px; width: 250px; background: #18181b; border-radius: 6px; box-shadow: 0 4px 12px rgba(0,0,0,.8); padding: 10px; }
.user-menu [role=menu] a, .user-menu [role=menu] button { display: block; width: 100%; text-align: left; padding: 6px 8px; background: none; border: 0; color: #efeff1; font: inherit; cursor: pointer; }
.user-menu .who { display: flex; gap: 10px; align-items: center; padding: 6px 8px 12px; border-bottom: 1px solid #323239; margin-bottom: 6px; font-weight: 600; }
"""

MODAL_SCRIPT = r"""
(function () {
  "use strict";
  var CLIENT_ID = window.__TW_CLIENT_ID__;
  function openModal(tab) {
    if (document.querySelector(".ReactModalPortal")) return;
    var portal = document.createElement("div");
    portal.className = "ReactModalPortal";
    portal.innerHTML =
      '<div class="ReactModal__Overlay ReactModal__Overlay--after-open">' +
      '<div aria-modal="true" class="ReactModal__Content ReactModal__Content--after-open" role="dialog" tabindex="-1" aria-labelledby="modal-root-header">' +
      '<div data-a-target="passport-modal">' +
      '<div class="modal-header"><i aria-hidden="true">▮▮</i><h4 id="modal-root-header">Log in to Twitch</h4></div>' +
      '<ul class="tabs" role="tablist"><li><button role="tab" aria-selected="true" data-a-target="passport-login-tab" type="button">Log In</button></li>' +
      '<li><button role="tab" aria-selected="false" data-a-target="passport-signup-tab" type="button">Sign Up</button></li></ul>' +
      '<div class="passport-error" aria-live="assertive" data-a-target="passport-error-region"></div>' +
      '<form action="#" method="post" novalidate>' +
      '<div class="field"><label for="login-username">Username</label>' +
      '<input aria-label="Enter your username" autocapitalize="off" autocorrect="off" autocomplete="username" id="login-username" ' +
      'spellcheck="false" type="text" class="ScInputBase-sc-vu7u7d-0 tw-input" value=""></div>' +
      '<div class="field"><label for="password-input">Password</label><div class="pw-wrap">' +
      '<input aria-label="Enter your password" autocomplete="current-password" id="password-input" type="password" class="ScInputBase-sc-vu7u7d-0 tw-input" value="">' +
      '<button type="button" aria-label="Show password" data-a-target="show-password">👁</button></div></div>' +
      '<a class="trouble" data-test-selector="forgot-password" href="/user/account-recovery">Trouble logging in?</a>' +
      '<button data-a-target="passport-login-button" type="submit" class="ScCoreButton-sc-ocjdkq-0 primary block">' +
      '<div class="ScCoreButtonLabel-sc-s7h2b7-0"><div data-a-target="tw-core-button-label-text">Log In</div></div></button>' +
      "</form>" +
      '<div class="switch"><button type="button" data-a-target="passport-signup-button">Don\'t have an account? Sign up</button></div>' +
      "</div>" +
      '<button type="button" class="modal-close" aria-label="Close" data-a-target="modalClose">×</button>' +
      "</div></div>";
    document.body.appendChild(portal);
    var form = portal.querySelector("form");
    var user = portal.querySelector("#login-username"), pass = portal.querySelector("#password-input");
    var submit = portal.querySelector("[data-a-target=passport-login-button]");
    var errorRegion = portal.querySelector("[aria-live=assertive]");
    function close() { portal.remove(); document.removeEventListener("keydown", onKey); if (location.pathname === "/login") history.replaceState(null, "", "/"); }
    function onKey(e) { if (e.key === "Escape") close(); }
    document.addEventListener("keydown", onKey);
    portal.querySelector("[data-a-target=modalClose]").addEventListener("click", close);
    portal.querySelector(".ReactModal__Overlay").addEventListener("mousedown", function (e) { if (e.target === e.currentTarget) close(); });
    portal.querySelector("[data-a-target=show-password]").addEventListener("click", function () { pass.type = pass.type === "password" ? "text" : "password"; });
    var signup = function () { location.assign("/signup"); };
    portal.querySelector("[data-a-target=passport-signup-tab]").addEventListener("click", signup);
    portal.querySelector("[data-a-target=passport-signup-button]").addEventListener("click", signup);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      errorRegion.innerHTML = "";
      submit.disabled = true;
      fetch("/passport/login", {
        method: "POST", credentials: "include", headers: { "Content-Type": "text/plain;charset=UTF-8" },
        body: JSON.stringify({ username: user.value.trim(), password: pass.value, client_id: CLIENT_ID, undelete_user: false, remember_me: true }),
      }).then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); }).then(function (res) {
        if (res.ok && res.data.redirect_path) { location.assign(res.data.redirect_path); return; }
        submit.disabled = false;
        var messages = { 3001: "That password was incorrect. Please try again.", 3003: "This username does not exist." };
        errorRegion.innerHTML = '<div class="ScCoreAlertBanner" data-a-target="tw-core-alert-banner"><strong></strong></div>';
        errorRegion.querySelector("strong").textContent = messages[res.data.error_code] || "Something went wrong. Please try again.";
        pass.value = "";
        pass.focus();
      }).catch(function () { submit.disabled = false; });
    });
    setTimeout(function () { user.focus(); }, 0);
  }
  var login = document.querySelector("[data-a-target=login-button]");
  if (login) login.addEventListener("click", function () { openModal("login"); });
  var signupButton = document.querySelector("[data-a-target=signup-button]");
  if (signupButton) signupButton.addEventListener("click", function () { location.assign("/signup"); });
  if (window.__TW_OPEN_LOGIN__) openModal("login");
})();
"""


def _button(label: str, target: str, cls: str = "") -> str:
    """Twitch's core button: the label two <div>s deep."""
    return (
        f'<button class="ScCoreButton-sc-ocjdkq-0 {cls}" data-a-target="{target}" data-test-selector="anon-user-menu__{target}">'
        f'<div class="ScCoreButtonLabel-sc-s7h2b7-0"><div data-a-target="tw-core-button-label-text" class="Layout-sc-1xcs6mc-0">'
        f"{esc(label)}</div></div></button>"
    )


class TwitchSite(Site):
    hosts = ("twitch.localhost",)
    brand = "Twitch"
    session_cookie = "auth-token"
    flow_cookie = "passport_pending"
    identifier_key = "username"
    logout_label = "Log Out"

    scenario = Scenario(
        host="twitch.localhost",
        modelled_on="Twitch",
        shapes=("entry_point", "form", "site_error", "interstitial"),
        values={"username": accounts.USERNAME, "password": accounts.PASSWORD},
        path=None,
        notes=(
            "No login form until the header's 'Log In' (text nested in two divs) opens an aria-modal dialog; the form "
            "has action='#' and nameless inputs, sent by fetch; the error is an aria-live=assertive region; then "
            "'Remember this browser?' with Trust / Don't trust."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.front(req)
            case "GET", "/login":
                return redirect("/") if self.session(req) else self.front(req, open_login=True)
            case "POST", "/passport/login":
                return self.passport_login(req)
            case "GET", "/device/trust":
                return self.trust_page(req)
            case "POST", "/device/trust":
                return self.trust_submit(req)
            case "GET", "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                response.delete_cookie("login")
                return response
            case "GET", "/user/account-recovery":
                main = (
                    "<div class='trust-card'><h1>Trouble logging in?</h1><p>Enter your email or phone number to find your "
                    "username or reset your password.</p><input class='tw-input' type='text' placeholder='Email or phone'>"
                    "<p><a href='/login'>Back to log in</a></p></div>"
                )
                return self.render("Account recovery - Twitch", main, self.session(req))
        return None

    # --- chrome

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            end = (
                '<button class="ScCoreButton-sc-ocjdkq-0" aria-label="Notifications">🔔</button>'
                '<button class="ScCoreButton-sc-ocjdkq-0" aria-label="Whispers">💬</button>'
                '<button class="ScCoreButton-sc-ocjdkq-0">Get Bits</button>'
                '<div class="user-menu"><button type="button" data-a-target="user-menu-toggle" aria-label="Open user menu" aria-haspopup="menu" '
                "onclick=\"var m=this.nextElementSibling;m.hidden=!m.hidden\"><span class=\"avatar\">a</span></button>"
                '<div role="menu" hidden><div class="who"><span class="avatar">a</span><span data-a-target="user-display-name">alice</span></div>'
                '<a role="menuitem" href="/alice">Channel</a><a role="menuitem" href="/dashboard">Creator Dashboard</a>'
                '<a role="menuitem" href="/wallet">Wallet</a><a role="menuitem" href="/settings/profile">Settings</a>'
                '<a role="menuitem" href="/logout" data-a-target="dropdown-logout">Log Out</a></div></div>'
            )
        else:
            end = (
                '<button class="ScCoreButton-sc-ocjdkq-0" aria-label="Get Ad-Free for Turbo">Go Ad-Free</button>'
                + _button("Log In", "login-button")
                + _button("Sign Up", "signup-button", "primary")
                + '<button class="ScCoreButton-sc-ocjdkq-0" aria-label="User menu">☺</button>'
            )
        body = (
            '<nav class="top-nav" aria-label="Top Nav"><a href="/" aria-label="Twitch Home"><i class="glitch"></i></a>'
            '<div class="links"><a href="/directory/following">Following</a><a href="/directory">Browse</a></div>'
            '<div class="search" role="search"><input type="search" placeholder="Search" aria-label="Search Input" autocomplete="off">'
            f'<button type="button" aria-label="Search Button">⌕</button></div><div class="end">{end}</div></nav>\n{main}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, main, session), status)

    # --- pages

    def front(self, req: Request, *, open_login: bool = False) -> Response:
        session = self.session(req)
        channels = "".join(
            f'<a href="/{name}">{name} <small><span class="live">●</span> {viewers}</small></a>'
            for name, viewers in (("speedrunner_sam", "12.4K"), ("chess_with_ana", "3.1K"), ("lofi_beats", "8.9K"), ("pixelpainter", "640"))
        )
        heading = "Followed Channels" if session else "Recommended Channels"
        cards = "".join(
            f'<div><div class="thumb"></div><b>{title}</b><br><small>{who} · {game}</small></div>'
            for title, who, game in (
                ("Any% WR attempts", "speedrunner_sam", "Celeste"), ("Sunday blitz arena", "chess_with_ana", "Chess"),
                ("beats to code to", "lofi_beats", "Music"), ("Painting a lighthouse", "pixelpainter", "Art"),
            )
        )
        welcome = f"<h1>Welcome back, {esc(accounts.USERNAME)}</h1>" if session else ""
        main = f"""
<div class="layout"><aside class="side-nav" aria-label="Side Nav"><h2>{heading}</h2>{channels}</aside>
<main class="front">{welcome}<div class="carousel">▶ speedrunner_sam is live: Any% WR attempts</div>
<h2>Live channels we think you'll like</h2><div class="grid">{cards}</div></main></div>"""
        if not session:
            main += (
                '<div class="signup-banner"><span><b>Join the Twitch community!</b> Discover the best live streams anywhere.</span>'
                f"{_button('Sign up', 'signup-banner-button', 'primary')}</div>"
                f"<script>window.__TW_CLIENT_ID__ = '{CLIENT_ID}'; window.__TW_OPEN_LOGIN__ = {'true' if open_login else 'false'};</script>"
                f"<script>{MODAL_SCRIPT}</script>"
            )
        return self.render("Twitch", main, session)

    def passport_login(self, req: Request) -> Response:
        data = req.json  # sent as text/plain JSON, like passport's fetch
        if data.get("client_id") != CLIENT_ID:
            return json_response({"error": "Bad Request", "error_code": 1000, "error_description": "client_id missing"}, 400)
        username = str(data.get("username", "")).strip()
        ok = accounts.check_password(username, str(data.get("password", "")))
        self.record_attempt(username, ok)
        if not ok:
            code = 3001 if accounts.is_user(username) else 3003
            return json_response(
                {"error": "Incorrect username or password.", "error_code": code, "error_description": "user credentials incorrect"}, 400
            )
        response = json_response({"redirect_path": "/device/trust?" + urlencode({"redirect_path": "/"})})
        self.end_flow(req, response)
        self.start_flow(response, accounts.USERNAME)
        return response

    def trust_page(self, req: Request) -> Response:
        if self.session(req):
            return redirect(safe_next(req.query.get("redirect_path"), "/"))
        if not self.flow(req):
            return redirect("/login")
        target = safe_next(req.query.get("redirect_path"), "/")
        main = f"""
<div class="trust-card" role="main">
  <h1>Remember this browser?</h1>
  <p>Trust this device for {TRUST_DAYS} days so you won't have to enter your password or a verification code the next time you log in from it.
  Only trust devices you use regularly.</p>
  <form method="post" action="/device/trust" class="actions">
    <input type="hidden" name="redirect_path" value="{esc(target)}">
    <button type="submit" name="trust" value="false" class="ScCoreButton-sc-ocjdkq-0 block">Don't trust</button>
    <button type="submit" name="trust" value="true" class="ScCoreButton-sc-ocjdkq-0 primary block">Trust</button>
  </form>
</div>"""
        return self.render("Trust this device? - Twitch", main, None)

    def trust_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        target = safe_next(req.form.get("redirect_path"), "/")
        if self.session(req):
            return redirect(target)
        if not flow:
            return redirect("/login")
        trusted = req.form.get("trust") == "true"
        response = redirect(target)
        self.end_flow(req, response)
        self.sign_in(response, persistent_days=TRUST_DAYS if trusted else None, trusted=trusted)
        response.set_cookie("login", accounts.USERNAME, max_age=TRUST_DAYS * 86400 if trusted else None, http_only=False)
        return response
