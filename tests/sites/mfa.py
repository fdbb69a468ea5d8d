"""mfa.localhost — "Atlas": password, then a choice of second factor, then that factor.

"How do you want to verify?" offers three radio buttons: the authenticator app (TOTP), a text
message and an email. The last two "send" a 6-digit code, recorded for ``sent_codes``.
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
body { margin: 0; font: 15px/1.55 'Source Sans Pro', 'Open Sans', sans-serif; background: #f0fdf4; color: #14532d; }
.top { display: flex; align-items: center; gap: 26px; padding: 14px 44px; background: #14532d; }
.top .atlas { color: #bbf7d0; font-weight: 700; font-size: 19px; text-decoration: none; }
.top a { color: #dcfce7; text-decoration: none; }
.top .me { margin-left: auto; display: flex; gap: 14px; color: #fff; }
.sheet { max-width: 440px; margin: 60px auto; background: #fff; border-radius: 8px; padding: 32px 36px; border-top: 5px solid #16a34a; }
.sheet h1 { font-size: 23px; margin-top: 0; }
.sheet input[type=email], .sheet input[type=password], .sheet input[type=text] { width: 100%; box-sizing: border-box; padding: 10px 12px; margin-bottom: 14px; border: 1px solid #86efac; border-radius: 6px; font-size: 15px; }
.sheet button { background: #16a34a; border: 0; color: #fff; padding: 10px 24px; border-radius: 6px; font-size: 15px; cursor: pointer; }
.option { display: flex; gap: 12px; align-items: flex-start; border: 1px solid #bbf7d0; border-radius: 8px; padding: 12px 14px; margin-bottom: 10px; cursor: pointer; }
.option small { display: block; color: #4d7c0f; }
.warn { color: #b91c1c; margin: 0 0 12px; }
.overview { max-width: 860px; margin: 40px auto; }
.overview .grid { display: grid; grid-template-columns: repeat(2, 1fr); gap: 14px; } .overview .grid div { background: #fff; padding: 16px; border-radius: 8px; }
"""

METHODS = {
    "app": ("Authenticator app", "Use the code from your authenticator app"),
    "sms": (f"Text message to {accounts.MASKED_PHONE}", "We'll text you a 6-digit code"),
    "email": (f"Email to {accounts.MASKED_EMAIL}", "We'll email you a 6-digit code"),
}


class MfaSite(Site):
    hosts = ("mfa.localhost",)
    brand = "Atlas"
    session_cookie = "atlas.sid"
    flow_cookie = "atlas.mfa"
    identifier_key = "email"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.overview(req)
            case "GET", "/login":
                return redirect("/") if self.session(req) else self.login_page()
            case "POST", "/login":
                return self.login_submit(req)
            case "GET", "/verify":
                return self.choice_page(req)
            case "POST", "/verify":
                return self.choice_submit(req)
            case "GET", "/verify/app" | "/verify/code":
                return self.code_page(req)
            case "POST", "/verify/app" | "/verify/code":
                return self.code_submit(req)
            case "GET", "/logout":
                response = redirect("/login")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        me = (
            f'<span class="me"><span>{esc(accounts.EMAIL)}</span><a href="/logout">Logout</a></span>'
            if session
            else '<span class="me"><a href="/login">Log in</a></span>'
        )
        body = (
            '<div class="top"><a class="atlas" href="/">▲ Atlas</a><a href="/pricing">Pricing</a><a href="/docs">Docs</a>'
            f'<a href="/blog">Blog</a>{me}</div>\n{main}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="overview">{main}</div>', session), status)

    def sheet(self, title: str, inner: str) -> Response:
        return html_response(self.chrome(title, f'<div class="sheet">{inner}</div>', None))

    def login_page(self, *, error: str = "") -> Response:
        warn = f'<p class="warn" role="alert">{esc(error)}</p>' if error else ""
        return self.sheet(
            "Log in · Atlas",
            f"""<h1>Log in to Atlas</h1>{warn}
<form method="post" action="/login">
  <input type="email" name="email" aria-label="Email" placeholder="name@company.com" autocomplete="username">
  <input type="password" name="password" aria-label="Password" placeholder="Password" autocomplete="current-password">
  <button type="submit">Log in</button>
</form>
<p><a href="/forgot">Forgot password?</a> · <a href="/signup">Create account</a></p>""",
        )

    def login_submit(self, req: Request) -> Response:
        email = req.form.get("email", "")
        ok = accounts.check_password(email, req.form.get("password", ""))
        self.record_attempt(email, ok)
        if not ok:
            return self.login_page(error="Email or password is incorrect.")
        response = redirect("/verify")
        self.start_flow(response, accounts.USERNAME)
        return response

    def choice_page(self, req: Request, *, error: str = "") -> Response:
        if not self.flow(req):
            return redirect("/login")
        warn = f'<p class="warn" role="alert">{esc(error)}</p>' if error else ""
        options = "".join(
            f'<label class="option"><input type="radio" name="method" value="{key}"{" checked" if key == "app" else ""}>'
            f"<span>{esc(label)}<small>{esc(hint)}</small></span></label>"
            for key, (label, hint) in METHODS.items()
        )
        return self.sheet(
            "Verify it's you · Atlas",
            f"""<h1>How do you want to verify?</h1>{warn}
<p>For your security, choose how to confirm it's really you.</p>
<form method="post" action="/verify">{options}<button type="submit">Continue</button></form>""",
        )

    def choice_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow:
            return redirect("/login")
        method = req.form.get("method", "")
        if method not in METHODS:
            return self.choice_page(req, error="Choose a way to verify.")
        flow.data["method"] = method
        if method == "app":
            return redirect("/verify/app")
        flow.data["code"] = self.send_code()
        return redirect("/verify/code")

    def code_page(self, req: Request, *, error: str = "") -> Response:
        flow = self.flow(req)
        if not flow or "method" not in flow.data:
            return redirect("/login" if not flow else "/verify")
        warn = f'<p class="warn" role="alert">{esc(error)}</p>' if error else ""
        method = flow.data["method"]
        if method == "app":
            action, heading, text, name = (
                "/verify/app",
                "Enter the code from your authenticator app",
                "Open your authenticator app and enter the 6-digit code shown for Atlas.",
                "otc",
            )
        else:
            target = accounts.MASKED_PHONE if method == "sms" else accounts.MASKED_EMAIL
            action, heading, text, name = (
                "/verify/code",
                "Enter verification code",
                f"We sent a code to {target}. It expires in 10 minutes.",
                "code",
            )
        return self.sheet(
            "Verify it's you · Atlas",
            f"""<h1>{esc(heading)}</h1>{warn}<p>{esc(text)}</p>
<form method="post" action="{action}">
  <label for="code-input">Verification code</label>
  <input type="text" id="code-input" name="{name}" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
  <button type="submit">Verify</button>
</form>
<p><a href="/verify">Try another way</a></p>""",
        )

    def code_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow or "method" not in flow.data:
            return redirect("/login")
        if flow.data["method"] == "app":
            ok = accounts.verify_totp(req.form.get("otc", ""))
        else:
            ok = req.form.get("code", "").strip() == flow.data.get("code")
        if not ok:
            return self.code_page(req, error="That code didn't work. Check it and try again.")
        response = redirect("/")
        self.end_flow(req, response)
        self.sign_in(response)
        return response

    def overview(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return self.render(
                "Atlas",
                "<h1>Maps for your business.</h1><p><a href='/login'>Log in</a> to continue.</p>",
                None,
            )
        main = """
<h1>Welcome, alice</h1>
<div class="grid"><div><b>Routes</b><br>12 active</div><div><b>Drivers</b><br>5 online</div>
<div><b>Deliveries today</b><br>184</div><div><b>On time</b><br>97%</div></div>"""
        return self.render("Overview · Atlas", main, session)
