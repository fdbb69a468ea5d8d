"""captcha.localhost — "Quill": a login form guarded by a reCAPTCHA-like widget nobody can solve here.

The widget looks like Google's ("I'm not a robot" in a bordered box under ``div.g-recaptcha``);
ticking it opens an image challenge that never passes. Submitting without a solved CAPTCHA answers
"Please complete the CAPTCHA" — a page the login engine must recognise and hand to a human.
"""

from __future__ import annotations

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
)

SITE_KEY = "6LcSandboxAAAAAJ-not-a-real-site-key"

CSS = """
body { margin: 0; font: 15px/1.5 Palatino, 'Book Antiqua', serif; background: #fdfcf9; color: #2e2a24; }
.head { display: flex; gap: 22px; align-items: baseline; padding: 18px 44px; border-bottom: 1px solid #e7e2d8; }
.head .q { font-size: 24px; font-style: italic; color: #7c2d12; text-decoration: none; margin-right: 20px; }
.head a { color: #57534e; } .head .acc { margin-left: auto; }
.form-wrap { width: 360px; margin: 50px auto; }
.form-wrap label { display: block; margin: 12px 0 4px; }
.form-wrap input[type=text], .form-wrap input[type=password] { width: 100%; box-sizing: border-box; padding: 8px; border: 1px solid #a8a29e; }
.g-recaptcha { margin: 18px 0; }
.rc-anchor { width: 300px; height: 74px; box-sizing: border-box; border: 1px solid #d3d3d3; border-radius: 3px; background: #f9f9f9;
  box-shadow: 0 0 4px 1px rgba(0,0,0,.08); display: flex; align-items: center; padding: 0 12px; font: 14px Roboto, Arial, sans-serif; }
.rc-checkbox { width: 24px; height: 24px; border: 2px solid #c1c1c1; border-radius: 2px; background: #fff; margin-right: 12px; cursor: pointer; }
.rc-logo { margin-left: auto; text-align: center; font-size: 10px; color: #555; }
.rc-challenge { width: 300px; border: 1px solid #ccc; background: #fff; padding: 10px; margin-top: 6px; font: 13px Arial, sans-serif; }
.rc-challenge .hdr { background: #1a73e8; color: #fff; padding: 12px; }
.rc-challenge .grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4px; margin: 6px 0; }
.rc-challenge .grid div { height: 60px; background: #cfd8dc; }
.submit { padding: 9px 26px; background: #7c2d12; color: #fff; border: 0; cursor: pointer; font-size: 15px; }
.error { color: #b91c1c; border-left: 3px solid #b91c1c; padding-left: 10px; }
"""

WIDGET_SCRIPT = """
document.getElementById("recaptcha-anchor").addEventListener("click", function () {
  this.setAttribute("aria-checked", "false");
  document.getElementById("rc-challenge").hidden = false;
});
document.getElementById("rc-verify").addEventListener("click", function () {
  document.getElementById("rc-challenge-msg").textContent = "Please try again.";
});
"""


class CaptchaSite(Site):
    hosts = ("captcha.localhost",)
    brand = "Quill"
    session_cookie = "quill"
    identifier_key = "username"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.render(
                    "Quill", "<h1>Write, every day.</h1><p><a href='/login'>Log in</a></p>", self.session(req)
                )
            case "GET", "/login":
                return redirect("/") if self.session(req) else self.login_page()
            case "POST", "/login":
                return self.login_submit(req)
            case "GET", "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        acc = (
            '<span class="acc">alice · <a href="/logout">Log out</a></span>'
            if session
            else '<span class="acc"><a href="/login">Log in</a></span>'
        )
        body = (
            '<div class="head"><a class="q" href="/">Quill</a><a href="/pricing">Pricing</a><a href="/docs">Docs</a>'
            f'<a href="/blog">Blog</a>{acc}</div><div class="form-wrap">{main}</div>'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def login_page(self, *, error: str = "", username: str = "") -> Response:
        err = f'<p class="error">{esc(error)}</p>' if error else ""
        main = f"""
<h1>Log in</h1>
{err}
<form method="post" action="/login">
  <label for="user">Username or email</label>
  <input type="text" id="user" name="user" value="{esc(username)}" autocomplete="username">
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password">
  <div class="g-recaptcha" data-sitekey="{SITE_KEY}">
    <div class="rc-anchor" title="reCAPTCHA">
      <div class="rc-checkbox" id="recaptcha-anchor" role="checkbox" aria-checked="false" tabindex="0" aria-labelledby="rc-label"></div>
      <span id="rc-label">I'm not a robot</span>
      <div class="rc-logo">↻<br>reCAPTCHA<br>Privacy - Terms</div>
    </div>
    <div class="rc-challenge" id="rc-challenge" hidden>
      <div class="hdr">Select all images with <b>traffic lights</b></div>
      <div class="grid"><div></div><div></div><div></div><div></div><div></div><div></div><div></div><div></div><div></div></div>
      <span id="rc-challenge-msg"></span> <button type="button" id="rc-verify">Verify</button>
    </div>
    <textarea name="g-recaptcha-response" style="display:none"></textarea>
  </div>
  <button type="submit" class="submit">Log in</button>
</form>
<p><a href="/forgot">Forgot password?</a> · <a href="/signup">Create account</a></p>
<script>{WIDGET_SCRIPT}</script>"""
        return html_response(self.chrome("Log in — Quill", main, None))

    def login_submit(self, req: Request) -> Response:
        username = req.form.get("user", "")
        ok = accounts.check_password(username, req.form.get("password", ""))
        self.record_attempt(username, ok)
        # No response token can ever be valid: the CAPTCHA is what the engine has to recognise.
        return self.login_page(error="Please complete the CAPTCHA to continue.", username=username)
