"""yahoo.localhost — modelled on Yahoo (www.yahoo.com and login.yahoo.com on one host).

Steps: the news-portal home page, whose only way to sign in is an icon-only account link
(``<a aria-label="Sign in">`` holding an SVG, no text) → ``/login``: "Username, email, or mobile"
(``#login-username``, name ``username``) with "Next" (``#login-signin``) and a "Stay signed in"
checkbox (``#persistent``, ticked by default), in a form with no ``action`` (it posts to its own URL) →
``/account/challenge/password``: the account shown as text, ``#login-passwd`` and "Next" (the page also
has a *submit* "Forgot password?" button in the same form, ``name="skip"``, as Yahoo's does) → a nag
"Add a recovery phone number" with "Add" and "Remind me later" → back to the home page, signed in
(avatar button, a menu with "Sign out").

Shapes:
- entry_point: the home page header's account control is ``<a aria-label="Sign in" href="/login?…">``
  with only an ``<svg>`` inside; the Mail link next to it is icon-only too.
- site_error: a wrong password re-renders the password form (server-side, HTTP 200) with
  ``<p class="error-msg" role="alert" data-error="messages.ERROR_INVALID_PASSWORD">``.
- interstitial: ``/account/comm-channel/refresh`` — the login is not finished until it is answered
  (the session starts there): "Add" leads to a phone form, "Remind me later" (``name="remindMeLater"``)
  to the page the login started from. The nag shows no account chrome.
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
    redirect,
    safe_next,
)
from tests.sites.real import Scenario

PORTAL_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 'Helvetica Neue', Helvetica, Arial, sans-serif; color: #232a31; background: #fff; }
a { color: #232a31; text-decoration: none; }
#ybar { display: flex; align-items: center; gap: 20px; padding: 10px 24px; border-bottom: 1px solid #e0e4e9; }
#ybar .ybar-logo { font: 900 30px/1 Georgia, serif; color: #6001d2; letter-spacing: -1px; }
#ybar-search { flex: 1; display: flex; max-width: 640px; }
#ybar-sbq { flex: 1; border: 1px solid #e0e4e9; border-radius: 24px 0 0 24px; padding: 10px 16px; font-size: 15px; }
#ybar-search-btn { border: 0; background: #6001d2; color: #fff; border-radius: 0 24px 24px 0; padding: 0 18px; }
.ybar-icons { display: flex; align-items: center; gap: 18px; margin-left: auto; }
.ybar-icons a, .ybar-icons button { display: inline-flex; width: 34px; height: 34px; align-items: center; justify-content: center; border-radius: 50%; }
.ybar-icons svg { width: 24px; height: 24px; fill: #6001d2; }
.ybar-icons a:hover { background: #f0f3f5; }
.account-menu { position: relative; }
.account-menu > button { border: 0; background: #6001d2; color: #fff; font-weight: 700; cursor: pointer; }
.account-menu .menu { position: absolute; right: 0; top: 42px; width: 260px; background: #fff; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18); padding: 12px 0; z-index: 10; }
.account-menu .menu[hidden] { display: none; }
.account-menu .menu a, .account-menu .menu p { display: block; padding: 6px 18px; margin: 0; }
.account-menu .menu a:hover { background: #f0f3f5; }
.greeting { font-weight: 600; color: #6001d2; }
.nav-strip { display: flex; gap: 22px; padding: 8px 24px; font-weight: 600; font-size: 13px; background: #f7f8fa; }
.nav-strip a { color: #464e56; }
.portal { display: grid; grid-template-columns: 2fr 1fr; gap: 28px; max-width: 1200px; margin: 24px auto; padding: 0 24px; }
.hero-story { background: linear-gradient(135deg, #3b0f82, #0f69ff); color: #fff; border-radius: 10px; padding: 48px 28px 28px; min-height: 260px; }
.hero-story h2 { font-size: 26px; margin: 120px 0 8px; }
.stories { list-style: none; padding: 0; }
.stories li { padding: 12px 0; border-bottom: 1px solid #eef0f3; }
.stories small { color: #6e7780; display: block; }
aside h3 { font-size: 15px; margin: 0 0 8px; }
aside ol { padding-left: 18px; margin: 0 0 20px; }
.weather { border: 1px solid #e0e4e9; border-radius: 8px; padding: 14px; margin-bottom: 18px; }
footer.yfooter { border-top: 1px solid #e0e4e9; padding: 16px 24px; font-size: 12px; color: #6e7780; display: flex; gap: 14px; flex-wrap: wrap; }
footer.yfooter a { color: #6e7780; }
"""

LOGIN_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 'Helvetica Neue', Helvetica, Arial, sans-serif; color: #1d2228; background: #f5f8fa; }
.mbr-desktop-hd { display: flex; justify-content: space-between; align-items: center; padding: 18px 32px; }
.mbr-desktop-hd .logo { font: 900 28px/1 Georgia, serif; color: #6001d2; }
.mbr-desktop-hd a { color: #0f69ff; font-size: 13px; }
.login-body { display: flex; justify-content: center; padding: 20px; }
.login-box { width: 360px; min-height: 520px; background: #fff; border-radius: 8px; box-shadow: 0 2px 4px rgba(0,0,0,.1); padding: 32px 36px; text-align: center; }
.login-box .logo { font: 900 26px/1 Georgia, serif; color: #6001d2; margin-bottom: 18px; }
.login-box h1 { font-size: 20px; margin: 10px 0 4px; }
.login-box .signin-sub { color: #5b636a; margin: 0 0 26px; }
.input-group { position: relative; margin: 10px 0 4px; text-align: left; }
.input-group input { width: 100%; border: 0; border-bottom: 1px solid #b9bdc5; font-size: 16px; padding: 22px 2px 6px; outline: none; }
.input-group input:focus { border-bottom: 2px solid #0f69ff; }
.input-group label { position: absolute; left: 2px; top: 2px; font-size: 12px; color: #5b636a; }
.pure-button { width: 100%; border: 0; border-radius: 24px; padding: 12px; font-size: 16px; font-weight: 600; cursor: pointer; margin-top: 18px; }
.puree-button-primary { background: #0f69ff; color: #fff; }
.puree-button-secondary { background: #fff; color: #0f69ff; border: 2px solid #0f69ff; }
.puree-button-link { background: none; color: #0f69ff; font-weight: 400; font-size: 14px; margin-top: 8px; }
.stay-signed-in { display: flex; justify-content: space-between; align-items: center; font-size: 13px; margin-top: 14px; }
.stay-signed-in a { color: #0f69ff; }
.or-cross-bar { color: #8a9096; margin: 18px 0 6px; font-size: 13px; }
#tpa-google-button { background: #fff; border: 1px solid #b9bdc5; color: #1d2228; }
#createacc { display: block; margin-top: 22px; color: #0f69ff; }
.error-msg { color: #e0292b; font-size: 13px; text-align: left; margin: 6px 0 0; }
.challenge-header { color: #5b636a; font-size: 14px; margin-bottom: 22px; word-break: break-all; }
.challenge-header strong { display: block; color: #1d2228; font-size: 16px; }
.show-hide-toggle { position: absolute; right: 0; bottom: 6px; background: none; border: 0; color: #0f69ff; cursor: pointer; font-size: 12px; }
.nag-illustration { width: 90px; height: 90px; border-radius: 50%; background: #efe5ff; margin: 12px auto 18px; display: flex; align-items: center; justify-content: center; font-size: 40px; }
.acct-strip { font-size: 13px; color: #5b636a; margin-bottom: 10px; }
.acct-strip a { color: #0f69ff; }
.login-footer { text-align: center; font-size: 12px; color: #8a9096; padding: 18px; }
.login-footer a { color: #8a9096; margin: 0 6px; }
"""

PERSON_SVG = (
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-4.4 '
    '0-9 2.2-9 5v3h18v-3c0-2.8-4.6-5-9-5z"/></svg>'
)
MAIL_SVG = (
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M2 5h20v14H2V5zm2 2v.5l8 5 8-5V7H4zm16 2.8-8 '
    '5-8-5V17h16V9.8z"/></svg>'
)

STORIES = [
    ("Markets rally as inflation cools for a third month", "Yahoo Finance · 2 hours ago"),
    ("The 12 best carry-on suitcases, tested on real trips", "Yahoo Life · 4 hours ago"),
    ("Storm system brings snow to the Rockies this weekend", "Weather · 5 hours ago"),
    ("Late goal sends underdogs into the cup semifinal", "Yahoo Sports · 6 hours ago"),
]
TRENDING = ["Mortgage rates", "Solar eclipse", "Playoff bracket", "Air fryer recipes", "Electric SUVs"]


class YahooSite(Site):
    hosts = ("yahoo.localhost",)
    brand = "Yahoo"
    session_cookie = "T"
    flow_cookie = "AS"
    identifier_key = "username"
    login_path = "/login"
    persistent_days = 30

    scenario = Scenario(
        host="yahoo.localhost",
        modelled_on="Yahoo",
        shapes=("entry_point", "site_error", "interstitial"),
        values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
        path=None,
        password_host="yahoo.localhost",
        notes=(
            "The home page's sign-in control is an icon-only link named only by aria-label. The login "
            "form has no action. The password form also holds a submit button named 'skip' (Forgot "
            "password?). After the password: 'Remind me later' on a recovery-phone nag."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.home(req)
            case "GET", "/login":
                return self.username_page(req)
            case "POST", "/login":
                return self.username_submit(req)
            case "GET", "/account/challenge/password":
                return self.password_page(req)
            case "POST", "/account/challenge/password":
                return self.password_submit(req)
            case "GET", "/account/comm-channel/refresh":
                return self.nag_page(req)
            case "POST", "/account/comm-channel/refresh":
                return self.nag_submit(req)
            case "GET", "/account/security/phone":
                return self.phone_page(req)
            case ("GET" | "POST"), "/account/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
            case "GET", "/forgot":
                return self.login_box(
                    "Forgot password? | Yahoo",
                    "<h1>Let's get you into your account</h1><p class='signin-sub'>Enter your email address "
                    "or mobile number and we'll send you a code. (Not available in this sandbox.)</p>",
                    None,
                )
            case "GET", "/account/create":
                return self.login_box(
                    "Create a Yahoo account",
                    "<h1>Create a Yahoo account</h1><p class='signin-sub'>Sign-ups are closed.</p>",
                    None,
                )
            case "GET", "/search":
                q = req.query.get("p", "")
                return self.render("Search", f"<h2>Results for “{esc(q)}”</h2><p>No results.</p>", self.session(req))
        return None

    # --- the portal (www)

    def account_control(self, session: Session | None) -> str:
        if not session:
            return (
                '<a class="ybar-mail" href="/login?.src=ym&amp;.done=%2Fmail" aria-label="Mail">' + MAIL_SVG + "</a>"
                '<a id="ybarAccountProfile" class="_yb_signin" href="/login?.src=fpctx&amp;.done=%2F" '
                'aria-label="Sign in">' + PERSON_SVG + "</a>"
            )
        return (
            '<a class="ybar-mail" href="/mail" aria-label="Mail">' + MAIL_SVG + "</a>"
            '<div class="account-menu"><button type="button" id="ybarAccountMenu" aria-haspopup="true" '
            f'aria-expanded="false" aria-controls="ybarAccountMenuBody" aria-label="Profile, {esc(accounts.DISPLAY_NAME)}">'
            f"{esc(accounts.DISPLAY_NAME[0])}</button>"
            '<div class="menu" id="ybarAccountMenuBody" role="menu" hidden>'
            f'<p><strong>{esc(accounts.DISPLAY_NAME)}</strong><br><small>{esc(accounts.EMAIL)}</small></p>'
            '<a role="menuitem" href="/account/info">Account info</a>'
            '<a role="menuitem" href="/account/security/phone">Account security</a>'
            '<a role="menuitem" href="/help">Help</a>'
            '<a role="menuitem" id="profile-signout-link" href="/account/logout?logout=1">Sign out</a>'
            "</div></div>"
            f'<span class="greeting">Hi, {esc(accounts.DISPLAY_NAME)}</span>'
        )

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        menu_script = (
            "<script>(function(){var b=document.getElementById('ybarAccountMenu');if(!b)return;"
            "var m=document.getElementById('ybarAccountMenuBody');b.addEventListener('click',function(){"
            "var open=m.hidden;m.hidden=!open;b.setAttribute('aria-expanded',String(open));});})();</script>"
        )
        body = f"""
<header id="ybar" role="banner">
  <a class="ybar-logo" href="/" aria-label="Yahoo Home">yahoo!</a>
  <form id="ybar-search" role="search" action="/search" method="get">
    <input type="text" id="ybar-sbq" name="p" placeholder="Search the web" aria-label="Search query" autocomplete="off">
    <button type="submit" id="ybar-search-btn" aria-label="Search">Search</button>
  </form>
  <div class="ybar-icons">{self.account_control(session)}</div>
</header>
<nav class="nav-strip" aria-label="Yahoo sites">
  <a href="/mail">Mail</a><a href="/news">News</a><a href="/finance">Finance</a><a href="/sports">Sports</a>
  <a href="/entertainment">Entertainment</a><a href="/life">Life</a><a href="/shopping">Shopping</a><a href="/more">More…</a>
</nav>
{main}
<footer class="yfooter">
  <a href="/terms">Terms</a><a href="/privacy">Privacy</a><a href="/privacy">Privacy Dashboard</a>
  <a href="/about">About our ads</a><a href="/help">Help</a><a href="/about">Feedback</a>
  <span>© 2025 Yahoo. All rights reserved.</span>
</footer>
{menu_script}"""
        return document(title, body, css=PORTAL_CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<main class="portal"><section>{main}</section></main>', session), status)

    def home(self, req: Request) -> Response:
        session = self.session(req)
        stories = "".join(f"<li><a href='/news'>{esc(t)}</a><small>{esc(s)}</small></li>" for t, s in STORIES)
        trending = "".join(f"<li><a href='/search?p={esc(t)}'>{esc(t)}</a></li>" for t in TRENDING)
        welcome = (
            f"<p class='greeting'>Welcome back, {esc(accounts.DISPLAY_NAME)} ({esc(accounts.EMAIL)}). "
            "You have 3 unread emails.</p>"
            if session
            else ""
        )
        main = f"""
<main class="portal">
  <section>
    {welcome}
    <article class="hero-story"><h2>Scientists map the deepest trench in the Atlantic</h2>
      <p>A robotic sub spent 40 hours on the sea floor — here's what it found.</p></article>
    <ul class="stories">{stories}</ul>
  </section>
  <aside>
    <div class="weather"><strong>New York</strong> · 41°F, partly cloudy</div>
    <h3>Trending now</h3><ol>{trending}</ol>
    <h3>Markets</h3><p>S&amp;P 500 5,214.08 <span style="color:#008a00">+0.6%</span><br>
    Dow 38,904.04 <span style="color:#008a00">+0.3%</span></p>
  </aside>
</main>"""
        return html_response(self.chrome("Yahoo | Mail, Weather, Search, Politics, News, Finance, Sports & Videos", main, session))

    # --- login.yahoo.com

    def login_box(self, title: str, inner: str, session: Session | None, status: int = 200) -> Response:
        strip = (
            f'<p class="acct-strip">{esc(accounts.EMAIL)} · <a href="/account/logout?logout=1">Sign out</a></p>'
            if session
            else ""
        )
        body = f"""
<div class="mbr-desktop-hd"><a class="logo" href="/">yahoo!</a><a href="/help">Help</a></div>
<div class="login-body"><div class="login-box">{strip}{inner}</div></div>
<footer class="login-footer"><a href="/terms">Terms</a>|<a href="/privacy">Privacy</a></footer>"""
        return html_response(document(title, body, css=LOGIN_CSS, body_attrs=LOGGED_IN if session else ""), status)

    @staticmethod
    def _done(req: Request) -> str:
        return safe_next(req.query.get(".done") or req.form.get(".done"), "/")

    def username_page(self, req: Request, *, error: str = "", username: str = "") -> Response:
        done = self._done(req)
        if self.session(req):
            return redirect(done)
        err = (
            '<p id="username-error" class="error-msg" role="alert" data-error="messages.ERROR_INVALID_USERNAME">'
            f"{esc(error)}</p>"
            if error
            else ""
        )
        inner = f"""
<div class="logo" aria-hidden="true">yahoo!</div>
<h1 id="mbr-login-greeting">Sign in</h1>
<p class="signin-sub">using your Yahoo account</p>
<form id="login-username-form" method="post" class="pure-form">
  <input type="hidden" name="browser-fp-data" value="" id="browser-fp-data">
  <input type="hidden" name="crumb" value="{secrets.token_hex(8)}">
  <input type="hidden" name="acrumb" value="{secrets.token_hex(6)}">
  <input type="hidden" name="sessionIndex" value="QQ--">
  <input type="hidden" name="displayName" value="">
  <input type="hidden" name=".done" value="{esc(done)}">
  <div class="input-group">
    <label for="login-username" id="usernamereg-username-label">Username, email, or mobile</label>
    <input class="phone-no" type="text" name="username" id="login-username" value="{esc(username)}"
           autocomplete="username" autocapitalize="none" autocorrect="off" autofocus placeholder=" "
           aria-required="true" {'aria-invalid="true" aria-describedby="username-error"' if error else ''}>
  </div>
  {err}
  <input id="login-signin" type="submit" name="signin" class="pure-button puree-button-primary challenge-button" value="Next">
  <div class="stay-signed-in checkbox-container">
    <span><input id="persistent" name="persistent" value="y" type="checkbox" checked>
    <label for="persistent">Stay signed in</label></span>
    <a href="/forgot" id="mbr-forgot-link">Forgot username?</a>
  </div>
</form>
<p class="or-cross-bar">or</p>
<button type="button" id="tpa-google-button" class="pure-button" onclick="location.href='/help'">Sign in with Google</button>
<a id="createacc" href="/account/create">Create an account</a>"""
        return self.login_box("Yahoo", inner, None)

    def username_submit(self, req: Request) -> Response:
        username = req.form.get("username", "").strip()
        if not username:
            return self.username_page(req, error="Please provide a username, email, or mobile number.")
        if not accounts.is_user(username):
            return self.username_page(req, error="Sorry, we don't recognize this email.", username=username)
        done = self._done(req)
        query = urlencode({"src": "ym", "display": "login", "sessionIndex": "QQ--", "acrumb": secrets.token_hex(4), "done": done})
        response = redirect(f"/account/challenge/password?{query}")
        self.end_flow(req, response)
        self.start_flow(response, username, persistent=req.form.get("persistent") == "y", done=done)
        return response

    def password_page(self, req: Request, *, error: str = "") -> Response:
        flow = self.flow(req)
        if not flow:
            return redirect("/login")
        err = (
            '<p class="error-msg" role="alert" data-error="messages.ERROR_INVALID_PASSWORD">'
            f"{esc(error)}</p>"
            if error
            else ""
        )
        inner = f"""
<div class="logo" aria-hidden="true">yahoo!</div>
<div class="challenge-header"><strong>{esc(flow.user)}</strong>
  <a href="/login" class="challenge-switch">Not you?</a></div>
<h1>Enter password</h1>
<p class="signin-sub">to finish sign in</p>
<form class="pure-form challenge-form" method="post">
  <input type="hidden" name="crumb" value="{secrets.token_hex(8)}">
  <input type="hidden" name="username" value="{esc(flow.user)}">
  <input type="hidden" name="passwordContext" value="normal">
  <div class="input-group password-container">
    <label for="login-passwd">Password</label>
    <input type="password" id="login-passwd" class="password" name="password" placeholder=" " autofocus
           autocomplete="current-password" {'aria-invalid="true"' if error else ''}>
    <button type="button" class="show-hide-toggle" aria-label="Show password"
            onclick="var p=document.getElementById('login-passwd');p.type=p.type==='password'?'text':'password'">Show</button>
  </div>
  {err}
  <button type="submit" id="login-signin" class="pure-button puree-button-primary challenge-button" name="verifyPassword" value="Next">Next</button>
  <button type="submit" id="mbr-forgot-link" name="skip" class="pure-button puree-button-link" value="Forgot password?">Forgot password?</button>
</form>"""
        return self.login_box("Yahoo", inner, None)

    def password_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow:
            return redirect("/login")
        if "skip" in req.form and "verifyPassword" not in req.form:
            return redirect("/forgot")
        ok = accounts.check_password(flow.user, req.form.get("password", ""))
        self.record_attempt(flow.user, ok)
        if not ok:
            return self.password_page(req, error="Invalid password. Please try again")
        # The recovery-phone nag comes before the session: only "Add" or "Remind me later" finish the login.
        flow.data["stage"] = "nag"
        return redirect(f"/account/comm-channel/refresh?{urlencode({'done': flow.data.get('done', '/')})}")

    # --- after the password

    def _nag_flow(self, req: Request) -> Session | None:
        flow = self.flow(req)
        return flow if flow and flow.data.get("stage") == "nag" else None

    def nag_page(self, req: Request) -> Response:
        flow = self._nag_flow(req)
        if not flow:
            return redirect(safe_next(req.query.get("done"), "/") if self.session(req) else "/login")
        done = safe_next(req.query.get("done"), "/")
        inner = f"""
<div class="nag-illustration" aria-hidden="true">☎</div>
<h1>Add a recovery phone number</h1>
<p class="signin-sub">If you ever forget your password or get locked out, we'll text you a code so you can get back into
{esc(flow.user)}.</p>
<form method="post" class="pure-form">
  <input type="hidden" name="done" value="{esc(done)}">
  <input type="hidden" name="crumb" value="{secrets.token_hex(8)}">
  <button type="submit" name="action" value="add" class="pure-button puree-button-primary">Add</button>
  <button type="submit" name="remindMeLater" value="Remind me later" class="pure-button puree-button-secondary">Remind me later</button>
</form>"""
        return self.login_box("Yahoo - Account security", inner, None)

    def nag_submit(self, req: Request) -> Response:
        flow = self._nag_flow(req)
        if not flow:
            return redirect("/login")
        target = "/account/security/phone" if req.form.get("action") == "add" else safe_next(req.form.get("done"), "/")
        response = redirect(target)
        self.sign_in(response, persistent_days=self.persistent_days if flow.data.get("persistent") else None)
        self.end_flow(req, response)
        return response

    def phone_page(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        inner = """
<h1>Add phone number</h1>
<p class="signin-sub">We'll send a verification code to this number.</p>
<form method="get" action="/" class="pure-form">
  <div class="input-group"><label for="recovery-phone">Mobile number</label>
    <input type="tel" id="recovery-phone" name="phone" autocomplete="tel" placeholder=" "></div>
  <button type="submit" class="pure-button puree-button-primary">Send code</button>
</form>
<p><a href="/">Skip and go to Yahoo</a></p>"""
        return self.login_box("Yahoo - Add phone number", inner, session)
