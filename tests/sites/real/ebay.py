"""ebay.localhost — modelled on eBay (www.ebay.com and signin.ebay.com on one host).

Steps: the home page header greets a visitor with ``Hi! Sign in or register`` — "Sign in" is only the
second piece of text of ``#gh-ug`` → ``/signin``: "Email or username" (``#userid``) and "Continue"
(``#signin-continue-btn``), with "Continue with Google/Facebook/Apple" and a ticked "Stay signed in"; the
page's script checks the account (``POST /signin/s/userid``, JSON) and, on the same page and URL, hides
the identifier, shows it as text with "Switch account", and reveals "Password" (``#pass``) and "Sign in"
(``#sgnBt``) → the form posts to ``/signin/s`` → "Create a passkey for faster sign-in?" with "Create a
passkey" and "Skip for now" → the home page, signed in ("Hi Alice!" and a menu with "Sign out").

Without script the same form still works: posting the identifier alone renders the password step.

Shapes:
- entry_point: ``<span id="gh-ug">Hi! <a href="/signin…">Sign in</a> or <a href="/register">register</a></span>``.
- site_error: a wrong password re-renders the password step with ``<section class="inline-notice
  inline-notice--attention" aria-live="polite">`` holding ``<p id="signin-error-msg"
  class="inline-notice__content">Oops, that's not a match.</p>`` and a "Reset your password" link.
- interstitial: ``/signin/passkey`` — a passkey-enrolment nag with no account chrome; the login is not
  finished until it is answered: "Skip for now" starts the session ("Create a passkey" only reports that
  this device cannot make one).
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

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

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 'Market Sans', Arial, sans-serif; color: #191919; background: #fff; }
a { color: #191919; }
#gh-top { display: flex; justify-content: space-between; font-size: 12px; padding: 6px 28px; border-bottom: 1px solid #e5e5e5; }
#gh-top ul { list-style: none; display: flex; gap: 16px; margin: 0; padding: 0; align-items: center; }
#gh-ug a { color: #3665f3; }
#gh-ug-menu { position: relative; }
#gh-ug-menu button { background: none; border: 0; font: inherit; cursor: pointer; }
#gh-eb-u-o { position: absolute; top: 22px; left: 0; width: 240px; background: #fff; border: 1px solid #c7c7c7; border-radius: 8px; padding: 12px; z-index: 20; box-shadow: 0 4px 12px rgba(0,0,0,.15); }
#gh-eb-u-o[hidden] { display: none; }
#gh-eb-u-o .gh-eb-u-avatar { width: 48px; height: 48px; border-radius: 50%; background: #86b817; color: #fff; font-size: 22px; display: flex; align-items: center; justify-content: center; }
#gh-eb-u-o a { display: block; padding: 4px 0; color: #3665f3; }
#gh { display: flex; align-items: center; gap: 16px; padding: 14px 28px; }
.gh-logo { font: 700 40px/1 Arial, sans-serif; letter-spacing: -3px; text-decoration: none; }
.gh-logo span:nth-child(1) { color: #e53238; } .gh-logo span:nth-child(2) { color: #0064d2; }
.gh-logo span:nth-child(3) { color: #f5af02; } .gh-logo span:nth-child(4) { color: #86b817; }
#gh-f { flex: 1; display: flex; border: 2px solid #191919; border-radius: 24px; overflow: hidden; }
#gh-ac { flex: 1; border: 0; padding: 10px 16px; font-size: 15px; }
#gh-cat { border: 0; border-left: 1px solid #c7c7c7; padding: 0 10px; background: #fff; }
#gh-btn { background: #3665f3; color: #fff; border: 0; border-radius: 24px; padding: 0 36px; font-size: 15px; font-weight: 700; }
.hl-cat-nav { display: flex; gap: 22px; padding: 8px 28px; font-size: 13px; border-bottom: 1px solid #e5e5e5; }
.hl-cat-nav a { text-decoration: none; color: #555; }
.carousel { margin: 20px 28px; border-radius: 16px; background: #ffe9a8; padding: 40px; min-height: 220px; }
.carousel h2 { font-size: 30px; margin: 0 0 8px; }
.cats { display: grid; grid-template-columns: repeat(6, 1fr); gap: 16px; margin: 20px 28px; text-align: center; }
.cats div { background: #f7f7f7; border-radius: 50%; aspect-ratio: 1; display: flex; align-items: center; justify-content: center; font-weight: 700; }
.welcome { margin: 16px 28px 0; font-size: 18px; }
footer#glbfooter { margin-top: 40px; border-top: 1px solid #e5e5e5; padding: 20px 28px; font-size: 12px; color: #707070; }
footer#glbfooter ul { list-style: none; display: flex; flex-wrap: wrap; gap: 14px; padding: 0; }
footer#glbfooter a { color: #555; }
/* signin.ebay.com */
.signin-hd { padding: 18px 28px; display: flex; justify-content: space-between; align-items: center; }
.signin-hd a.feedback { font-size: 12px; color: #555; }
#mainCnt { max-width: 420px; margin: 10px auto 40px; padding: 0 16px; }
#mainCnt h1 { font-size: 32px; margin: 0 0 6px; text-align: center; }
#mainCnt .subtitle { text-align: center; margin: 0 0 26px; }
#mainCnt .subtitle a { color: #3665f3; }
.textbox { position: relative; margin-bottom: 14px; }
.textbox[hidden] { display: none; }
.textbox label { position: absolute; left: 16px; top: 6px; font-size: 12px; color: #707070; }
.textbox__control { width: 100%; border: 1px solid #8f8f8f; border-radius: 8px; background: #f7f7f7; padding: 24px 16px 8px; font-size: 16px; }
.textbox__icon { position: absolute; right: 10px; top: 16px; border: 0; background: none; color: #3665f3; cursor: pointer; }
.btn { width: 100%; border-radius: 24px; padding: 13px; font-size: 16px; font-weight: 700; cursor: pointer; margin-bottom: 10px; }
.btn[hidden] { display: none; }
.btn--primary { background: #3665f3; border: 1px solid #3665f3; color: #fff; }
.btn--secondary { background: #fff; border: 1px solid #3665f3; color: #3665f3; }
.btn--tertiary { background: none; border: 0; color: #3665f3; text-decoration: underline; font-weight: 400; }
.social-signin { margin-top: 18px; border-top: 1px solid #e5e5e5; padding-top: 18px; }
.social-signin .btn { background: #fff; border: 1px solid #8f8f8f; color: #191919; font-weight: 400; }
.kmsi { display: flex; gap: 8px; align-items: flex-start; font-size: 13px; margin: 14px 0; }
.kmsi[hidden] { display: none; }
.user-info { text-align: center; margin-bottom: 18px; }
.user-info[hidden] { display: none; }
.user-info #user-info { font-weight: 700; display: block; }
.user-info a { color: #3665f3; font-size: 13px; }
.inline-notice { display: flex; gap: 10px; border: 1px solid #e0103a; background: #fff5f5; border-radius: 8px; padding: 12px 14px; margin-bottom: 16px; }
.inline-notice__content { margin: 0 0 4px; font-weight: 700; }
.inline-notice a { color: #3665f3; }
.passkey-card { text-align: center; max-width: 460px; margin: 30px auto; }
.passkey-card .glyph { font-size: 64px; }
.passkey-note { color: #c00; min-height: 18px; }
"""

CATEGORIES = ["Motors", "Electronics", "Collectibles", "Home & Garden", "Fashion", "Toys"]


class EbaySite(Site):
    hosts = ("ebay.localhost",)
    brand = "eBay"
    session_cookie = "ebay_s"
    flow_cookie = "ebay_sgn"
    identifier_key = "userid"
    login_path = "/signin"
    kmsi_days = 30

    scenario = Scenario(
        host="ebay.localhost",
        modelled_on="eBay",
        shapes=("entry_point", "site_error", "interstitial"),
        values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
        path=None,
        password_host="ebay.localhost",
        notes=(
            "The header says 'Hi! Sign in or register' (the link is the second text piece). The password "
            "is revealed on the same page by script after Continue. The error sits in an aria-live "
            "section with a 'Reset your password' link. Then a passkey nag: 'Skip for now'."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.home(req)
            case "GET", "/signin":
                return self.signin_page(req)
            case "POST", "/signin/s/userid":
                return self.check_userid(req)
            case "POST", "/signin/s":
                return self.signin_submit(req)
            case "GET", "/signin/passkey":
                return self.passkey_page(req)
            case "POST", "/signin/passkey/skip":
                return self.passkey_skip(req)
            case "GET", "/mye/myebay/summary":
                return self.my_ebay(req)
            case ("GET" | "POST"), "/signout":
                response = self.render(
                    "Signed out", "<h1>You've signed out.</h1><p>See you again soon!</p><p><a href='/'>Go to eBay</a></p>", None
                )
                self.sign_out(req, response)
                return response
            case "GET", "/register":
                return self.render("Create an account", "<h1>Create an account</h1><p>Registration is closed.</p>", None)
            case "GET", "/fyp":
                return self.render(
                    "Reset your password", "<h1>Reset your password</h1><p>We'll email you a link (not in this sandbox).</p>", None
                )
            case "GET", "/sch/i.html":
                q = req.query.get("_nkw", "")
                return self.render("Search", f"<h1>0 results for {esc(q)}</h1>", self.session(req))
        return None

    # --- chrome

    def greeting(self, session: Session | None) -> str:
        if not session:
            return (
                '<span id="gh-ug" class="gh-ug-guest">Hi! <a href="/signin?ru=%2F" _sp="m570.l1524">Sign in</a>'
                ' or <a href="/register" _sp="m570.l2621">register</a></span>'
            )
        return f"""<span id="gh-ug-menu"><span id="gh-ug">
  <button type="button" id="gh-ug-flex" aria-expanded="false" aria-controls="gh-eb-u-o" aria-haspopup="true">Hi <b>{esc(accounts.DISPLAY_NAME)}</b>!</button>
  </span>
  <div id="gh-eb-u-o" hidden>
    <div class="gh-eb-u-avatar" aria-hidden="true">{esc(accounts.DISPLAY_NAME[0])}</div>
    <p><b>{esc(accounts.DISPLAY_NAME)}</b> ({esc(accounts.USERNAME)}) · 12 <span title="Feedback score">★</span></p>
    <a href="/mye/myebay/summary">Account settings</a>
    <a href="/signout" id="gh-uo">Sign out</a>
  </div></span>"""

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        body = f"""
<header>
  <nav id="gh-top" aria-label="Account">
    <ul><li>{self.greeting(session)}</li><li><a href="/deals">Daily Deals</a></li><li><a href="/outlet">Brand Outlet</a></li>
    <li><a href="/help">Gift Cards</a></li><li><a href="/help">Help &amp; Contact</a></li></ul>
    <ul><li><a href="/ship">Ship to</a></li><li><a href="/sell">Sell</a></li><li><a href="/mye/myebay/summary">Watchlist</a></li>
    <li><a href="/mye/myebay/summary">My eBay</a></li><li><a href="/cart" aria-label="Your shopping cart">Cart</a></li></ul>
  </nav>
  <div id="gh">
    <a class="gh-logo" href="/" aria-label="eBay Home"><span>e</span><span>b</span><span>a</span><span>y</span></a>
    <form id="gh-f" action="/sch/i.html" method="get" role="search">
      <input id="gh-ac" name="_nkw" type="text" placeholder="Search for anything" aria-label="Search for anything" autocomplete="off">
      <select id="gh-cat" name="_sacat" aria-label="Select a category for search"><option value="0">All Categories</option>
        {"".join(f"<option>{esc(c)}</option>" for c in CATEGORIES)}</select>
      <button id="gh-btn" type="submit">Search</button>
    </form>
    <a href="/advanced">Advanced</a>
  </div>
  <nav class="hl-cat-nav" aria-label="Categories"><a href="/">Home</a><a href="/saved">Saved</a>
    {"".join(f"<a href='/b/{i}'>{esc(c)}</a>" for i, c in enumerate(CATEGORIES))}<a href="/sell">Sell</a></nav>
</header>
{main}
<footer id="glbfooter">
  <ul><li><a href="/about">About eBay</a></li><li><a href="/blog">Announcements</a></li><li><a href="/help">Community</a></li>
  <li><a href="/help">Security Center</a></li><li><a href="/help">Seller Center</a></li><li><a href="/terms">Policies</a></li>
  <li><a href="/about">Affiliates</a></li><li><a href="/help">Help &amp; Contact</a></li><li><a href="/about">Site Map</a></li></ul>
  <p>Copyright © 1995-2025 eBay Inc. All Rights Reserved. <a href="/terms">Accessibility</a>, <a href="/terms">User Agreement</a>,
  <a href="/privacy">Privacy</a>, <a href="/privacy">Consumer Health Data</a>, <a href="/privacy">Payments Terms of Use</a>,
  <a href="/privacy">Cookies</a> and <a href="/privacy">AdChoice</a></p>
</footer>
<script>(function(){{var b=document.getElementById('gh-ug-flex');if(!b)return;var m=document.getElementById('gh-eb-u-o');
b.addEventListener('click',function(){{var o=m.hidden;m.hidden=!o;b.setAttribute('aria-expanded',String(o));}});}})();</script>"""
        return document(f"{title} | eBay", body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<main style="margin:20px 28px">{main}</main>', session), status)

    def signin_chrome(self, title: str, main: str, session: Session | None = None) -> Response:
        who = (
            f'<span>Hi {esc(accounts.DISPLAY_NAME)}! ({esc(accounts.USERNAME)}) · <a href="/signout">Sign out</a></span>'
            if session
            else '<a class="feedback" href="/help">Tell us what you think</a>'
        )
        body = f"""
<header class="signin-hd"><a class="gh-logo" href="/" aria-label="eBay Home"><span>e</span><span>b</span><span>a</span><span>y</span></a>{who}</header>
<main id="mainCnt">{main}</main>
<footer id="glbfooter"><p>Copyright © 1995-2025 eBay Inc. All Rights Reserved. <a href="/terms">User Agreement</a>,
<a href="/privacy">Privacy</a>, <a href="/privacy">Cookies</a> and <a href="/privacy">AdChoice</a></p></footer>"""
        return html_response(document(title, body, css=CSS, body_attrs=LOGGED_IN if session else ""))

    # --- pages

    def home(self, req: Request) -> Response:
        session = self.session(req)
        welcome = (
            f'<p class="welcome">Welcome back, {esc(accounts.DISPLAY_NAME)}! Your recently viewed items and deals are below.</p>'
            if session
            else ""
        )
        main = f"""{welcome}
<section class="carousel"><h2>Shop Spring Savings</h2><p>Up to 60% off home, outdoor and more.</p><a href="/deals">Shop now</a></section>
<section class="cats" aria-label="Explore popular categories">{"".join(f"<div>{esc(c)}</div>" for c in CATEGORIES)}</section>"""
        return html_response(self.chrome("Electronics, Cars, Fashion, Collectibles & More", main, session))

    def signin_page(
        self, req: Request, *, userid: str = "", step: str = "userid", error: str = "", ru: str | None = None
    ) -> Response:
        ru = ru or safe_next(req.query.get("ru"), "/")
        if self.session(req) and step == "userid" and not error:
            return redirect(ru)
        on_password = step == "password"
        if error and on_password:
            notice = f"""<section id="errormsg-wrapper" class="inline-notice inline-notice--attention" aria-live="polite" aria-labelledby="signin-error-msg">
  <span class="inline-notice__header" role="img" aria-label="Attention">⚠</span>
  <span class="inline-notice__main"><p id="signin-error-msg" class="inline-notice__content">{esc(error)}</p>
  <a id="reset-pwd-link" href="/fyp?userid={quote(userid)}">Reset your password</a></span>
</section>"""
        elif error:
            notice = f"""<section id="errormsg-wrapper" class="inline-notice inline-notice--attention" aria-live="polite">
  <span class="inline-notice__header" role="img" aria-label="Attention">⚠</span>
  <span class="inline-notice__main"><p id="signin-error-msg" class="inline-notice__content">{esc(error)}</p></span>
</section>"""
        else:
            notice = '<section id="errormsg-wrapper" class="inline-notice-wrapper" aria-live="polite"></section>'
        hide_first = " hidden" if on_password else ""
        hide_second = "" if on_password else " hidden"
        main = f"""
<h1 id="greeting-msg">{'Welcome' if on_password else 'Sign in to your account'}</h1>
<p class="subtitle" id="signin-reg-msg"{hide_first}>New to eBay? <a href="/register" id="create-account-link">Create account</a></p>
{notice}
<form id="signin-form" method="post" action="/signin/s" data-step="{esc(step)}" novalidate>
  <input type="hidden" name="srt" value="{secrets.token_hex(16)}">
  <input type="hidden" name="ru" value="{esc(ru)}">
  <div class="user-info"{hide_second}><span id="user-info">{esc(userid)}</span>
    <a href="/signin?ru={quote(ru)}" id="switch-account-anchor">Switch account</a></div>
  <div class="textbox textbox--floating-label" id="userid-group"{hide_first}>
    <label for="userid" class="floating-label__label">Email or username</label>
    <input id="userid" name="userid" type="text" class="textbox__control" value="{esc(userid)}" autocomplete="username"
           autocapitalize="off" spellcheck="false" aria-describedby="signin-error-msg" {'aria-invalid="true"' if error and not on_password else ''}>
  </div>
  <button id="signin-continue-btn" name="signin-continue-btn" type="submit" class="btn btn--fluid btn--large btn--primary"{hide_first}>Continue</button>
  <div class="textbox" id="password-group"{hide_second}>
    <label for="pass">Password</label>
    <input id="pass" name="pass" type="password" class="textbox__control" autocomplete="current-password"
           aria-describedby="signin-error-msg" {'aria-invalid="true"' if error and on_password else ''}>
    <button type="button" class="textbox__icon" aria-label="Show password" id="show-pwd">Show</button>
  </div>
  <button id="sgnBt" name="sgnBt" type="submit" class="btn btn--fluid btn--large btn--primary"{hide_second}>Sign in</button>
  <a id="fpLink" href="/fyp"{hide_second}>Forgot password?</a>
  <div class="kmsi"{hide_first}><input type="checkbox" id="kmsi-checkbox" name="kmsi" value="1" checked>
    <label for="kmsi-checkbox">Stay signed in<br><small>Using a public or shared device? Uncheck to protect your account.
    <a href="/help">Learn more</a></small></label></div>
</form>
<div class="social-signin" id="social-signin-wrapper"{hide_first}>
  <button type="button" id="signin_ggl_btn" class="btn">Continue with Google</button>
  <button type="button" id="signin_fb_btn" class="btn">Continue with Facebook</button>
  <button type="button" id="signin_appl_btn" class="btn">Continue with Apple</button>
</div>
<script>{SIGNIN_SCRIPT}</script>"""
        return self.signin_chrome("Sign in or Register | eBay", main)

    def check_userid(self, req: Request) -> Response:
        userid = str(req.json.get("userid", "")).strip()
        if not userid:
            return json_response({"ok": False, "error": "Please enter your email or username."}, 400)
        if not accounts.is_user(userid):
            return json_response({"ok": False, "error": "Oops, that's not a match."}, 404)
        return json_response({"ok": True, "userid": userid})

    def signin_submit(self, req: Request) -> Response:
        form = req.form
        userid = form.get("userid", "").strip()
        ru = safe_next(form.get("ru"), "/")
        if "pass" not in form:  # no script: the identifier alone, the page answers with the password step
            if not accounts.is_user(userid):
                return self.signin_page(req, userid=userid, error="Oops, that's not a match.", ru=ru)
            return self.signin_page(req, userid=userid, step="password", ru=ru)
        ok = accounts.check_password(userid, form.get("pass", ""))
        self.record_attempt(userid, ok)
        if not ok:
            return self.signin_page(req, userid=userid, step="password", error="Oops, that's not a match.", ru=ru)
        # The passkey nag comes before the session: "Skip for now" finishes the login.
        response = redirect(f"/signin/passkey?ru={quote(ru)}")
        self.end_flow(req, response)
        self.start_flow(response, userid, kmsi=bool(form.get("kmsi")), stage="passkey")
        return response

    def _passkey_flow(self, req: Request) -> Session | None:
        flow = self.flow(req)
        return flow if flow and flow.data.get("stage") == "passkey" else None

    def passkey_page(self, req: Request) -> Response:
        ru = safe_next(req.query.get("ru"), "/")
        flow = self._passkey_flow(req)
        if not flow:
            return redirect(ru if self.session(req) else "/signin")
        main = f"""
<div class="passkey-card">
  <div class="glyph" aria-hidden="true">⚿</div>
  <h1>Create a passkey for faster sign-in?</h1>
  <p>Use your fingerprint, face or screen lock to sign in to eBay as {esc(flow.user)} — no password needed.
  Passkeys are stored on this device. <a href="/help">Learn more about passkeys</a></p>
  <p class="passkey-note" id="passkey-note" role="status"></p>
  <button type="button" id="passkey-create-btn" class="btn btn--primary"
          onclick="document.getElementById('passkey-note').textContent='We couldn\\'t create a passkey on this device. Try again later.'">Create a passkey</button>
  <form method="post" action="/signin/passkey/skip"><input type="hidden" name="ru" value="{esc(ru)}">
    <button type="submit" id="passkey-skip-btn" class="btn btn--tertiary">Skip for now</button></form>
</div>"""
        return self.signin_chrome("Create a passkey | eBay", main)

    def passkey_skip(self, req: Request) -> Response:
        flow = self._passkey_flow(req)
        if not flow:
            return redirect("/signin")
        response = redirect(safe_next(req.form.get("ru"), "/"))
        self.sign_in(response, persistent_days=self.kmsi_days if flow.data.get("kmsi") else None)
        self.end_flow(req, response)
        return response

    def my_ebay(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/signin?ru=%2Fmye%2Fmyebay%2Fsummary")
        main = f"""<h1>My eBay</h1><p>{esc(accounts.DISPLAY_NAME)} ({esc(accounts.USERNAME)}) · {esc(accounts.EMAIL)}</p>
<ul><li>Purchases: 2 in the last 60 days</li><li>Watchlist: 5 items</li><li>Saved searches: 1</li></ul>"""
        return self.render("My eBay", main, session)


SIGNIN_SCRIPT = r"""
(function () {
  var form = document.getElementById("signin-form");
  var notice = document.getElementById("errormsg-wrapper");
  function $(id) { return document.getElementById(id); }
  function showError(text) {
    notice.className = "inline-notice inline-notice--attention";
    notice.innerHTML = '<span class="inline-notice__header" role="img" aria-label="Attention">⚠</span>' +
      '<span class="inline-notice__main"><p id="signin-error-msg" class="inline-notice__content"></p></span>';
    notice.querySelector("p").textContent = text;
    $("userid").setAttribute("aria-invalid", "true");
  }
  function toPassword(userid) {
    notice.className = "inline-notice-wrapper"; notice.innerHTML = "";
    $("greeting-msg").textContent = "Welcome";
    $("user-info").textContent = userid;
    document.querySelector(".user-info").hidden = false;
    ["userid-group", "signin-continue-btn", "signin-reg-msg", "social-signin-wrapper"].forEach(function (id) { $(id).hidden = true; });
    document.querySelector(".kmsi").hidden = true;
    ["password-group", "sgnBt", "fpLink"].forEach(function (id) { $(id).hidden = false; });
    form.setAttribute("data-step", "password");
    $("pass").focus();
  }
  $("show-pwd").addEventListener("click", function () { var p = $("pass"); p.type = p.type === "password" ? "text" : "password"; });
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-step") !== "userid") return;  // the password step posts the form
    event.preventDefault();
    var userid = $("userid").value.trim();
    var button = $("signin-continue-btn");
    button.disabled = true;
    fetch("/signin/s/userid", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ userid: userid }) })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (data.ok) toPassword(data.userid); else showError(data.error); })
      .catch(function () { showError("Something went wrong. Please try again."); })
      .finally(function () { button.disabled = false; });
  });
  ["signin_ggl_btn", "signin_fb_btn", "signin_appl_btn"].forEach(function (id) {
    $(id).addEventListener("click", function () { showError("That sign-in option isn't available right now."); });
  });
})();
"""
