"""paypal.localhost — modelled on PayPal's split login.

Steps: the marketing home page → "Log In" → ``/signin``: one page, two stages. "Email or mobile
number" (``#email``, name ``login_email``) and "Next" (``#btnNext``); the page's script asks the server
(the same ``POST /signin`` with ``splitLoginContext=inputEmail``, answered in JSON) and then hides the
email stage and shows the password stage on the same page and URL: the email as text with "Change",
``#password`` (name ``login_password``) and "Log In" (``#btnLogin``) → the form posts to ``/signin`` →
"Link your bank to pay faster" with "Link a bank" and "Not now" → ``/myaccount/summary`` (the name,
the balance, "Log Out").

Without script, posting the email alone renders the password stage.

Shapes:
- form: the "Log In" button is outside ``<form id="loginForm">`` and submits it through
  ``form="loginForm"``; "Next" is a submit button inside the same form.
- site_error: a wrong password re-renders the password stage with ``<div class="notifications"
  role="alert"><p class="notification notification-critical">Some of your info isn't correct. Please
  try again.</p></div>``.
- interstitial: ``/myaccount/interstitial/link-bank`` ("Not now"), before the session: either answer
  starts it ("Link a bank" goes to the bank form); and a non-blocking cookie banner
  (``#gdprCookieBanner``, "Accept" / "Decline") at the bottom of every page until one is chosen.
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
body { margin: 0; font: 15px/1.5 'PayPal Open', 'Helvetica Neue', Arial, sans-serif; color: #001435; background: #fff; }
a { color: #0070e0; text-decoration: none; font-weight: 600; }
.pp-header { display: flex; align-items: center; gap: 28px; padding: 16px 40px; }
.pp-logo { font: italic 800 26px/1 Verdana, sans-serif; color: #003087; }
.pp-logo span { color: #0070e0; }
.pp-header nav { display: flex; gap: 24px; flex: 1; }
.pp-header nav a { color: #001435; }
.pypl-btn { border-radius: 24px; padding: 8px 22px; border: 2px solid #001435; color: #001435; }
.pypl-btn--primary { background: #001435; color: #fff; }
.mkt-hero { background: #f1efea; padding: 80px 40px; border-radius: 0 0 40px 40px; }
.mkt-hero h1 { font-size: 54px; line-height: 1.05; max-width: 640px; margin: 0 0 14px; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 20px; padding: 40px; }
.tiles div { background: #f5f7fa; border-radius: 20px; padding: 24px; }
.pp-footer { background: #f5f7fa; padding: 28px 40px 120px; font-size: 13px; display: flex; flex-wrap: wrap; gap: 16px; }
.pp-footer a { color: #545d68; font-weight: 400; }
#contents { max-width: 460px; margin: 40px auto 140px; border: 1px solid #eaeced; border-radius: 12px; padding: 40px 56px; }
#contents header { text-align: center; margin-bottom: 24px; }
.accessAid { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.textInput { margin-bottom: 12px; }
.textInput label { display: block; font-size: 13px; color: #545d68; margin-bottom: 4px; }
.textInput input { width: 100%; height: 52px; border: 1px solid #929496; border-radius: 6px; padding: 0 12px; font-size: 16px; }
.textInput input:focus { border-color: #0070e0; outline: 1px solid #0070e0; }
.errorMessage p { color: #d20000; font-size: 13px; margin: 4px 0; }
.hide { display: none !important; }
.forgotLink { margin: 8px 0 18px; font-size: 14px; }
.button { width: 100%; height: 48px; border-radius: 24px; border: 0; font-size: 16px; font-weight: 700; cursor: pointer; }
.actionContinue { background: #003087; color: #fff; }
.button.secondary { display: block; text-align: center; line-height: 44px; border: 2px solid #001435; color: #001435; background: #fff; }
.loginSignUpSeparator { text-align: center; margin: 18px 0; color: #6c7378; position: relative; }
.profileDisplayEmail { display: flex; justify-content: space-between; margin-bottom: 14px; font-weight: 600; }
.notifications { margin-bottom: 16px; }
.notification-critical { background: #fff1f0; border-left: 4px solid #d20000; padding: 10px 12px; margin: 0; font-size: 14px; }
.intent-footer { text-align: center; font-size: 12px; color: #6c7378; margin-top: 30px; }
.intent-footer a { color: #6c7378; font-weight: 400; margin: 0 6px; }
#gdprCookieBanner { position: fixed; left: 0; right: 0; bottom: 0; background: #fff; box-shadow: 0 -2px 12px rgba(0,0,0,.15); padding: 16px 40px; display: flex; gap: 20px; align-items: center; z-index: 50; font-size: 13px; }
#gdprCookieBanner p { flex: 1; margin: 0; }
#gdprCookieBanner button { border-radius: 20px; padding: 8px 22px; font-weight: 700; cursor: pointer; border: 2px solid #001435; background: #fff; }
#gdprCookieBanner #acceptAllButton { background: #001435; color: #fff; }
.app-header { display: flex; align-items: center; gap: 26px; padding: 14px 40px; background: #001c64; color: #fff; }
.app-header .pp-logo, .app-header .pp-logo span { color: #fff; }
.app-header nav { display: flex; gap: 22px; flex: 1; }
.app-header a { color: #fff; }
.app-header .who { display: flex; gap: 12px; align-items: center; }
.app-header .avatar { width: 32px; height: 32px; border-radius: 50%; background: #ffd140; color: #001c64; display: flex; align-items: center; justify-content: center; font-weight: 800; }
.dash { max-width: 980px; margin: 30px auto; display: grid; grid-template-columns: 2fr 1fr; gap: 24px; padding: 0 20px; }
.card { background: #fff; border-radius: 16px; box-shadow: 0 1px 6px rgba(0,0,0,.1); padding: 22px; }
.balance { font-size: 40px; font-weight: 800; margin: 6px 0; }
.nag { max-width: 520px; margin: 60px auto; text-align: center; }
.nag .art { font-size: 60px; }
.nag .button { margin-top: 12px; }
.nag .not-now { background: none; color: #0070e0; }
"""

COOKIE_BANNER = """
<div id="gdprCookieBanner" class="gdprCookieBanner_container" role="region" aria-label="Cookie banner">
  <p id="gdprCookieContent_wrapper">If you accept cookies, we'll use them to improve and customize your experience and enable our
  partners to show you personalized PayPal ads when you visit other sites. <a href="/privacy">Manage cookies and learn more</a></p>
  <button type="button" id="acceptAllButton" class="gdprCookieBanner_button">Accept</button>
  <button type="button" id="bannerDeclineButton" class="gdprCookieBanner_decline-button">Decline</button>
</div>
<script>(function(){var b=document.getElementById('gdprCookieBanner');function choose(v){
document.cookie='cookie_prefs='+v+'; path=/; max-age=31536000; SameSite=Lax';b.remove();}
document.getElementById('acceptAllButton').addEventListener('click',function(){choose('T%3D1%2CP%3D1%2CF%3D1');});
document.getElementById('bannerDeclineButton').addEventListener('click',function(){choose('T%3D1%2CP%3D0%2CF%3D0');});})();</script>"""

SIGNIN_SCRIPT = r"""
(function () {
  var form = document.getElementById("loginForm");
  function $(id) { return document.getElementById(id); }
  function stage(name) {
    form.setAttribute("data-stage", name);
    $("splitEmail").classList.toggle("hide", name !== "email");
    $("splitPassword").classList.toggle("hide", name !== "password");
    $("loginActions").classList.toggle("hide", name !== "password");
  }
  function emailError(text) {
    var p = $("emailErrorMessage").querySelector(".invalidError");
    p.textContent = text; p.classList.toggle("hide", !text);
  }
  $("backToInputEmailLink").addEventListener("click", function (e) { e.preventDefault(); stage("email"); $("email").focus(); });
  form.addEventListener("submit", function (e) {
    if (form.getAttribute("data-stage") === "password") {
      if (!$("password").value) { e.preventDefault(); $("password").focus(); }
      return;  // the real post
    }
    e.preventDefault();
    var email = $("email").value.trim();
    if (!email) { emailError("Required"); return; }
    var body = new URLSearchParams(new FormData(form));
    body.set("splitLoginContext", "inputEmail");
    body.delete("login_password");
    fetch("/signin", { method: "POST", body: body, headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.notifications) { emailError(data.notifications.msg); return; }
        emailError("");
        $("displayEmail").textContent = email;
        stage("password");
        $("password").focus();
      })
      .catch(function () { emailError("Something went wrong. Please try again."); });
  });
})();
"""


class PayPalSite(Site):
    hosts = ("paypal.localhost",)
    brand = "PayPal"
    session_cookie = "login_email_session"
    identifier_key = "email"
    login_path = "/signin"

    scenario = Scenario(
        host="paypal.localhost",
        modelled_on="PayPal",
        shapes=("form", "site_error", "interstitial"),
        values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
        path=None,
        password_host="paypal.localhost",
        notes=(
            "Split login on one page: Next (inside the form) reveals the password stage by script; "
            "'Log In' sits outside the <form> with form=\"loginForm\". A cookie banner covers the bottom "
            "of the page until answered. After the password: a 'Link your bank' nag with 'Not now'."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/myaccount/summary") if self.session(req) else self.home(req)
            case "GET", "/signin":
                return self.signin_page(req)
            case "POST", "/signin":
                return self.signin_submit(req)
            case "GET", "/myaccount/interstitial/link-bank":
                return self.link_bank(req)
            case "POST", "/myaccount/interstitial/link-bank":
                return self.link_bank_submit(req)
            case "GET", "/myaccount/summary":
                return self.summary(req)
            case "GET", "/myaccount/money/banks/new":
                return self.app_page(req, "Link a bank", "<h1>Link a bank</h1><p>Search for your bank to link it instantly.</p>")
            case "GET", "/myaccount/activities" | "/myaccount/wallet" | "/myaccount/transfer":
                name = req.path.rsplit("/", 1)[1].capitalize()
                return self.app_page(req, name, f"<h1>{esc(name)}</h1><p>Nothing to show yet.</p>")
            case ("GET" | "POST"), "/myaccount/logout":
                response = redirect("/signin?logout=1")
                self.sign_out(req, response)
                return response
            case "GET", "/authflow/password-recovery":
                return self.public_page(req, "Forgot password", "<h1>Need help logging in?</h1><p>We'll send you a link (not in this sandbox).</p>")
            case "GET", "/welcome/signup":
                return self.public_page(req, "Sign up", "<h1>Sign up for PayPal</h1><p>Sign-ups are closed in this sandbox.</p>")
        return None

    # --- chrome

    def banner(self, req: Request | None) -> str:
        return "" if req is not None and req.cookies.get("cookie_prefs") else COOKIE_BANNER

    def chrome(
        self, title: str, main: str, session: Session | None, req: Request | None = None, *, minimal: bool = False
    ) -> str:
        if minimal:  # the sign-in page has no site header or footer, only its card
            body = f"{main}\n{self.banner(req)}"
            return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")
        if session:
            header = f"""
<header class="app-header"><a class="pp-logo" href="/myaccount/summary">Pay<span>Pal</span></a>
  <nav aria-label="Main"><a href="/myaccount/summary">Home</a><a href="/myaccount/transfer">Send and Request</a>
  <a href="/myaccount/wallet">Wallet</a><a href="/myaccount/activities">Activity</a><a href="/help">Help</a></nav>
  <div class="who"><span aria-label="Notifications">✉</span><span class="avatar" aria-hidden="true">{esc(accounts.DISPLAY_NAME[0])}</span>
  <span>{esc(accounts.DISPLAY_NAME)}</span><a href="/myaccount/logout" id="header-logout">Log Out</a></div>
</header>"""
        else:
            header = """
<header class="pp-header"><a class="pp-logo" href="/">Pay<span>Pal</span></a>
  <nav aria-label="Main"><a href="/docs">Personal</a><a href="/docs">Business</a><a href="/docs">Developer</a><a href="/help">Help</a></nav>
  <a href="/signin" class="pypl-btn" id="signin-link">Log In</a><a href="/welcome/signup" class="pypl-btn pypl-btn--primary">Sign Up</a>
</header>"""
        footer = """
<footer class="pp-footer"><a href="/help">Help</a><a href="/help">Contact</a><a href="/pricing">Fees</a><a href="/privacy">Security</a>
<a href="/docs">Apps</a><a href="/docs">Shop</a><a href="/docs">Enterprise</a><a href="/about">Partners</a><a href="/about">About</a>
<a href="/blog">Newsroom</a><a href="/about">Jobs</a><a href="/docs">Developers</a><span>© 1999–2025 PayPal, Inc. All rights reserved.</span>
<a href="/privacy">Accessibility</a><a href="/privacy">Privacy</a><a href="/privacy">Cookies</a><a href="/terms">Legal</a>
<select aria-label="Country"><option selected>United States</option><option>United Kingdom</option><option>Deutschland</option></select></footer>"""
        body = f"{header}\n{main}\n{footer}\n{self.banner(req)}"
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<main style="padding:30px 40px">{main}</main>', session), status)

    def public_page(self, req: Request, title: str, main: str) -> Response:
        return html_response(self.chrome(f"{title} | PayPal", f'<main style="padding:30px 40px">{main}</main>', self.session(req), req))

    def app_page(self, req: Request, title: str, main: str) -> Response:
        session = self.session(req)
        if not session:
            return redirect(f"/signin?returnUri={quote(req.path)}")
        return html_response(self.chrome(f"{title} | PayPal", f'<main class="dash"><div class="card">{main}</div></main>', session, req))

    # --- pages

    def home(self, req: Request) -> Response:
        main = """
<main>
  <section class="mkt-hero"><h1>Pay, send and save smarter</h1><p>Shop online, send money to friends and get rewarded — all in one app.</p>
    <a href="/welcome/signup" class="pypl-btn pypl-btn--primary">Sign Up for Free</a></section>
  <section class="tiles"><div><h3>Pay with PayPal</h3><p>Check out at millions of sites without re-entering card details.</p></div>
    <div><h3>Send money</h3><p>Send to friends and family in the US for free from your balance or bank.</p></div>
    <div><h3>Earn rewards</h3><p>Get cash back when you shop with participating brands.</p></div></section>
</main>"""
        return html_response(self.chrome("PayPal: Pay, Send and Save Smarter | PayPal US", main, None, req))

    def signin_page(
        self, req: Request, *, email: str = "", stage: str = "email", error: str = "", return_uri: str | None = None
    ) -> Response:
        return_uri = return_uri or safe_next(req.query.get("returnUri"), "/myaccount/summary")
        if self.session(req) and not error:
            return redirect(return_uri)
        on_password = stage == "password"
        notifications = (
            f'<div class="notifications" role="alert"><p class="notification notification-critical">{esc(error)}</p></div>'
            if error
            else '<div class="notifications"></div>'
        )
        main = f"""
<main id="main" class="main" role="main">
<section id="login" class="login" data-role="page" data-title="Log in to your PayPal account">
<div id="contents" class="contentContainer activeContent contentContainerBordered">
  <header><p role="img" aria-label="PayPal Logo" class="pp-logo">Pay<span>Pal</span></p></header>
  <h1 id="headerText" class="headerText accessAid">Log in to your PayPal account</h1>
  {notifications}
  <form action="/signin" method="post" class="proceed maskable" autocomplete="off" name="login" novalidate id="loginForm"
        data-stage="{esc(stage)}">
    <input type="hidden" name="_csrf" value="{secrets.token_urlsafe(18)}">
    <input type="hidden" name="locale.x" value="en_US">
    <input type="hidden" name="processSignin" value="main">
    <input type="hidden" name="intent" value="signin">
    <input type="hidden" name="returnUri" value="{esc(return_uri)}">
    <div id="splitEmail" class="splitEmail{' hide' if on_password else ''}">
      <div id="splitEmailSection" class="splitPhoneSection splitEmailSection adjustSection">
        <div class="textInput" id="login_emaildiv">
          <div class="fieldWrapper">
            <label for="email" class="fieldLabel">Email or mobile number</label>
            <input id="email" name="login_email" type="email" class="hasHelp validateEmpty" required value="{esc(email)}"
                   autocomplete="username" placeholder="Email or mobile number" aria-describedby="emailErrorMessage">
          </div>
          <div class="errorMessage" id="emailErrorMessage"><p class="emptyError hide">Required</p>
            <p class="invalidError hide"></p></div>
        </div>
      </div>
      <div class="forgotLink"><a href="/authflow/password-recovery" id="forgotEmail">Forgot email?</a></div>
      <div class="actions"><button class="button actionContinue scTrack:unifiedlogin-login-click-next" type="submit" id="btnNext"
        name="btnNext" value="Next">Next</button></div>
    </div>
    <div id="splitPassword" class="splitPassword{'' if on_password else ' hide'}">
      <div class="profileDisplayEmail"><span class="profileDisplayEmail" id="displayEmail">{esc(email)}</span>
        <a href="#" id="backToInputEmailLink" class="profileRememberedEmail">Change</a></div>
      <div class="textInput" id="login_passworddiv">
        <div class="fieldWrapper">
          <label for="password" class="fieldLabel">Password</label>
          <input id="password" name="login_password" type="password" class="hasHelp validateEmpty pin-password" required value=""
                 autocomplete="current-password" placeholder="Password" aria-describedby="passwordErrorMessage">
        </div>
        <div class="errorMessage" id="passwordErrorMessage"><p class="emptyError hide">Required</p></div>
      </div>
      <div class="forgotLink"><a href="/authflow/password-recovery" id="forgotPassword">Forgot password?</a></div>
    </div>
  </form>
  <div class="actions{'' if on_password else ' hide'}" id="loginActions">
    <button class="button actionContinue scTrack:unifiedlogin-login-submit" type="submit" id="btnLogin" name="btnLogin"
            value="Login" form="loginForm">Log In</button>
  </div>
  <div class="loginSignUpSeparator"><span class="textInSeparator">or</span></div>
  <a href="/welcome/signup" class="button secondary scTrack:unifiedlogin-click-signup-button" id="createAccount">Sign Up</a>
  <footer class="intent-footer"><a href="/help">Contact Us</a><a href="/privacy">Privacy</a><a href="/terms">Legal</a>
    <a href="/terms">Policy Updates</a><a href="/about">Worldwide</a></footer>
</div>
</section>
</main>
<script>{SIGNIN_SCRIPT}</script>"""
        return html_response(self.chrome("Log in to your PayPal account", main, None, req, minimal=True))

    def signin_submit(self, req: Request) -> Response:
        form = req.form
        email = form.get("login_email", "").strip()
        return_uri = safe_next(form.get("returnUri"), "/myaccount/summary")
        if form.get("splitLoginContext") == "inputEmail":  # the script's Next: any well-formed address goes on
            if "@" not in email and not email.replace("+", "").isdigit():
                return json_response({"notifications": {"type": "notification-warning", "msg": "That email or mobile number format isn't right"}})
            return json_response({"showPassword": True, "email": email})
        if "login_password" not in form:  # no script: Next posted the email alone
            return self.signin_page(req, email=email, stage="password", return_uri=return_uri)
        ok = accounts.check_password(email, form.get("login_password", ""))
        self.record_attempt(email, ok)
        if not ok:
            return self.signin_page(
                req, email=email, stage="password", return_uri=return_uri,
                error="Some of your info isn't correct. Please try again.",
            )
        # The link-your-bank nag comes before the session: "Not now" (or "Link a bank") finishes the login.
        response = redirect(f"/myaccount/interstitial/link-bank?returnUri={quote(return_uri)}")
        self.end_flow(req, response)
        self.start_flow(response, email, stage="nag")
        return response

    def _nag_flow(self, req: Request) -> Session | None:
        flow = self.flow(req)
        return flow if flow and flow.data.get("stage") == "nag" else None

    def link_bank(self, req: Request) -> Response:
        return_uri = safe_next(req.query.get("returnUri"), "/myaccount/summary")
        flow = self._nag_flow(req)
        if not flow:
            return redirect(return_uri if self.session(req) else "/signin")
        main = f"""
<header class="pp-header"><span class="pp-logo">Pay<span>Pal</span></span></header>
<main class="nag">
  <div class="art" aria-hidden="true">$</div>
  <h1>Link your bank to pay faster</h1>
  <p>Linking a bank lets you add money to your PayPal balance and pay when your card isn't accepted.
  It only takes a minute.</p>
  <form method="post" action="/myaccount/interstitial/link-bank">
    <input type="hidden" name="returnUri" value="{esc(return_uri)}">
    <button type="submit" name="choice" value="link" class="button actionContinue">Link a bank</button>
    <button type="submit" name="choice" value="skip" class="button not-now" id="notNowLink">Not now</button>
  </form>
</main>"""
        return html_response(self.chrome("Link your bank | PayPal", main, None, req, minimal=True))

    def link_bank_submit(self, req: Request) -> Response:
        flow = self._nag_flow(req)
        if not flow:
            return redirect("/signin")
        if req.form.get("choice") == "link":
            response = redirect("/myaccount/money/banks/new")
        else:
            response = redirect(safe_next(req.form.get("returnUri"), "/myaccount/summary"))
        self.sign_in(response)
        self.end_flow(req, response)
        return response

    def summary(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/signin?returnUri=%2Fmyaccount%2Fsummary")
        main = f"""
<main class="dash">
  <div>
    <h1>Good morning, {esc(accounts.DISPLAY_NAME)}</h1>
    <div class="card"><p>PayPal balance</p><p class="balance">$1,284.56</p><p>Available · {esc(accounts.EMAIL)}</p>
      <a href="/myaccount/transfer">Transfer Money</a></div>
    <div class="card" style="margin-top:20px"><h2>Recent activity</h2>
      <p>Coffee Roasters Co. · Mar 2 · −$18.50</p><p>Payment from Bob · Mar 1 · +$40.00</p><p>Online Books · Feb 27 · −$12.99</p></div>
  </div>
  <div><div class="card"><h3>Send again</h3><p>Bob · Carol · Dan</p></div>
    <div class="card" style="margin-top:20px"><h3>Banks and cards</h3><p>Visa ••••4242</p><a href="/myaccount/money/banks/new">Link a bank</a></div></div>
</main>"""
        return html_response(self.chrome("Summary | PayPal", main, session, req))
