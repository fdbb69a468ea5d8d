"""quirks.localhost — "Quirks": the ways a site can leave a login engine unsure, one path each.

* ``/silent/login`` — a wrong password brings back the same, empty form with **no error at all**; the
  right one goes to ``/home``. An engine that cannot tell whether a submission was accepted must not
  send the same password again.
* ``/loop/login`` — the right password leads to a "Stay signed in?" page whose "Yes" brings the same
  question back, for ever: a loop.
* ``/blocked/login`` — any submission is answered "Access denied": the site took the browser for a bot.
* ``/ghost/login`` — never creates a session at all. Every page carries a hidden account menu with
  "Log out" (markup a site ships to everyone), a visible "Sign in", and an analytics cookie that changes
  on every page; the right password lands on ``/ghost/home``, which says "Welcome back". Not a success.
* ``/slowjs/login`` — a form sent by script whose answer takes 2 s (the button is disabled meanwhile); the
  page then goes to ``/home``. Nothing may be taken for the form "coming back" while the answer is on its way.
* ``/vanish/login`` — the right password leads to a page with nothing on it but "Thanks!": no sign-out,
  no account, no form, and no session either. Not a success.

The sandbox's one account signs in everywhere (``accounts``); ``/home`` is the signed-in page.
"""

from __future__ import annotations

import secrets
import time

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

CSS = """
body { margin: 0; font: 15px/1.5 'Trebuchet MS', sans-serif; background: #eef3f1; color: #17332b; }
.top { background: #17332b; color: #fff; padding: 12px 30px; display: flex; gap: 20px; }
.top a { color: #bfe3d6; } .top .me { margin-left: auto; display: flex; gap: 14px; }
.card { width: 360px; margin: 70px auto; background: #fff; padding: 26px 30px; border-radius: 6px; }
.card label { display: block; margin: 12px 0 4px; } .card input { width: 100%; padding: 8px; box-sizing: border-box; }
.card button { margin-top: 16px; padding: 9px 18px; background: #17332b; color: #fff; border: 0; border-radius: 4px; }
"""


SLOWJS_FORM = """<div class="card"><h1>Sign in to Quirks</h1>
<form id="f">
  <label for="username">Username</label><input id="username" name="username" autocomplete="username">
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
  <button type="submit" id="go">Sign in</button><p id="err" role="alert"></p>
</form></div>
<script>
document.getElementById("f").addEventListener("submit", async (event) => {
  event.preventDefault();
  const go = document.getElementById("go");
  go.disabled = true; go.textContent = "Signing in…";
  const answer = await fetch("/slowjs/api/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: username.value, password: password.value }) });
  const data = await answer.json();
  if (answer.ok) { location.assign(data.next); return; }
  go.disabled = false; go.textContent = "Sign in";
  document.getElementById("err").textContent = data.error;
});
</script>"""

KINDS = ("silent", "loop", "vanish", "blocked", "ghost", "slowjs")
SLOW_ANSWER_S = 2.0  # longer than the engine's "busy" limit, so only waiting on the request tells


class QuirksSite(Site):
    hosts = ("quirks.localhost",)
    brand = "Quirks"
    session_cookie = "quirks_sid"

    def dispatch(self, req: Request) -> Response | None:
        kind = req.path.split("/")[1] if req.path.count("/") >= 2 else ""
        match req.method, req.path:
            case "GET", "/home":
                return self.home(req)
            case "GET", "/logout":
                response = redirect("/silent/login")
                self.sign_out(req, response)
                return response
            case "GET", "/loop/kmsi":
                return self.kmsi()
            case "POST", "/loop/kmsi":
                return redirect("/loop/kmsi")  # the same question again, whatever the answer
            case "GET", "/ghost/home":
                return self.ghost("<div class='card'><h1>Welcome back</h1><p>alice@example.com</p></div>")
            case "GET", "/vanish/thanks":
                return html_response(document("Thanks", "<h1>Thanks!</h1>", css=CSS))
            case "GET", path if path.endswith("/login") and kind in KINDS:
                return self.login_page(kind)
            case "POST", "/slowjs/api/login":
                time.sleep(SLOW_ANSWER_S)  # the site is slow to answer: the point of this path
                data = req.json
                ok = accounts.check_password(data.get("username", ""), data.get("password", ""))
                self.record_attempt(data.get("username", ""), ok)
                if not ok:
                    return json_response({"error": "Incorrect username or password."}, 401)
                response = json_response({"next": "/home"})
                self.sign_in(response)
                return response
            case "POST", "/blocked/login":
                self.record_attempt(req.form.get("username", ""), False)
                body = ("<h1>Access denied</h1><p>We detected unusual traffic from your network. Your request has "
                        "been blocked. Reference #18.2f3c1b2e</p>")
                return html_response(document("Access denied", body, css=CSS), status=403)
            case "POST", path if path.endswith("/login") and kind in KINDS:
                return self.login_submit(req, kind)
        return None

    def page(self, title: str, main: str, session: Session | None) -> Response:
        me = (f'<span class="me"><span>{esc(session.user)}</span><a href="/logout">Sign out</a></span>'
              if session else '<span class="me"><a href="/silent/login">Sign in</a></span>')
        body = f'<div class="top"><b>Quirks</b><a href="/help">Help</a>{me}</div>{main}'
        return html_response(document(f"{title} · Quirks", body, css=CSS, body_attrs=LOGGED_IN if session else ""))

    def ghost(self, main: str) -> Response:
        body = ('<div class="top"><b>Quirks</b><a href="/ghost/login">Sign in</a>'
                '<div class="me" id="user-menu" style="display:none"><span>Account</span><a href="/logout">Log out</a></div></div>' + main)
        response = html_response(document("Quirks", body, css=CSS))
        return response.set_cookie("_ga", secrets.token_hex(8), http_only=False)

    def login_page(self, kind: str) -> Response:
        if kind == "slowjs":
            return self.page("Sign in", SLOWJS_FORM, None)
        main = f"""<div class="card"><h1>Sign in to Quirks</h1>
<form method="post" action="/{kind}/login">
  <label for="username">Username</label><input id="username" name="username" autocomplete="username">
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
  <button type="submit">Sign in</button>
</form></div>"""
        return self.page("Sign in", main, None)

    def login_submit(self, req: Request, kind: str) -> Response:
        username = req.form.get("username", "")
        ok = accounts.check_password(username, req.form.get("password", ""))
        self.record_attempt(username, ok)
        if not ok:
            return self.login_page(kind)  # the same empty form, and not a word about why
        if kind == "vanish":
            return redirect("/vanish/thanks")
        if kind == "ghost":
            return redirect("/ghost/home")
        response = redirect("/loop/kmsi" if kind == "loop" else "/home")
        self.sign_in(response)
        return response

    def kmsi(self) -> Response:
        main = """<div class="card"><h1>Stay signed in?</h1><p>Do this to reduce the number of times you are asked to sign in.</p>
<form method="post" action="/loop/kmsi"><button type="submit" name="answer" value="no">No</button>
<button type="submit" name="answer" value="yes">Yes</button></form></div>"""
        return self.page("Stay signed in?", main, None)

    def home(self, req: Request) -> Response:
        session = self.session(req)
        if session is None:
            return redirect("/silent/login")
        return self.page("Home", f"<div class='card'><h1>Welcome, {esc(accounts.DISPLAY_NAME)}</h1></div>", session)
