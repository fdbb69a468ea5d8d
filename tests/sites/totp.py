"""totp.localhost — "Forge": username and password, then a code from the authenticator app (TOTP).

The second page is the familiar "Two-step verification" form with a single ``otp`` input marked up the
way browsers and password managers expect one-time codes (``autocomplete=one-time-code``).
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
body { margin: 0; font: 14px/1.5 -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; background: #f6f8fa; color: #1f2328; }
.Header { background: #24292f; color: #fff; display: flex; align-items: center; gap: 16px; padding: 14px 32px; }
.Header .octo { font-weight: 700; font-size: 18px; color: #fff; text-decoration: none; }
.Header input[type=search] { background: #24292f; border: 1px solid #57606a; border-radius: 6px; color: #fff; padding: 4px 10px; width: 260px; }
.Header a { color: #fff; text-decoration: none; font-weight: 600; }
.Header .Header-end { margin-left: auto; display: flex; gap: 14px; align-items: center; }
.auth-form { width: 340px; margin: 40px auto; }
.auth-form h1 { font-size: 24px; font-weight: 300; text-align: center; }
.auth-form-body { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 20px; }
.auth-form-body label { display: block; font-weight: 600; margin-bottom: 6px; }
.form-control { width: 100%; box-sizing: border-box; padding: 6px 10px; font-size: 14px; border: 1px solid #d0d7de; border-radius: 6px; margin-bottom: 16px; }
.btn-primary { width: 100%; background: #1f883d; color: #fff; border: 1px solid rgba(31,35,40,.15); border-radius: 6px; padding: 6px 14px; font-size: 14px; font-weight: 600; cursor: pointer; }
.flash-danger { background: #ffebe9; border: 1px solid rgba(255,129,130,.4); border-radius: 6px; padding: 14px; margin-bottom: 14px; color: #1f2328; }
.callout { border: 1px solid #d0d7de; border-radius: 6px; padding: 14px; text-align: center; margin-top: 16px; }
.label-link { float: right; font-weight: 400; font-size: 12px; }
.repo-list { max-width: 760px; margin: 30px auto; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
.repo-list div { padding: 12px 16px; border-bottom: 1px solid #d0d7de; }
.avatar-sm { width: 22px; height: 22px; border-radius: 50%; background: #8250df; display: inline-block; vertical-align: middle; }
"""


class TotpSite(Site):
    hosts = ("totp.localhost",)
    brand = "Forge"
    session_cookie = "user_session"
    flow_cookie = "_forge_two_factor"
    identifier_key = "email"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.dashboard(req)
            case "GET", "/login":
                return redirect("/") if self.session(req) else self.login_page()
            case "POST", "/session":
                return self.login_submit(req)
            case "GET", "/two-factor":
                return self.two_factor_page(req)
            case "POST", "/two-factor":
                return self.two_factor_submit(req)
            case "POST", "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            end = (
                '<span class="avatar-sm"></span><span>alice</span>'
                '<form method="post" action="/logout" style="display:inline"><button type="submit">Sign out</button></form>'
            )
        else:
            end = '<a href="/login">Sign in</a><a href="/signup">Sign up</a>'
        body = (
            '<header class="Header"><a class="octo" href="/">◆ Forge</a>'
            '<input type="search" name="q" placeholder="Search or jump to…" aria-label="Search Forge">'
            '<a href="/pricing">Pricing</a><a href="/docs">Docs</a><a href="/blog">Blog</a>'
            f'<div class="Header-end">{end}</div></header>\n{main}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(
            self.chrome(title, f'<div class="repo-list"><div>{main}</div></div>', session), status
        )

    def login_page(self, *, error: str = "", email: str = "") -> Response:
        flash = f'<div class="flash-danger" role="alert">{esc(error)}</div>' if error else ""
        main = f"""
<div class="auth-form">
  <h1>Sign in to Forge</h1>
  {flash}
  <form action="/session" method="post" class="auth-form-body">
    <label for="session_email">Email address</label>
    <input type="email" name="session[email]" id="session_email" class="form-control" value="{esc(email)}" autocomplete="username" autofocus>
    <label for="session_password">Password <a class="label-link" href="/password_reset">Forgot password?</a></label>
    <input type="password" name="session[password]" id="session_password" class="form-control" autocomplete="current-password">
    <input type="submit" name="commit" value="Sign in" class="btn-primary">
  </form>
  <p class="callout">New to Forge? <a href="/signup">Create an account</a>.</p>
</div>"""
        return html_response(self.chrome("Sign in to Forge", main, None))

    def login_submit(self, req: Request) -> Response:
        email = req.form.get("session[email]", "")
        ok = accounts.check_password(email, req.form.get("session[password]", ""))
        self.record_attempt(email, ok)
        if not ok:
            return self.login_page(error="Incorrect username or password.", email=email)
        response = redirect("/two-factor")
        self.start_flow(response, accounts.USERNAME)
        return response

    def two_factor_page(self, req: Request, *, error: str = "") -> Response:
        if not self.flow(req):
            return redirect("/login")
        flash = f'<div class="flash-danger" role="alert">{esc(error)}</div>' if error else ""
        main = f"""
<div class="auth-form">
  <h1>Two-step verification</h1>
  {flash}
  <form action="/two-factor" method="post" class="auth-form-body">
    <p>Open your authenticator app and enter the 6-digit code to continue.</p>
    <label for="otp">Authentication code</label>
    <input type="text" name="otp" id="otp" class="form-control" autocomplete="one-time-code" inputmode="numeric"
           pattern="[0-9]*" maxlength="6" placeholder="XXXXXX" autofocus>
    <button type="submit" class="btn-primary">Verify</button>
  </form>
  <p class="callout">Don't have your phone? <a href="/two-factor/recovery">Use a recovery code</a></p>
</div>"""
        return html_response(self.chrome("Two-step verification", main, None))

    def two_factor_submit(self, req: Request) -> Response:
        if not self.flow(req):
            return redirect("/login")
        if not accounts.verify_totp(req.form.get("otp", "")):
            return self.two_factor_page(req, error="Invalid code. Please try again.")
        response = redirect("/")
        self.end_flow(req, response)
        self.sign_in(response)
        return response

    def dashboard(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            main = (
                '<div class="auth-form"><h1>Where code gets forged.</h1>'
                '<p class="callout"><a href="/login">Sign in</a> to see your repositories.</p></div>'
            )
            return html_response(self.chrome("Forge", main, None))
        main = f"""
<div class="repo-list">
  <div><b>Signed in as alice</b> ({esc(accounts.EMAIL)})</div>
  <div>alice/dotfiles</div><div>alice/forge-cli</div><div>alice/recipes</div>
</div>"""
        return html_response(self.chrome("Dashboard · Forge", main, session))
