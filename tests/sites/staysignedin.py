"""staysignedin.localhost — "Fabrikam": password, then Microsoft's "Stay signed in?" interstitial.

"Yes" makes the session cookie persistent (90 days); "No" leaves it a browser-session cookie. Either
way the user is signed in afterwards.
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

CSS = """
body { margin: 0; font: 15px/1.45 'Segoe UI', 'Segoe UI Web', Tahoma, sans-serif; background: #f2f2f2; color: #1b1b1b; }
.inner { width: 440px; margin: 90px auto; background: #fff; padding: 44px; box-shadow: 0 2px 6px rgba(0,0,0,.2); box-sizing: border-box; }
.logo { font-weight: 600; color: #737373; font-size: 19px; margin-bottom: 16px; }
.title { font-size: 24px; font-weight: 600; margin: 0 0 14px; }
.inner input[type=email], .inner input[type=password] { width: 100%; border: 0; border-bottom: 1px solid #666; padding: 6px 0; font-size: 15px; margin-bottom: 18px; outline: none; }
.buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 26px; }
.win-button { min-width: 108px; padding: 6px 12px; font-size: 15px; border: 0; cursor: pointer; background: #ccc; }
.win-button.button_primary { background: #0067b8; color: #fff; }
.alert-error { color: #e81123; margin-bottom: 10px; }
.row { font-size: 13px; }
.portal-top { background: #0067b8; color: #fff; display: flex; align-items: center; padding: 0 30px; height: 48px; gap: 22px; }
.portal-top a { color: #fff; text-decoration: none; } .portal-top .me { margin-left: auto; display: flex; gap: 16px; }
.portal-main { max-width: 900px; margin: 36px auto; } .portal-main .tiles { display: flex; gap: 14px; }
.portal-main .tiles div { flex: 1; background: #fff; padding: 18px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
"""


class StaySignedInSite(Site):
    hosts = ("staysignedin.localhost",)
    brand = "Fabrikam"
    session_cookie = "ESTSAUTH"
    flow_cookie = "ESTSAUTHLIGHT"
    identifier_key = "email"
    persistent_days = 90

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.portal(req)
            case "GET", "/login":
                return redirect("/") if self.session(req) else self.login_page()
            case "POST", "/login":
                return self.login_submit(req)
            case "GET", "/kmsi":
                return self.kmsi_page(req)
            case "POST", "/kmsi":
                return self.kmsi_submit(req)
            case "GET", "/logout":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        return None

    def box(self, title: str, inner: str) -> Response:
        body = f'<div class="inner"><div class="logo">■ Fabrikam</div>{inner}</div>'
        return html_response(document(title, body, css=CSS))

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        me = (
            f'<span class="me"><span>{esc(accounts.DISPLAY_NAME)} ({esc(accounts.EMAIL)})</span><a href="/logout">Sign out</a></span>'
            if session
            else '<span class="me"><a href="/login">Sign in</a></span>'
        )
        body = (
            '<div class="portal-top"><b>Fabrikam</b><a href="/">My Account</a><a href="/pricing">Pricing</a>'
            f'<a href="/docs">Docs</a><a href="/blog">Blog</a>{me}</div><div class="portal-main">{main}</div>'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def login_page(self, *, error: str = "", email: str = "") -> Response:
        alert = (
            f'<div class="alert-error" id="passwordError" role="alert">{esc(error)}</div>' if error else ""
        )
        return self.box(
            "Sign in to your account",
            f"""<div class="title" role="heading" aria-level="1">Sign in</div>{alert}
<form name="f1" method="post" action="/login">
  <input type="email" name="loginfmt" id="i0116" placeholder="Email, phone, or Skype" aria-label="Enter your email, phone, or Skype." value="{esc(email)}">
  <input type="password" name="passwd" id="i0118" placeholder="Password" aria-label="Enter the password for your account">
  <div class="row"><a href="/reset">Forgot my password</a></div>
  <div class="row">No account? <a href="/signup">Create one!</a></div>
  <div class="buttons"><input type="submit" id="idSIButton9" class="win-button button_primary" value="Sign in"></div>
</form>""",
        )

    def login_submit(self, req: Request) -> Response:
        email = req.form.get("loginfmt", "")
        ok = accounts.check_password(email, req.form.get("passwd", ""))
        self.record_attempt(email, ok)
        if not ok:
            return self.login_page(
                error="Your account or password is incorrect. If you don't remember your password, reset it now.",
                email=email,
            )
        response = redirect("/kmsi")
        self.start_flow(response, accounts.USERNAME)
        return response

    def kmsi_page(self, req: Request) -> Response:
        if not self.flow(req):
            return redirect("/login")
        return self.box(
            "Sign in to your account",
            f"""<div class="row">{esc(accounts.EMAIL)}</div>
<div class="title" role="heading" aria-level="1">Stay signed in?</div>
<p>Do this to reduce the number of times you are asked to sign in.</p>
<form method="post" action="/kmsi">
  <label class="row"><input type="checkbox" name="DontShowAgain" value="true"> Don't show this again</label>
  <div class="buttons">
    <button type="submit" name="stay" value="no" id="idBtn_Back" class="win-button">No</button>
    <button type="submit" name="stay" value="yes" id="idSIButton9" class="win-button button_primary">Yes</button>
  </div>
</form>""",
        )

    def kmsi_submit(self, req: Request) -> Response:
        if not self.flow(req):
            return redirect("/login")
        stay = req.form.get("stay") == "yes"
        response = redirect("/")
        self.end_flow(req, response)
        self.sign_in(response, persistent_days=self.persistent_days if stay else None, stay_signed_in=stay)
        return response

    def portal(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return html_response(
                self.chrome("Fabrikam", "<h1>Fabrikam account</h1><p><a href='/login'>Sign in</a></p>", None)
            )
        main = f"""
<h1>My Account</h1>
<p>{esc(accounts.DISPLAY_NAME)} · {esc(accounts.EMAIL)}</p>
<div class="tiles"><div><b>Security info</b><br>Up to date</div><div><b>Devices</b><br>2 devices</div><div><b>Subscriptions</b><br>Fabrikam 365</div></div>"""
        return html_response(self.chrome("My Account | Fabrikam", main, session))
