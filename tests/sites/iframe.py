"""iframe.localhost — "Harbor": the login form is inside an iframe served by a sub-domain.

``iframe.localhost/login`` embeds ``auth.iframe.localhost/embed``. The form posts inside the iframe;
on success the iframe's answer sets the session cookie for the whole site (``Domain=iframe.localhost``)
and tells the parent page with ``postMessage``, which then goes to ``/portal``.
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
    js_value,
    redirect,
)

PORTAL_HOST = "iframe.localhost"
AUTH_HOST = "auth.iframe.localhost"

CSS = """
body { margin: 0; font: 15px/1.5 Verdana, Geneva, sans-serif; background: #e8eef3; color: #102a43; }
.navbar { background: #102a43; padding: 12px 36px; display: flex; align-items: center; gap: 20px; }
.navbar b { color: #fff; font-size: 18px; margin-right: 20px; } .navbar a { color: #9fb3c8; }
.navbar .acct { margin-left: auto; color: #fff; display: flex; gap: 16px; align-items: center; }
.navbar .acct a { color: #fff; }
.layout { max-width: 900px; margin: 36px auto; display: grid; grid-template-columns: 1fr 380px; gap: 36px; }
.layout iframe { width: 380px; height: 340px; border: 1px solid #bcccdc; background: #fff; }
.portal { max-width: 900px; margin: 36px auto; }
.portal .ships li { padding: 4px 0; }
"""

EMBED_CSS = """
body { margin: 0; font: 14px/1.4 Verdana, Geneva, sans-serif; padding: 22px; color: #102a43; }
h3 { margin: 0 0 14px; }
input[type=text], input[type=password] { display: block; width: 100%; box-sizing: border-box; margin: 0 0 12px; padding: 9px; border: 1px solid #9fb3c8; }
input[type=submit] { background: #2680c2; color: #fff; border: 0; padding: 9px 22px; cursor: pointer; font-size: 14px; }
.msg { color: #cf1124; background: #ffe3e3; padding: 6px 8px; margin-bottom: 12px; }
"""

PARENT_SCRIPT = """
window.addEventListener("message", (event) => {
  if (event.origin === AUTH_ORIGIN && event.data && event.data.type === "harbor:signed-in") {
    location.assign(event.data.next || "/portal");
  }
});
"""


class IframeSite(Site):
    hosts = (PORTAL_HOST, AUTH_HOST)
    brand = "Harbor"
    session_cookie = "harbor_sid"
    identifier_key = "username"

    def dispatch(self, req: Request) -> Response | None:
        if req.host == AUTH_HOST:
            match req.method, req.path:
                case "GET", "/embed":
                    return self.embed()
                case "POST", "/embed":
                    return self.embed_submit(req)
            return None
        match req.method, req.path:
            case "GET", "/":
                return self.landing(req)
            case "GET", "/login":
                return redirect("/portal") if self.session(req) else self.login_page()
            case "GET", "/portal":
                return self.portal(req)
            case "GET", "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def sign_out(self, req: Request, response: Response) -> None:
        self.sessions.drop(req.cookies.get(self.session_cookie))
        response.delete_cookie(self.session_cookie, domain=PORTAL_HOST)

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        acct = (
            f'<span>{esc(accounts.EMAIL)}</span><a href="/logout">Sign out</a>'
            if session
            else '<a href="/login">Customer login</a>'
        )
        body = (
            '<div class="navbar"><b>⚓ Harbor</b><a href="/">Home</a><a href="/pricing">Pricing</a><a href="/docs">Docs</a>'
            f'<a href="/blog">Blog</a><div class="acct">{acct}</div></div>\n{main}'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def render(self, title: str, main: str, session: Session | None, status: int = 200) -> Response:
        return html_response(self.chrome(title, f'<div class="portal">{main}</div>', session), status)

    def landing(self, req: Request) -> Response:
        session = self.session(req)
        if session:
            return redirect("/portal")
        main = (
            "<h1>Freight tracking for the rest of us</h1><p>Harbor shows where every container is, in real time.</p>"
            '<p><a href="/login">Customer login</a></p>'
        )
        return self.render("Harbor", main, None)

    def login_page(self) -> Response:
        auth_origin = self.url("", host=AUTH_HOST)
        main = f"""
<div class="layout">
  <div><h1>Customer portal</h1><p>Sign in to track your shipments, download invoices and manage bookings.</p>
  <p>Trouble signing in? Call +1 555 0100.</p></div>
  <iframe src="{esc(self.url("/embed", host=AUTH_HOST))}" title="Sign in to Harbor"></iframe>
</div>
<script>const AUTH_ORIGIN = {js_value(auth_origin)};{PARENT_SCRIPT}</script>"""
        return html_response(self.chrome("Harbor — Customer login", main, None))

    def embed(self, *, error: str = "", user: str = "") -> Response:
        msg = f'<div class="msg">{esc(error)}</div>' if error else ""
        body = f"""
<h3>Sign in</h3>
{msg}
<form method="post" action="/embed">
  <input type="text" name="user" placeholder="Username" value="{esc(user)}" autocomplete="username">
  <input type="password" name="pw" placeholder="Password" autocomplete="current-password">
  <input type="submit" value="Log in">
</form>
<p><a href="/forgot" target="_top">Forgot password?</a></p>"""
        return html_response(document("Harbor sign-in", body, css=EMBED_CSS))

    def embed_submit(self, req: Request) -> Response:
        user = req.form.get("user", "")
        ok = accounts.check_password(user, req.form.get("pw", ""))
        self.record_attempt(user, ok)
        if not ok:
            return self.embed(error="Invalid username or password.", user=user)
        portal = self.url("/portal", host=PORTAL_HOST)
        # Framed: tell the parent page (it navigates itself; navigating `top` from a cross-origin frame
        # without a click is blocked by browsers). Opened on its own: just go.
        body = f"""
<p>Signed in. Taking you to the portal…</p>
<p><a href="{esc(portal)}" target="_top">Continue</a></p>
<script>
  const portal = {js_value(portal)};
  if (window.top === window) location.assign(portal);
  else window.parent.postMessage({{ type: "harbor:signed-in", next: portal }}, {js_value(self.url("", host=PORTAL_HOST))});
</script>"""
        response = html_response(document("Harbor sign-in", body, css=EMBED_CSS))
        session = self.sessions.create(accounts.USERNAME)
        response.set_cookie(self.session_cookie, session.token, domain=PORTAL_HOST)
        return response

    def portal(self, req: Request) -> Response:
        session = self.session(req)
        if not session:
            return redirect("/login")
        main = """
<h1>Your shipments</h1>
<ul class="ships"><li>MSKU 402118-3 — Rotterdam → Felixstowe — arriving Thursday</li>
<li>CMAU 771920-0 — Shanghai → Rotterdam — at sea</li><li>TGHU 118204-9 — delivered</li></ul>"""
        return self.render("Harbor — Portal", main, session)
