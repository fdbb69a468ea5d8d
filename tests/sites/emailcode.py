"""emailcode.localhost — "Postbox": every sign-in ends with a 6-digit code sent by email.

The code page has six single-digit inputs (``maxlength=1``); a small script moves the focus along,
spreads a pasted or filled code across the boxes and joins the digits into the hidden ``code`` field
that the form posts. "Resend code" sends a new code (only the newest one works).
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
body { margin: 0; font: 15px/1.5 'Lucida Grande', 'Lucida Sans Unicode', sans-serif; background: #fff; color: #333; }
#header { border-bottom: 1px solid #eee; padding: 16px 40px; display: flex; gap: 20px; align-items: center; }
#header .logo { font-size: 20px; color: #e4572e; font-weight: bold; text-decoration: none; margin-right: 30px; }
#header a { color: #555; }
#header .user { margin-left: auto; display: flex; gap: 12px; }
.card { max-width: 400px; margin: 50px auto; border: 1px solid #eee; border-radius: 10px; padding: 30px; }
.card h1 { font-size: 22px; margin-top: 0; }
.card .field { margin-bottom: 14px; }
.card .field label { display: block; margin-bottom: 4px; color: #555; }
.card input[type=email], .card input[type=password] { width: 100%; box-sizing: border-box; padding: 9px; border: 1px solid #ccc; border-radius: 5px; font-size: 15px; }
.card input[type=submit] { background: #e4572e; border: 0; color: #fff; padding: 10px 26px; border-radius: 5px; font-size: 15px; cursor: pointer; }
.digits { display: flex; gap: 8px; margin: 18px 0; }
.digits input { width: 44px; height: 54px; text-align: center; font-size: 24px; border: 1px solid #ccc; border-radius: 6px; }
.alert { padding: 10px 12px; border-radius: 5px; margin-bottom: 14px; }
.alert-danger { background: #fdecea; color: #b3261e; } .alert-info { background: #e8f4fd; color: #0b5394; }
.inbox { max-width: 820px; margin: 30px auto; } .inbox li { padding: 8px 0; border-bottom: 1px solid #f2f2f2; list-style: none; }
footer { border-top: 1px solid #eee; margin-top: 60px; padding: 22px 40px; color: #888; font-size: 13px; }
footer form { display: inline-flex; gap: 6px; margin-left: 20px; }
"""

DIGITS_SCRIPT = """
(function () {
  const boxes = Array.from(document.querySelectorAll(".digits input"));
  const hidden = document.getElementById("code");
  const sync = () => { hidden.value = boxes.map((b) => b.value).join(""); };
  boxes.forEach((box, i) => {
    box.addEventListener("input", () => {
      const digits = box.value.replace(/\\D/g, "");
      if (digits.length > 1) {          // a pasted or programmatically filled code: spread it out
        digits.split("").slice(0, boxes.length - i).forEach((d, k) => { boxes[i + k].value = d; });
        boxes[Math.min(i + digits.length, boxes.length) - 1].focus();
      } else {
        box.value = digits;
        if (digits && i < boxes.length - 1) boxes[i + 1].focus();
      }
      sync();
    });
    box.addEventListener("keydown", (e) => {
      if (e.key === "Backspace" && !box.value && i > 0) boxes[i - 1].focus();
    });
    box.addEventListener("paste", (e) => {
      const text = (e.clipboardData || window.clipboardData).getData("text").replace(/\\D/g, "");
      if (!text) return;
      e.preventDefault();
      text.split("").slice(0, boxes.length - i).forEach((d, k) => { boxes[i + k].value = d; });
      sync();
    });
  });
  document.getElementById("verify-form").addEventListener("submit", sync);
})();
"""

FOOTER = """
<footer>© 2025 Postbox Mail ·
  <form action="/newsletter" method="post"><input type="email" name="email_address" placeholder="Get product updates" aria-label="Newsletter email">
  <button type="submit">Sign up</button></form>
</footer>
"""


class EmailCodeSite(Site):
    hosts = ("emailcode.localhost",)
    brand = "Postbox"
    session_cookie = "_postbox_session"
    flow_cookie = "_postbox_2fa"
    identifier_key = "email"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.inbox(req)
            case "GET", "/users/sign_in":
                return redirect("/") if self.session(req) else self.login_page()
            case "POST", "/users/sign_in":
                return self.login_submit(req)
            case "GET", "/users/verify":
                return self.code_page(req)
            case "POST", "/users/verify":
                return self.code_submit(req)
            case "GET", "/users/verify/resend":
                return self.resend(req)
            case "GET", "/users/sign_out":
                response = redirect("/users/sign_in")
                self.sign_out(req, response)
                return response
            case "POST", "/newsletter":
                return self.render("Thanks", "<h1>You're on the list.</h1>", self.session(req))
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        user = (
            f'<span class="user"><b>{esc(accounts.EMAIL)}</b><a href="/users/sign_out">Log out</a></span>'
            if session
            else '<span class="user"><a href="/users/sign_in">Log in</a></span>'
        )
        body = (
            '<div id="header"><a class="logo" href="/">✉ postbox</a><a href="/pricing">Pricing</a><a href="/docs">Docs</a>'
            f'<a href="/blog">Blog</a>{user}</div>\n{main}\n{FOOTER}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="inbox">{main}</div>', session), status)

    def card(self, title: str, inner: str) -> Response:
        return html_response(self.chrome(title, f'<div class="card">{inner}</div>', None))

    def login_page(self, *, error: str = "", email: str = "") -> Response:
        alert = f'<div class="alert alert-danger">{esc(error)}</div>' if error else ""
        return self.card(
            "Log in — Postbox",
            f"""<h1>Log in</h1>{alert}
<form method="post" action="/users/sign_in" class="new_user" id="new_user">
  <div class="field"><label for="user_email">Email</label>
    <input type="email" name="user[email]" id="user_email" value="{esc(email)}" autocomplete="email" autofocus></div>
  <div class="field"><label for="user_password">Password</label>
    <input type="password" name="user[password]" id="user_password" autocomplete="current-password"></div>
  <div class="field"><label><input type="checkbox" name="user[remember_me]" value="1"> Remember me</label></div>
  <input type="submit" name="commit" value="Log in">
</form>
<p><a href="/users/password/new">Forgot your password?</a><br><a href="/users/sign_up">Sign up</a></p>""",
        )

    def login_submit(self, req: Request) -> Response:
        email = req.form.get("user[email]", "")
        ok = accounts.check_password(email, req.form.get("user[password]", ""))
        self.record_attempt(email, ok)
        if not ok:
            return self.login_page(error="Invalid Email or password.", email=email)
        response = redirect("/users/verify")
        self.start_flow(response, accounts.USERNAME, code=self.send_code())
        return response

    def code_page(self, req: Request, *, error: str = "") -> Response:
        if not self.flow(req):
            return redirect("/users/sign_in")
        alert = f'<div class="alert alert-danger" aria-live="polite">{esc(error)}</div>' if error else ""
        if req.query.get("resent"):
            alert += (
                f'<div class="alert alert-info">We sent a new code to {esc(accounts.MASKED_EMAIL)}.</div>'
            )
        boxes = "".join(
            f'<input type="text" inputmode="numeric" maxlength="1" pattern="[0-9]" aria-label="Digit {i}"'
            f"{' autocomplete=one-time-code autofocus' if i == 1 else ''}>"
            for i in range(1, 7)
        )
        return self.card(
            "Check your email — Postbox",
            f"""<h1>Check your email</h1>{alert}
<p>We sent a 6-digit code to {esc(accounts.MASKED_EMAIL)}. Enter it below to finish logging in.</p>
<form method="post" action="/users/verify" id="verify-form">
  <div class="digits">{boxes}</div>
  <input type="hidden" name="code" id="code">
  <input type="submit" value="Verify">
</form>
<p>Didn't get it? <a href="/users/verify/resend">Resend code</a></p>
<script>{DIGITS_SCRIPT}</script>""",
        )

    def code_submit(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow:
            return redirect("/users/sign_in")
        if req.form.get("code", "").strip() != flow.data.get("code"):
            return self.code_page(req, error="That code is incorrect or has expired.")
        response = redirect("/")
        self.end_flow(req, response)
        self.sign_in(response)
        return response

    def resend(self, req: Request) -> Response:
        flow = self.flow(req)
        if not flow:
            return redirect("/users/sign_in")
        flow.data["code"] = self.send_code()
        return redirect("/users/verify?resent=1")

    def inbox(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return self.render(
                "Postbox",
                "<h1>Email that stays out of your way.</h1><p><a href='/users/sign_in'>Log in</a></p>",
                None,
            )
        main = """
<h1>Inbox</h1>
<ul><li><b>Bob</b> — Lunch on Friday?</li><li><b>Nimbus</b> — Your storage is almost full</li><li><b>Carol</b> — Slides for Monday</li></ul>"""
        return self.render("Inbox (3) — Postbox", main, session)
