"""steps.localhost — "Nimbus": identifier-first sign-in over two server-rendered pages.

The first page asks only for the email and checks the account exists; the second shows that email as
text (not an input) and asks for the password, like Google's and Microsoft's sign-in.
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
body { margin: 0; font: 14px/1.5 'Helvetica Neue', Arial, sans-serif; background: #eef2f7; color: #1f2933; }
.masthead { height: 56px; display: flex; align-items: center; padding: 0 24px; background: #fff; box-shadow: 0 1px 0 #d8dee6; }
.masthead .wordmark { font-size: 18px; font-weight: 600; color: #2563eb; text-decoration: none; margin-right: auto; }
.masthead a { color: #52606d; text-decoration: none; margin-left: 20px; }
.panel { width: 400px; margin: 64px auto; background: #fff; border-radius: 12px; padding: 40px; box-shadow: 0 4px 18px rgba(31,41,51,.08); }
.panel h1 { font-weight: 400; font-size: 24px; margin: 0 0 4px; }
.panel .sub { color: #52606d; margin: 0 0 28px; }
label.field { display: block; color: #52606d; font-size: 13px; }
label.field input { display: block; width: 100%; box-sizing: border-box; margin-top: 4px; padding: 12px; font-size: 16px; border: 1px solid #9aa5b1; border-radius: 6px; }
.floating { position: relative; margin-top: 18px; }
.floating input { width: 100%; box-sizing: border-box; padding: 18px 12px 6px; font-size: 16px; border: 1px solid #9aa5b1; border-radius: 6px; }
.floating label { position: absolute; left: 12px; top: 4px; font-size: 11px; color: #52606d; }
.actions { display: flex; justify-content: space-between; align-items: center; margin-top: 32px; }
.actions button { background: #2563eb; color: #fff; border: 0; border-radius: 20px; padding: 10px 26px; font-size: 14px; cursor: pointer; }
p.error { color: #c81e1e; margin: 8px 0 0; }
.identity { display: inline-flex; align-items: center; gap: 8px; border: 1px solid #d8dee6; border-radius: 16px; padding: 3px 12px 3px 3px; margin-bottom: 12px; }
.identity .avatar { width: 24px; height: 24px; border-radius: 50%; background: #7c3aed; color: #fff; text-align: center; line-height: 24px; font-size: 12px; }
.live-error { color: #c81e1e; min-height: 20px; margin-top: 6px; }
.app { display: grid; grid-template-columns: 220px 1fr; min-height: calc(100vh - 56px); }
.app aside { background: #fff; border-right: 1px solid #d8dee6; padding: 20px; }
.app aside a { display: block; padding: 6px 0; color: #1f2933; }
.app section { padding: 28px 36px; }
.tiles { display: flex; gap: 16px; } .tile { background: #fff; padding: 16px 20px; border-radius: 8px; flex: 1; }
.user-chip { display: flex; align-items: center; gap: 10px; margin-left: 20px; }
"""


class StepsSite(Site):
    hosts = ("steps.localhost",)
    brand = "Nimbus"
    session_cookie = "nimbus_sid"
    flow_cookie = "nimbus_signin"
    identifier_key = "email"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return redirect("/dashboard") if self.session(req) else self.landing(req)
            case "GET", "/signin":
                return self.identifier_page(req)
            case "POST", "/signin":
                return self.identifier_submit(req)
            case "GET", "/signin/password":
                return self.password_page(req)
            case "POST", "/signin/password":
                return self.password_submit(req)
            case "GET", "/dashboard":
                return self.dashboard(req)
            case "GET", "/signout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        if session:
            right = (
                f'<div class="user-chip"><span>{esc(accounts.EMAIL)}</span>'
                '<a href="/signout">Sign out</a></div>'
            )
        else:
            right = '<a href="/signin">Sign in</a>'
        body = (
            '<div class="masthead"><a class="wordmark" href="/">☁ Nimbus</a>'
            f'<a href="/pricing">Pricing</a><a href="/docs">Docs</a><a href="/blog">Blog</a>{right}</div>\n{main}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="panel">{main}</div>', session), status)

    def landing(self, req: Request) -> Response:
        main = (
            "<h1>Your files, everywhere.</h1><p class='sub'>Nimbus syncs your documents across every device.</p>"
            '<p><a href="/signin">Sign in</a> · <a href="/signup">Create account</a></p>'
        )
        return self.render("Nimbus — cloud storage", main, None)

    def identifier_page(self, req: Request, *, error: str = "", email: str = "") -> Response:
        if self.session(req):
            return redirect("/dashboard")
        error_html = f'<p class="error">{esc(error)}</p>' if error else ""
        main = f"""
<form method="post" action="/signin" novalidate>
  <h1>Sign in</h1>
  <p class="sub">to continue to Nimbus</p>
  <label class="field">Email address
    <input type="email" name="identifier" value="{esc(email)}" autocomplete="username" spellcheck="false" autofocus>
  </label>
  {error_html}
  <p><a href="/signin/help">Forgot email?</a></p>
  <div class="actions"><a href="/signup">Create account</a><button type="submit">Next</button></div>
</form>"""
        response = self.render("Sign in – Nimbus", main, None)
        if req.query.get("switch"):  # "Not you?" starts over
            self.end_flow(req, response)
        return response

    def identifier_submit(self, req: Request) -> Response:
        email = req.form.get("identifier", "").strip()
        if not email:
            return self.identifier_page(req, error="Enter an email address.")
        if not accounts.is_email(email):
            return self.identifier_page(
                req, error="We couldn't find an account with that email.", email=email
            )
        response = redirect("/signin/password")
        self.start_flow(response, accounts.EMAIL)
        return response

    def password_page(self, req: Request, *, error: str = "") -> Response:
        flow = self.flow(req)
        if not flow:
            return redirect("/signin")
        main = f"""
<h1>Enter your password</h1>
<p class="sub">Welcome back</p>
<div class="identity"><span class="avatar">a</span><span class="email">{esc(flow.user)}</span></div>
<a href="/signin?switch=1">Not you?</a>
<form method="post" action="/signin/password">
  <input type="email" name="username" value="{esc(flow.user)}" autocomplete="username" hidden readonly>
  <div class="floating">
    <input type="password" name="passwd" id="passwd" autocomplete="current-password" autofocus>
    <label for="passwd">Password</label>
  </div>
  <div class="live-error" aria-live="assertive">{esc(error)}</div>
  <label><input type="checkbox" onclick="passwd.type = this.checked ? 'text' : 'password'"> Show password</label>
  <div class="actions"><a href="/signin/recovery">Forgot password?</a><button type="submit">Sign in</button></div>
</form>"""
        return self.render("Sign in – Nimbus", main, None)

    def password_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow:
            return redirect("/signin")
        ok = accounts.check_password(flow.user, req.form.get("passwd", ""))
        self.record_attempt(flow.user, ok)
        if not ok:
            return self.password_page(
                req, error="Wrong password. Try again or click Forgot password to reset it."
            )
        response = redirect("/dashboard")
        self.end_flow(req, response)
        self.sign_in(response)
        return response

    def dashboard(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/signin")
        main = """
<div class="app">
  <aside><a href="/dashboard">My files</a><a href="/dashboard?view=shared">Shared with me</a><a href="/dashboard?view=recent">Recent</a><a href="/dashboard?view=trash">Trash</a></aside>
  <section>
    <h1>Dashboard</h1>
    <div class="tiles"><div class="tile"><b>128</b> files</div><div class="tile"><b>3.2 GB</b> of 15 GB used</div><div class="tile"><b>4</b> shared folders</div></div>
    <h2>Recent files</h2><ul><li>Q3 report.pdf</li><li>Holiday photos</li><li>budget-2025.xlsx</li></ul>
  </section>
</div>"""
        return html_response(self.chrome("Dashboard – Nimbus", main, session))
