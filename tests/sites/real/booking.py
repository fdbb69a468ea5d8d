"""booking.localhost — modelled on Booking.com (www and account.booking.com's sign-in on one host).

Steps: on a first visit every page sits under a blocking cookie-consent wall (OneTrust's
``#onetrust-banner-sdk``, ``role="dialog" aria-modal="true"`` over a full-page filter) with "Accept",
"Decline" and "Manage settings"; the header's "Sign in" is inside a menu behind a "Menu" button
(``aria-expanded``), ``hidden`` until clicked → ``/sign-in``: a single-page app whose script renders
the form only after a moment: "Email address" (``#username``) → "Continue with email"
(``POST /api/sign-in/email``, JSON) → the script *replaces* the form with a new one (same URL):
"Password" (``#password``) → "Sign in" (``POST /api/sign-in/password``, JSON) → ``/sign-in/verify``:
"Verify it's you" with one row per factor — "Authenticator app", "Text message", "Email" — each a heading,
a line of text and its own "Select" button → the authenticator row → ``/sign-in/verify/code``: the
6-digit code → ``/mysettings`` (account settings; avatar menu with "Sign out").

Shapes:
- interstitial: the consent wall (``aria-modal``; the choice is kept in the ``OptanonAlertBoxClosed``
  cookie the wall's script sets).
- entry_point: "Sign in" in ``<nav id="header-menu" hidden>`` opened by ``button[aria-label=Menu]``.
- late_spa: ``/sign-in`` serves a skeleton; the email form appears after ~500 ms and the password form
  replaces it after the email is accepted.
- mfa_rows: ``/sign-in/verify`` — ``li.nw-factor-row`` cards, each with an ``h3`` and a "Select" button.
- site_error: ``<div class="nw-password-error" id="password-note" aria-live="polite">The email and
  password combination entered doesn't match.</div>``, the field ``aria-invalid="true"
  aria-describedby="password-note"``.
"""

from __future__ import annotations

import secrets

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
)
from tests.sites.real import Scenario

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 BlinkMacSystemFont, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #1a1a1a; background: #fff; }
a { color: #006ce4; text-decoration: none; }
.bui-header { background: #003b95; color: #fff; padding: 12px 28px 0; }
.bui-header .row { display: flex; align-items: center; gap: 16px; padding-bottom: 12px; }
.bui-header .logo { font: 700 24px/1 Arial, sans-serif; color: #fff; margin-right: auto; }
.bui-header .logo span { color: #6bd1ff; }
.bui-header .hdr-btn { background: none; border: 0; color: #fff; font: inherit; font-weight: 600; padding: 8px; border-radius: 4px; cursor: pointer; }
.bui-header .hdr-btn:hover { background: rgba(255,255,255,.1); }
.hamburger { font-size: 22px; line-height: 1; }
.header-menu { position: absolute; right: 28px; top: 58px; width: 280px; background: #fff; color: #1a1a1a; border-radius: 8px; box-shadow: 0 4px 16px rgba(26,26,26,.24); padding: 8px 0; z-index: 30; }
.header-menu[hidden] { display: none; }
.header-menu a, .header-menu p { display: block; padding: 10px 18px; color: #1a1a1a; margin: 0; }
.header-menu a:hover { background: #f2f2f2; }
.header-menu .primary { color: #006ce4; font-weight: 700; }
.header-menu hr { border: 0; border-top: 1px solid #e7e7e7; margin: 6px 0; }
.avatar-btn { display: flex; align-items: center; gap: 8px; }
.avatar { width: 32px; height: 32px; border-radius: 50%; background: #febb02; color: #1a1a1a; display: inline-flex; align-items: center; justify-content: center; font-weight: 700; border: 2px solid #fff; }
.tabs { display: flex; gap: 8px; padding-bottom: 14px; }
.tabs a { color: #fff; border: 1px solid transparent; border-radius: 30px; padding: 8px 14px; }
.tabs a.active { border-color: #fff; background: rgba(255,255,255,.1); }
.hero { background: #003b95; color: #fff; padding: 30px 28px 70px; }
.hero h1 { font-size: 44px; margin: 0; }
.search { display: flex; gap: 4px; background: #ffb700; padding: 4px; border-radius: 8px; margin: -28px 28px 30px; }
.search > * { flex: 1; border: 0; border-radius: 4px; padding: 14px; font-size: 15px; background: #fff; }
.search button { flex: 0 0 120px; background: #006ce4; color: #fff; font-weight: 600; font-size: 18px; }
section.block { padding: 10px 28px 20px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; }
.cards div { border-radius: 8px; background: #f0f6ff; padding: 60px 14px 14px; font-weight: 700; }
.newsletter { background: #00224f; color: #fff; text-align: center; padding: 30px; }
.newsletter input { padding: 12px; width: 320px; border: 0; border-radius: 4px; }
.newsletter button { padding: 12px 18px; background: #006ce4; color: #fff; border: 0; border-radius: 4px; }
.bfooter { padding: 24px 28px; font-size: 12px; color: #595959; display: flex; flex-wrap: wrap; gap: 18px; }
.signin-hdr { background: #003b95; padding: 14px 28px; display: flex; align-items: center; gap: 16px; }
.signin-hdr .logo { font: 700 22px/1 Arial, sans-serif; color: #fff; margin-right: auto; }
.signin-hdr .logo span { color: #6bd1ff; }
.signin-hdr .hdr-btn { color: #fff; }
.nw-signin-page { max-width: 380px; margin: 36px auto; }
.nw-signin-page h1 { font-size: 20px; margin: 0 0 10px; }
.skeleton { height: 14px; background: linear-gradient(90deg, #eee, #f7f7f7, #eee); border-radius: 4px; margin: 14px 0; }
.bui-form__group { margin: 18px 0; }
.bui-form__label { display: block; font-weight: 500; margin-bottom: 6px; }
.bui-form__control { width: 100%; height: 36px; border: 1px solid #868686; border-radius: 4px; padding: 4px 8px; font-size: 14px; }
.bui-form__control[aria-invalid=true] { border-color: #d4111e; }
.bui-form__error, .nw-password-error { color: #d4111e; font-size: 12px; margin-top: 4px; min-height: 4px; }
.password-wrapper { position: relative; }
.password-wrapper button { position: absolute; right: 4px; top: 4px; border: 0; background: none; cursor: pointer; }
.bui-button { width: 100%; height: 48px; border-radius: 4px; border: 0; font-size: 16px; font-weight: 500; cursor: pointer; }
.bui-button--primary { background: #006ce4; color: #fff; }
.bui-button--secondary { background: #fff; color: #006ce4; border: 1px solid #006ce4; height: 36px; width: auto; padding: 0 18px; font-size: 14px; }
.bui-button[disabled] { opacity: .6; }
.divider { text-align: center; color: #595959; margin: 28px 0 14px; font-size: 13px; }
.social { display: flex; justify-content: center; gap: 24px; }
.social button { width: 56px; height: 56px; border: 1px solid #e7e7e7; border-radius: 4px; background: #fff; font-size: 20px; cursor: pointer; }
.legal { font-size: 12px; color: #595959; margin-top: 30px; border-top: 1px solid #e7e7e7; padding-top: 16px; }
.nw-factor-list { list-style: none; padding: 0; margin: 20px 0; }
.nw-factor-row { display: flex; align-items: center; gap: 14px; border: 1px solid #e7e7e7; border-radius: 8px; padding: 14px; margin-bottom: 10px; }
.nw-factor-row .nw-factor-icon { font-size: 24px; }
.nw-factor-row .nw-factor-text { flex: 1; }
.nw-factor-row h3 { font-size: 15px; margin: 0; }
.nw-factor-row p { margin: 2px 0 0; color: #595959; font-size: 13px; }
.settings { max-width: 1000px; margin: 30px auto; padding: 0 20px; }
.settings .grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.settings .grid a { display: block; border: 1px solid #e7e7e7; border-radius: 8px; padding: 16px; color: #1a1a1a; }
.settings .grid small { display: block; color: #595959; }
#onetrust-consent-sdk .onetrust-pc-dark-filter { position: fixed; inset: 0; background: rgba(0,0,0,.55); z-index: 2147483000; }
#onetrust-banner-sdk { position: fixed; left: 50%; top: 50%; transform: translate(-50%, -50%); width: 560px; max-width: calc(100% - 32px); background: #fff; border-radius: 8px; padding: 24px 28px; z-index: 2147483001; box-shadow: 0 8px 32px rgba(0,0,0,.3); }
#onetrust-banner-sdk h2 { font-size: 18px; margin: 0 0 10px; }
#onetrust-banner-sdk #onetrust-policy-text { font-size: 13px; color: #333; }
#onetrust-button-group { display: flex; gap: 10px; margin-top: 18px; flex-wrap: wrap; }
#onetrust-button-group button { flex: 1; height: 40px; border-radius: 4px; font-weight: 600; cursor: pointer; border: 1px solid #006ce4; background: #fff; color: #006ce4; }
#onetrust-button-group #onetrust-accept-btn-handler, #onetrust-button-group #onetrust-reject-all-handler { background: #006ce4; color: #fff; }
#ot-pc-panel { margin-top: 14px; font-size: 13px; }
#ot-pc-panel[hidden] { display: none; }
"""

CONSENT_WALL = """
<div id="onetrust-consent-sdk">
  <div class="onetrust-pc-dark-filter ot-fade-in"></div>
  <div id="onetrust-banner-sdk" class="otCenterRounded ot-wo-title" role="dialog" aria-modal="true" aria-label="Cookie banner"
       aria-describedby="onetrust-policy-text" tabindex="0">
    <div id="onetrust-policy"><h2 id="onetrust-policy-title">We value your privacy</h2>
      <div id="onetrust-policy-text">We use cookies and similar technologies to make our website work, to analyse site usage, and to show
      you personalised content and ads, including from partners. Click "Accept" to consent to all cookies, "Decline" to reject
      non-essential cookies, or "Manage settings" to choose. You can change your choice at any time under "Cookie settings" at the
      bottom of the page. <a href="/privacy" class="ot-cookie-policy-link">Cookie statement</a></div></div>
    <div id="ot-pc-panel" hidden><label><input type="checkbox" checked disabled> Strictly necessary</label><br>
      <label><input type="checkbox" id="ot-group-analytics"> Analytics</label><br>
      <label><input type="checkbox" id="ot-group-marketing"> Marketing</label></div>
    <div id="onetrust-button-group-parent"><div id="onetrust-button-group">
      <button id="onetrust-accept-btn-handler">Accept</button>
      <button id="onetrust-reject-all-handler">Decline</button>
      <button id="onetrust-pc-btn-handler" class="cookie-setting-link">Manage settings</button>
    </div></div>
  </div>
</div>
<script>(function(){
  var sdk=document.getElementById('onetrust-consent-sdk');
  function close(groups){var now=new Date().toISOString();
    document.cookie='OptanonAlertBoxClosed='+now+'; path=/; max-age=31536000; SameSite=Lax';
    document.cookie='OptanonConsent=groups='+encodeURIComponent(groups)+'; path=/; max-age=31536000; SameSite=Lax';
    sdk.remove();}
  document.getElementById('onetrust-accept-btn-handler').addEventListener('click',function(){close('C0001:1,C0002:1,C0004:1');});
  document.getElementById('onetrust-reject-all-handler').addEventListener('click',function(){close('C0001:1,C0002:0,C0004:0');});
  document.getElementById('onetrust-pc-btn-handler').addEventListener('click',function(){var p=document.getElementById('ot-pc-panel');p.hidden=!p.hidden;});
  document.getElementById('onetrust-banner-sdk').focus();
})();</script>"""

MENU_SCRIPT = """
document.querySelectorAll('[data-menu-toggle]').forEach(function (b) {
  var menu = document.getElementById(b.getAttribute('aria-controls'));
  b.addEventListener('click', function (e) { e.stopPropagation(); var open = menu.hidden; menu.hidden = !open; b.setAttribute('aria-expanded', String(open)); });
  document.addEventListener('click', function (e) { if (!menu.contains(e.target)) { menu.hidden = true; b.setAttribute('aria-expanded', 'false'); } });
});
"""

SIGNIN_SCRIPT = r"""
(function () {
  var root = document.getElementById("nw-root");
  var state = { email: "", context: "" };
  function h(html) { var t = document.createElement("template"); t.innerHTML = html.trim(); return t.content.firstChild; }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function api(path, body) {
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/json", "X-Booking-Context-Action": "sign_in" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); });
  }
  function busy(button, on) { button.disabled = on; button.setAttribute("aria-busy", String(on)); }
  function social() {
    return '<div class="nw-social"><p class="divider">or use one of these options</p><div class="social">' +
      '<button type="button" aria-label="Sign in with Google">G</button><button type="button" aria-label="Sign in with Apple"></button>' +
      '<button type="button" aria-label="Sign in with Facebook">f</button></div></div>';
  }
  function legal() {
    return '<p class="legal">By signing in or creating an account, you agree with our <a href="/terms">Terms &amp; conditions</a> and ' +
      '<a href="/privacy">Privacy statement</a>.<br>All rights reserved. Copyright (2006–2025) – Booking.com™</p>';
  }
  function emailView() {
    var view = h('<div class="nw-signin-page"><h1>Sign in or create an account</h1>' +
      '<p>You can sign in using your Booking.com account to access our services.</p>' +
      '<form novalidate class="nw-signin" id="nw-email-form"><div class="bui-form__group">' +
      '<label for="username" class="bui-form__label">Email address</label>' +
      '<input type="email" name="username" id="username" class="bui-form__control" autocomplete="username" placeholder="Enter your email address" value="' + esc(state.email) + '">' +
      '<div id="username-note" class="bui-form__error" aria-live="polite"></div></div>' +
      '<button type="submit" class="bui-button bui-button--large bui-button--wide bui-button--primary"><span class="bui-button__text">Continue with email</span></button></form>' +
      social() + legal() + "</div>");
    var form = view.querySelector("form"), input = view.querySelector("#username"), note = view.querySelector("#username-note");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.value.trim())) {
        note.textContent = "Please enter a valid email address"; input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", "username-note"); return;
      }
      busy(button, true);
      api("/api/sign-in/email", { login_name: input.value.trim() }).then(function (res) {
        if (!res.ok) { busy(button, false); note.textContent = res.data.error; return; }
        state.email = res.data.login_name; state.context = res.data.context;
        setTimeout(res.data.next_step === "STEP_SIGN_IN__PASSWORD" ? passwordView : registerView, 350);
      }).catch(function () { busy(button, false); note.textContent = "Something went wrong – please try again."; });
    });
    root.replaceChildren(view); input.focus();
  }
  function passwordView() {
    var view = h('<div class="nw-signin-page"><h1>Enter your password</h1>' +
      '<p>Please enter your Booking.com password for <strong>' + esc(state.email) + '</strong>.</p>' +
      '<form novalidate class="nw-signin" id="nw-password-form"><div class="bui-form__group">' +
      '<label for="password" class="bui-form__label">Password</label>' +
      '<div class="password-wrapper"><input type="password" name="password" id="password" class="bui-form__control" autocomplete="current-password" placeholder="Enter your password">' +
      '<button type="button" aria-label="Show password">Show</button></div></div>' +
      '<button type="submit" class="bui-button bui-button--large bui-button--wide bui-button--primary"><span class="bui-button__text">Sign in</span></button></form>' +
      '<p><a href="/help">Forgot your password?</a></p><p><a href="#" class="nw-back">Sign in with a different email</a></p>' + legal() + "</div>");
    var form = view.querySelector("form"), input = view.querySelector("#password");
    view.querySelector(".password-wrapper button").addEventListener("click", function () { input.type = input.type === "password" ? "text" : "password"; });
    view.querySelector(".nw-back").addEventListener("click", function (e) { e.preventDefault(); emailView(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = form.querySelector("button[type=submit]");
      busy(button, true);
      api("/api/sign-in/password", { context: state.context, password: input.value }).then(function (res) {
        if (res.ok) { location.assign(res.data.redirect_uri); return; }
        busy(button, false);
        var note = document.getElementById("password-note");
        if (!note) {
          note = h('<div class="nw-password-error" id="password-note" aria-live="polite"></div>');
          input.closest(".bui-form__group").appendChild(note);
        }
        note.textContent = res.data.error;
        input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "password-note");
        input.value = ""; input.focus();
      }).catch(function () { busy(button, false); });
    });
    root.replaceChildren(view); input.focus();
  }
  function registerView() {
    var view = h('<div class="nw-signin-page"><h1>Create password</h1><p>Use a minimum of 10 characters, including uppercase letters, lowercase letters and numbers.</p>' +
      '<form novalidate class="nw-signin"><div class="bui-form__group"><label for="new_password" class="bui-form__label">Password</label>' +
      '<input type="password" name="new_password" id="new_password" class="bui-form__control" autocomplete="new-password"></div>' +
      '<div class="bui-form__group"><label for="confirmed_password" class="bui-form__label">Confirm password</label>' +
      '<input type="password" name="confirmed_password" id="confirmed_password" class="bui-form__control" autocomplete="new-password"></div>' +
      '<div class="bui-form__error" aria-live="polite" id="register-note"></div>' +
      '<button type="submit" class="bui-button bui-button--primary">Create account</button></form>' +
      '<p><a href="#" class="nw-back">Sign in with a different email</a></p>' + legal() + "</div>");
    view.querySelector("form").addEventListener("submit", function (e) { e.preventDefault();
      view.querySelector("#register-note").textContent = "We can't create new accounts right now. Please try again later."; });
    view.querySelector(".nw-back").addEventListener("click", function (e) { e.preventDefault(); emailView(); });
    root.replaceChildren(view);
  }
  setTimeout(emailView, 500);  // the app's bundle arrives late; a skeleton shows meanwhile
})();
"""

FACTORS = {
    "totp": ("⚿", "Authenticator app", "Get a code from an authenticator app such as Google Authenticator"),
    "sms": ("✆", "Text message", f"We'll text a code to {accounts.MASKED_PHONE}"),
    "email": ("✉", "Email", f"We'll send a code to {accounts.MASKED_EMAIL}"),
}


class BookingSite(Site):
    hosts = ("booking.localhost",)
    brand = "Booking.com"
    session_cookie = "bkng"
    flow_cookie = "bkng_sso_auth"
    identifier_key = "email"
    login_path = "/sign-in"

    scenario = Scenario(
        host="booking.localhost",
        modelled_on="Booking.com",
        shapes=("interstitial", "entry_point", "late_spa", "mfa_rows", "site_error"),
        values={"email": accounts.EMAIL, "password": accounts.PASSWORD},
        path=None,
        totp=True,
        password_host="booking.localhost",
        notes=(
            "A blocking consent wall (aria-modal) on every page until answered; 'Sign in' behind a "
            "'Menu' button; the sign-in app renders late and replaces its email form with a password "
            "form; then factor rows each with a 'Select' button — pick 'Authenticator app'."
        ),
    )

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.home(req)
            case "GET", "/sign-in":
                return redirect("/mysettings") if self.session(req) else self.signin_shell(req)
            case "POST", "/api/sign-in/email":
                return self.api_email(req)
            case "POST", "/api/sign-in/password":
                return self.api_password(req)
            case "GET", "/sign-in/verify":
                return self.factor_page(req)
            case "POST", "/sign-in/verify":
                return self.factor_submit(req)
            case "GET", "/sign-in/verify/code":
                return self.code_page(req)
            case "POST", "/sign-in/verify/code":
                return self.code_submit(req)
            case "GET", "/mysettings":
                return self.settings(req)
            case "GET", "/mysettings/personal" | "/mysettings/security" | "/mytrips":
                session = self.session(req)
                if not session:
                    return redirect("/sign-in")
                name = req.path.rsplit("/", 1)[1].capitalize()
                return self.render(name, f"<h1>{esc(name)}</h1><p>Nothing to change here yet.</p>", session)
            case ("GET" | "POST"), "/sign-out":
                response = redirect("/")
                self.sign_out(req, response)
                return response
            case "POST", "/newsletter":
                return self.render("Subscribed", "<h1>Thanks! You're subscribed.</h1>", self.session(req))
        return None

    # --- chrome

    def wall(self, req: Request | None) -> str:
        return "" if req is not None and req.cookies.get("OptanonAlertBoxClosed") else CONSENT_WALL

    def header(self, session: Session | None) -> str:
        if session:
            account = f"""
<button type="button" class="hdr-btn avatar-btn" data-menu-toggle aria-haspopup="true" aria-expanded="false" aria-controls="account-menu"
        aria-label="Your account, {esc(accounts.DISPLAY_NAME)}"><span class="avatar" aria-hidden="true">{esc(accounts.DISPLAY_NAME[0])}</span>
  <span>{esc(accounts.DISPLAY_NAME)}<br><small>Genius Level 1</small></span></button>
<nav id="account-menu" class="header-menu" hidden aria-label="Your account">
  <a href="/mysettings">Manage account</a><a href="/mytrips">Bookings &amp; Trips</a><a href="/mysettings">Genius loyalty programme</a>
  <a href="/mysettings">Rewards &amp; Wallet</a><a href="/mysettings">Reviews</a><a href="/mysettings">Saved</a><hr>
  <a href="/sign-out" id="signout-link">Sign out</a>
</nav>"""
            menu = ""
        else:
            account = ""
            menu = """
<button type="button" class="hdr-btn hamburger" data-menu-toggle aria-label="Menu" aria-haspopup="true" aria-expanded="false"
        aria-controls="header-menu" data-testid="header-menu-button">☰</button>
<nav id="header-menu" class="header-menu" hidden aria-label="Menu">
  <a href="/sign-in?op_token=EgVvYXV0aCJ" class="primary" data-testid="header-sign-in-button">Sign in</a>
  <a href="/sign-in?op_token=EgVvYXV0aCJ&amp;register=1">Register</a><hr>
  <a href="/help">Customer Service help</a><a href="/about">List your property</a>
  <p>Currency · USD</p><p>Language · English (US)</p>
</nav>"""
        return f"""
<header class="bui-header" role="banner"><div class="row">
  <a class="logo" href="/" aria-label="Booking.com">Booking<span>.com</span></a>
  <button type="button" class="hdr-btn" aria-label="Prices in U.S. Dollar">USD</button>
  <button type="button" class="hdr-btn" aria-label="Language: English (US)">EN</button>
  <a class="hdr-btn" href="/help" aria-label="Customer Service help">?</a>
  <a class="hdr-btn" href="/about">List your property</a>
  {account}{menu}
</div>
<nav class="tabs" aria-label="Products"><a class="active" href="/">Stays</a><a href="/docs">Flights</a><a href="/docs">Flight + Hotel</a>
<a href="/docs">Car rentals</a><a href="/docs">Attractions</a><a href="/docs">Airport taxis</a></nav></header>"""

    def footer(self) -> str:
        return """
<section class="newsletter"><h2>Save time, save money!</h2><p>Sign up and we'll send the best deals to you</p>
<form action="/newsletter" method="post"><input type="email" name="newsletter_email" placeholder="Your email address" aria-label="Your email address">
<button type="submit">Subscribe</button></form></section>
<footer class="bfooter"><a href="/help">Customer Service help</a><a href="/about">About Booking.com</a><a href="/terms">Terms &amp; conditions</a>
<a href="/privacy">Privacy &amp; cookie statement</a><a href="/privacy">Cookie settings</a><a href="/about">Careers</a>
<span>Copyright © 1996–2025 Booking.com™. All rights reserved.</span></footer>"""

    def chrome(self, title: str, main: str, session: Session | None, req: Request | None = None) -> str:
        body = f"{self.header(session)}\n{main}\n{self.footer()}\n<script>{MENU_SCRIPT}</script>\n{self.wall(req)}"
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(f"{title} | Booking.com", f'<main class="settings">{main}</main>', session), status)

    def account_page(self, req: Request, title: str, main: str, session: Session | None = None) -> Response:
        """The sign-in pages: a slimmer header, as account.booking.com has."""
        body = f"""
<header class="signin-hdr"><a class="logo" href="/" aria-label="Booking.com">Booking<span>.com</span></a>
<button type="button" class="hdr-btn" style="color:#fff" aria-label="Language: English (US)">EN</button>
<a class="hdr-btn" href="/help" aria-label="Customer Service help" style="color:#fff">?</a></header>
<main>{main}</main>
{self.wall(req)}"""
        return html_response(document(f"{title} | Booking.com", body, css=CSS, body_attrs=LOGGED_IN if session else ""))

    # --- www

    def home(self, req: Request) -> Response:
        session = self.session(req)
        hello = f"<p>Welcome back, {esc(accounts.DISPLAY_NAME)} — you're at Genius Level 1.</p>" if session else ""
        main = f"""
<section class="hero"><h1>Find your next stay</h1><p>Search deals on hotels, homes, and much more...</p>{hello}</section>
<form class="search" action="/search" role="search">
  <input name="ss" placeholder="Where are you going?" aria-label="Where are you going?" autocomplete="off">
  <input name="dates" placeholder="Check-in date — Check-out date" aria-label="Check-in date — Check-out date">
  <input name="group" value="2 adults · 0 children · 1 room" aria-label="Occupancy">
  <button type="submit">Search</button>
</form>
<section class="block"><h2>Offers</h2><p>Promotions, deals and special offers for you</p>
  <div class="cards"><div>Late Escape Deals</div><div>Holiday rentals</div><div>Weekend deals</div><div>Genius discounts</div></div></section>
<section class="block"><h2>Trending destinations</h2><div class="cards"><div>London</div><div>Paris</div><div>Amsterdam</div><div>Barcelona</div></div></section>"""
        return html_response(self.chrome("Booking.com | Official site | The best hotels, flights, car rentals & accommodations", main, session, req))

    # --- account: sign-in app

    def signin_shell(self, req: Request) -> Response:
        main = f"""
<div id="nw-root"><div class="nw-signin-page" aria-busy="true"><div class="skeleton" style="width:60%"></div>
<div class="skeleton"></div><div class="skeleton" style="height:36px"></div><div class="skeleton" style="height:48px"></div></div></div>
<script>{SIGNIN_SCRIPT}</script>"""
        return self.account_page(req, "Sign in or create an account", main)

    def api_email(self, req: Request) -> Response:
        login = str(req.json.get("login_name", "")).strip()
        if "@" not in login:
            return json_response({"error": "Please enter a valid email address"}, 400)
        if not accounts.is_email(login):
            return json_response({"next_step": "STEP_REGISTER__PASSWORD", "login_name": login, "context": ""})
        context = secrets.token_urlsafe(12)
        response = json_response({"next_step": "STEP_SIGN_IN__PASSWORD", "login_name": login, "context": context})
        self.end_flow(req, response)
        self.start_flow(response, login, stage="password", context=context)
        return response

    def api_password(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow or flow.data.get("context") != str(req.json.get("context", "")):
            return json_response({"error": "Your session has expired. Please sign in again."}, 400)
        ok = accounts.check_password(flow.user, str(req.json.get("password", "")))
        self.record_attempt(flow.user, ok)
        if not ok:
            return json_response({"error": "The email and password combination entered doesn't match."}, 401)
        flow.data["stage"] = "factor"
        return json_response({"redirect_uri": "/sign-in/verify"})

    def factor_page(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow or flow.data.get("stage") not in ("factor", "code"):
            return redirect("/sign-in")
        rows = "".join(
            f"""<li class="nw-factor-row" data-factor="{key}"><span class="nw-factor-icon" aria-hidden="true">{icon}</span>
  <div class="nw-factor-text"><h3>{esc(title)}</h3><p>{esc(text)}</p></div>
  <button type="submit" name="factor" value="{key}" class="bui-button bui-button--secondary">Select</button></li>"""
            for key, (icon, title, text) in FACTORS.items()
        )
        main = f"""
<div class="nw-signin-page">
  <h1>Verify it's you</h1>
  <p>To keep your account safe, we need to check it's really you signing in as {esc(flow.user)}. Choose how you'd like to verify.</p>
  <form method="post" action="/sign-in/verify"><ul class="nw-factor-list">{rows}</ul></form>
  <p><a href="/help">Can't use any of these?</a></p>
</div>"""
        return self.account_page(req, "Verify it's you", main)

    def factor_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        factor = req.form.get("factor", "")
        if not flow or flow.data.get("stage") not in ("factor", "code") or factor not in FACTORS:
            return redirect("/sign-in")
        flow.data.update(stage="code", factor=factor)
        if factor != "totp":
            flow.data["code"] = self.send_code()
        return redirect("/sign-in/verify/code")

    def code_page(self, req: Request, *, error: str = "") -> Response:
        flow = self.flow(req)
        if not flow or flow.data.get("stage") != "code":
            return redirect("/sign-in")
        factor = flow.data["factor"]
        if factor == "totp":
            heading, text = "Enter the code from your authenticator app", "Open your authenticator app and enter the 6-digit code shown for Booking.com."
        else:
            target = accounts.MASKED_PHONE if factor == "sms" else accounts.MASKED_EMAIL
            heading, text = "Enter your verification code", f"We sent a 6-digit code to {target}. It's valid for 10 minutes."
        note = (
            f'<div class="bui-form__error" id="code-note" aria-live="polite">{esc(error)}</div>'
            if error
            else '<div class="bui-form__error" id="code-note" aria-live="polite"></div>'
        )
        main = f"""
<div class="nw-signin-page">
  <h1>{esc(heading)}</h1><p>{esc(text)}</p>
  <form method="post" action="/sign-in/verify/code" novalidate>
    <div class="bui-form__group"><label for="otp-code" class="bui-form__label">Verification code</label>
      <input type="text" id="otp-code" name="code" class="bui-form__control" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
             {'aria-invalid="true" aria-describedby="code-note"' if error else ''}>{note}</div>
    <button type="submit" class="bui-button bui-button--primary">Verify</button>
  </form>
  <p><a href="/sign-in/verify">Choose another verification method</a></p>
</div>"""
        return self.account_page(req, "Verify it's you", main)

    def code_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow or flow.data.get("stage") != "code":
            return redirect("/sign-in")
        code = req.form.get("code", "").strip()
        if flow.data["factor"] == "totp":
            ok = accounts.verify_totp(code)
        else:
            ok = code == flow.data.get("code")
        if not ok:
            return self.code_page(req, error="The code you entered is incorrect. Please try again.")
        response = redirect("/mysettings")
        self.end_flow(req, response)
        self.sign_in(response, factor=flow.data["factor"])
        return response

    # --- account settings

    def settings(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/sign-in")
        tiles = [
            ("Personal details", "Update your info and find out how it's used.", "/mysettings/personal"),
            ("Security", "Change your security settings, set up secure authentication or delete your account.", "/mysettings/security"),
            ("Preferences", "Change your language, currency and accessibility requirements.", "/mysettings"),
            ("Payment methods", "Securely add or remove payment methods to make it easier when you book.", "/mysettings"),
            ("Privacy", "Exercise your privacy rights and control how your data is used.", "/mysettings"),
            ("Email preferences", "Decide what you want to be notified about, and unsubscribe from what you don't.", "/mysettings"),
        ]
        grid = "".join(f'<a href="{href}"><b>{esc(t)}</b><small>{esc(d)}</small></a>' for t, d, href in tiles)
        main = f"""<h1>Account settings</h1><p>Manage your Booking.com experience, {esc(accounts.DISPLAY_NAME)} ({esc(accounts.EMAIL)}).</p>
<div class="grid">{grid}</div>"""
        return html_response(self.chrome("Account settings | Booking.com", f'<main class="settings">{main}</main>', session, req))

