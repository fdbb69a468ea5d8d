"""passkey.localhost — "Keyhole": passkeys only; there is no password field anywhere.

The button calls WebAuthn (``navigator.credentials.get``); with no authenticator it fails and the
page says so. The login engine should recognise the page and not look for a password form.
"""

from __future__ import annotations

from tests.sites.framework import (
    LOGGED_IN,
    Request,
    Response,
    Session,
    Site,
    document,
    html_response,
    redirect,
)

CSS = """
body { margin: 0; font: 16px/1.6 'Gill Sans', 'Gill Sans MT', Calibri, sans-serif; background: #ecfeff; color: #083344; }
.hd { display: flex; align-items: center; gap: 20px; padding: 16px 40px; }
.hd .k { font-size: 20px; font-weight: 700; color: #0e7490; text-decoration: none; margin-right: 24px; } .hd a { color: #155e75; }
.panel { max-width: 430px; margin: 60px auto; background: #fff; border-radius: 20px; padding: 36px; text-align: center; box-shadow: 0 6px 24px rgba(8,51,68,.1); }
.panel .icon { font-size: 54px; }
.passkey-btn { display: inline-flex; gap: 8px; align-items: center; margin-top: 16px; padding: 12px 26px; border-radius: 999px; border: 0; background: #0e7490; color: #fff; font-size: 16px; cursor: pointer; }
.note { color: #155e75; font-size: 14px; } .status { color: #be123c; min-height: 24px; }
"""

SCRIPT = """
document.getElementById("passkey-signin").addEventListener("click", async () => {
  const status = document.getElementById("status");
  status.textContent = "";
  try {
    if (!window.PublicKeyCredential) throw new Error("unsupported");
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    await navigator.credentials.get({ publicKey: { challenge, rpId: location.hostname, timeout: 10000, userVerification: "preferred" } });
    status.textContent = "This passkey isn't registered with Keyhole.";
  } catch (e) {
    status.textContent = "No passkey was found for Keyhole on this device.";
  }
});
"""


class PasskeySite(Site):
    hosts = ("passkey.localhost",)
    brand = "Keyhole"
    session_cookie = "keyhole"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.render(
                    "Keyhole",
                    "<h1>Passwords are over.</h1><p><a href='/login'>Sign in</a> with a passkey.</p>",
                    self.session(req),
                )
            case "GET", "/login":
                return redirect("/") if self.session(req) else self.login_page()
            case "GET", "/logout":
                response = redirect("/")
                self.sign_out(req, response)
                return response
        return None

    def chrome(self, title: str, main: str, session: Session | None) -> str:
        right = (
            '<a href="/logout">Sign out</a> <span>alice</span>' if session else '<a href="/login">Sign in</a>'
        )
        body = (
            '<div class="hd"><a class="k" href="/">🔑 Keyhole</a><a href="/pricing">Pricing</a><a href="/docs">Docs</a>'
            f'<a href="/blog">Blog</a>{right}</div><div class="panel">{main}</div>'
        )
        return document(title, body, css=CSS, body_attrs=LOGGED_IN if session else "")

    def login_page(self) -> Response:
        main = f"""
<div class="icon">🔐</div>
<h1>Sign in to Keyhole</h1>
<p>Keyhole accounts use passkeys instead of passwords. Use your phone, your computer's screen lock
or a security key to sign in.</p>
<button type="button" class="passkey-btn" id="passkey-signin">Sign in with a passkey</button>
<p class="status" id="status" aria-live="polite"></p>
<p class="note">Lost your device? <a href="/help">Recover your account</a></p>
<script>{SCRIPT}</script>"""
        return html_response(self.chrome("Sign in · Keyhole", main, None))
