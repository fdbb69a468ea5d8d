"""HTTP-level checks of six sites modelled on real logins: Atlassian, Dropbox, Keycloak, the Cognito
hosted UI, Instagram and Twitch (``tests/sites/real/``).

No browser and no JavaScript: where a page's script does a step, the test calls the same endpoint the
script calls, with the same body. Each site: the right password (and second factor, redirects) ends
signed in; a wrong one shows the site's own error and is counted once; the no-session variant shows a
signed-in landing and a signed-out next page; and the markup that makes the site's shape is there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.sites import accounts
from tests.sites.framework import NO_SESSION, VARIANT_COOKIE
from tests.sites.real import SHAPES, dropbox, instagram, keycloak, scenarios, twitch
from tests.sites.server import SandboxServer
from tests.sites.test_sites import (
    LOGOUT_TEXT,
    WRONG_PASSWORD,
    Client,
    Reply,
    assert_logged_in_page,
    assert_logged_out_page,
    path_of,
    visible_text,
)

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(port=0).start()
    yield server
    server.stop()


@pytest.fixture
def client(sandbox: SandboxServer) -> Client:
    return Client(sandbox.port)


def post_json(client: Client, host: str, path: str, data: dict, headers: dict | None = None) -> Reply:
    return client.request("POST", host, path, body=json.dumps(data), headers={**JSON, **(headers or {})})


def no_session_variant(client: Client, *hosts: str) -> None:
    client.within_login = True  # the login's own pages; the checks after it open pages afresh
    for host in hosts:
        client.jars.setdefault(host, {})[VARIANT_COOKIE] = NO_SESSION


def tag(markup: str, pattern: str) -> str:
    """The first opening tag matching ``pattern`` (a regex over the whole tag)."""
    found = re.search(pattern, markup)
    assert found, pattern
    return found.group(0)


# --- every site -----------------------------------------------------------------------------------


def test_the_six_sites_declare_scenarios_with_known_shapes() -> None:
    mine = {s.host: s for s in scenarios()}
    for host in ("atlassian.localhost", "dropbox.localhost", "keycloak.localhost", "notesapp.localhost",
                 "instagram.localhost", "twitch.localhost"):
        assert host in mine
        assert mine[host].shapes and set(mine[host].shapes) <= set(SHAPES)
        assert mine[host].values["password"] == accounts.PASSWORD
    assert mine["keycloak.localhost"].totp
    assert mine["notesapp.localhost"].credential_domain == mine["notesapp.localhost"].password_host == "cognito.localhost"
    assert mine["notesapp.localhost"].allowed_domains == ("cognito.localhost",)


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("atlassian.localhost", "/"),
        ("atlassian.localhost", "/login"),
        ("dropbox.localhost", "/"),
        ("dropbox.localhost", "/login"),
        ("notesapp.localhost", "/"),
        ("instagram.localhost", "/"),
        ("twitch.localhost", "/"),
        ("twitch.localhost", "/login"),
    ],
)
def test_signed_out_pages_offer_no_sign_out(client: Client, host: str, path: str) -> None:
    reply = client.get(host, path)
    assert reply.status == 200
    assert_logged_out_page(reply)


@pytest.mark.parametrize(
    "host",
    ["atlassian.localhost", "dropbox.localhost", "keycloak.localhost", "notesapp.localhost", "cognito.localhost",
     "instagram.localhost", "twitch.localhost"],
)
def test_with_a_session_every_page_shows_who_is_signed_in_and_a_way_out(sandbox: SandboxServer, client: Client, host: str) -> None:
    site = sandbox.site(host)
    client.jars[host] = {site.session_cookie: site.sessions.create(accounts.USERNAME).token}
    for path in ("/", "/pricing", "/help", "/no-such-page", "/login", "/home"):
        reply = client.get(host, path)
        if reply.status in (301, 302):
            continue
        text = visible_text(reply.body)
        assert 'data-sandbox-state="logged-in"' in reply.body, path
        assert LOGOUT_TEXT.search(text) and "alice" in text.lower(), path


# --- Atlassian ------------------------------------------------------------------------------------

ATL = "atlassian.localhost"


def atlassian_password_step(client: Client) -> str:
    """Open the login app as its script does and get to the password step; returns the CSRF token."""
    shell = client.get(ATL, "/login")
    assert shell.status == 200
    token = client.get(ATL, "/api/config").json()["csrfToken"]
    assert post_json(client, ATL, "/rest/check-username", {"username": accounts.EMAIL, "csrfToken": token}).json() == {
        "action": "password",
        "emailVerified": True,
    }
    return token


def atlassian_authenticate(client: Client, token: str, password: str) -> Reply:
    body = {"username": accounts.EMAIL, "password": password, "rememberMe": True, "continue": "/home", "csrfToken": token}
    return post_json(client, ATL, "/rest/authenticate", body)


def test_atlassian_root_is_marketing_with_a_log_in_link(client: Client) -> None:
    page = client.get(ATL, "/")
    assert '<a class="login-link" href="/login">Log in</a>' in page.body
    assert "<form" in page.body and 'type="password"' not in page.body


def test_atlassian_login_is_a_spinner_until_the_script_fetches_its_config_and_renders(client: Client) -> None:
    shell = client.get(ATL, "/login")
    server_markup = re.sub(r"<script\b.*?</script>", "", shell.body, flags=re.DOTALL)
    assert "<input" not in server_markup and "<form" not in server_markup
    assert 'class="css-spinner" role="img" aria-label="Loading"' in server_markup
    assert 'fetch("/api/config"' in shell.body and "setTimeout(render, config.renderDelay)" in shell.body
    assert 300 <= client.get(ATL, "/api/config").json()["renderDelay"] <= 800
    # The form the script renders: email first; the password joins the same form after "Continue".
    assert 'id="form-login"' in shell.body and 'id="username" name="username" type="email"' in shell.body
    assert '(pw ? "Log in" : "Continue")' in shell.body


def test_atlassian_unknown_email_goes_to_sign_up(client: Client) -> None:
    client.get(ATL, "/login")
    token = client.get(ATL, "/api/config").json()["csrfToken"]
    reply = post_json(client, ATL, "/rest/check-username", {"username": "bob@example.com", "csrfToken": token})
    assert reply.json()["action"] == "signup"
    assert post_json(client, ATL, "/rest/check-username", {"username": accounts.EMAIL, "csrfToken": "forged"}).status == 403


def test_atlassian_right_password_then_remind_me_later_ends_on_home(client: Client) -> None:
    token = atlassian_password_step(client)
    reply = atlassian_authenticate(client, token, accounts.PASSWORD)
    assert reply.status == 200
    authorize = reply.json()["redirect_uri"]
    assert authorize.startswith("/login/authorize?token=")
    assert client.whoami(ATL) is None, "the fetch sets no session; the page it opens does"

    nag_url = client.get(ATL, authorize).location
    assert nag_url.startswith("/login/security/phone-nag")
    nag = client.get(ATL, nag_url)
    assert_logged_in_page(nag)
    for text in ("Keep your account secure", "Add phone number", "Remind me later"):
        assert text in nag.body
    assert client.whoami(ATL) == "alice"

    reply = client.post(ATL, "/login/security/phone-nag", {"continue": "/home", "action": "later"})
    assert reply.location == "/home"
    assert client.whoami(ATL) == "alice", "skipping the nag keeps the session"
    home = client.get(ATL, "/home")
    assert_logged_in_page(home)
    assert "Good morning, Alice" in home.body and 'aria-label="Your profile and settings"' in home.body
    assert client.get(ATL, nag_url).location == "/home", "the nag is shown once"

    assert Client(client.port).get(ATL, "/home").location.startswith("/login?continue=")


def test_atlassian_wrong_password_is_refused_in_a_polite_live_region_with_a_reset_link(
    sandbox: SandboxServer, client: Client
) -> None:
    before = len(sandbox.login_attempts(ATL))
    token = atlassian_password_step(client)
    reply = atlassian_authenticate(client, token, WRONG_PASSWORD)
    assert reply.status == 403 and reply.json()["error"] == "authentication_failed"
    assert sandbox.login_attempts(ATL)[before:] == [{"email": accounts.EMAIL, "ok": False}]
    assert client.whoami(ATL) is None
    shell = client.get(ATL, "/login").body
    assert 'id="login-error" class="css-error" aria-live="polite"' in shell and 'role="alert"' not in shell
    assert "Incorrect email address and / or password. If you recently migrated your Trello account" in shell
    assert ">Reset your password</a>" in shell


def test_atlassian_no_session_variant(client: Client) -> None:
    no_session_variant(client, ATL)
    token = atlassian_password_step(client)
    authorize = atlassian_authenticate(client, token, accounts.PASSWORD).json()["redirect_uri"]
    landing = client.follow(ATL, client.get(ATL, authorize))
    assert landing.status == 200 and "Keep your account secure" in landing.body
    assert_logged_in_page(landing)
    assert client.fresh_get(ATL, "/home").location.startswith("/login")
    assert client.whoami(ATL) is None


# --- Dropbox --------------------------------------------------------------------------------------

DBX = "dropbox.localhost"


def dropbox_login(client: Client, password: str) -> Reply:
    client.get(DBX, "/login")
    body = {"login_email": accounts.EMAIL, "login_password": password, "remember_me": True, "is_xhr": True,
            "t": client.jars[DBX]["t"], "cont": "/home"}
    return post_json(client, DBX, "/ajax_login", body, {"X-Requested-With": "XMLHttpRequest"})


def test_dropbox_first_visit_is_covered_by_a_modal_cookie_wall_until_a_choice_is_saved(client: Client) -> None:
    for path in ("/", "/login"):
        page = client.get(DBX, path)
        assert '<div id="ccpa-overlay"' in page.body
        assert tag(page.body, r'<div class="consent-dialog"[^>]*>').count('role="dialog" aria-modal="true"') == 1
        for choice in ("Accept all", "Reject all", "Customize"):
            assert f">{choice}</button>" in page.body
    assert "#ccpa-overlay { position: fixed; inset: 0; z-index: 1000;" in dropbox.CSS

    reply = post_json(client, DBX, "/ajax/cookie_consent", {"choice": "reject_all"})
    assert reply.json() == {"status": "OK"} and client.jars[DBX]["dbx_consent"] == "necessary"
    assert '<div id="ccpa-overlay"' not in client.get(DBX, "/").body
    assert '<div id="ccpa-overlay"' not in client.get(DBX, "/login").body


def test_dropbox_login_form_has_no_action_and_is_sent_by_script(client: Client) -> None:
    page = client.get(DBX, "/login")
    form = tag(page.body, r'<form class="login-form"[^>]*>')
    assert "action=" not in form
    assert 'name="login_email"' in page.body and 'name="login_password"' in page.body
    assert 'fetch("/ajax_login"' in page.body and "location.assign(data.redirect_url)" in page.body
    assert '<a href="/login" data-trackingid="login">Log in</a>' in client.get(DBX, "/").body


def test_dropbox_right_password_lands_on_home(client: Client) -> None:
    reply = dropbox_login(client, accounts.PASSWORD)
    assert reply.json() == {"status": "OK", "redirect_url": "/home"}
    home = client.get(DBX, "/home")
    assert_logged_in_page(home)
    assert "Welcome, Alice" in home.body and 'aria-label="Account menu"' in home.body
    assert client.whoami(DBX) == "alice"
    assert_logged_in_page(client.get(DBX, "/home"))
    assert client.get(DBX, "/").location == "/home"
    assert Client(client.port).get(DBX, "/home").location.startswith("/login?cont=")


def test_dropbox_wrong_password_is_a_toast_that_stays(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts(DBX))
    reply = dropbox_login(client, WRONG_PASSWORD)
    assert reply.status == 400 and reply.json()["message"] == "Invalid email or password"
    assert sandbox.login_attempts(DBX)[before:] == [{"email": accounts.EMAIL, "ok": False}]
    assert client.whoami(DBX) is None and client.get(DBX, "/home").status == 302
    page = client.get(DBX, "/login").body
    assert 'el.className = "dig-Snackbar dig-Snackbar--error"' in page and 'el.setAttribute("role", "status")' in page
    assert '<div id="dig-snackbar-root"></div>' in page
    assert dropbox.TOAST_MS >= 8000


def test_dropbox_no_session_variant(client: Client) -> None:
    no_session_variant(client, DBX)
    assert dropbox_login(client, accounts.PASSWORD).json()["status"] == "OK"
    landing = client.follow(DBX, client.get(DBX, "/home"))
    assert_logged_in_page(landing)
    assert client.fresh_get(DBX, "/home").location.startswith("/login")
    assert client.whoami(DBX) is None


# --- Keycloak -------------------------------------------------------------------------------------

KC = "keycloak.localhost"
ACTION = re.compile(r'<form id="kc-form-login"[^>]* action="([^"]+)" method="post">')


def keycloak_login_page(client: Client, start: str = "/") -> Reply:
    account = client.get(KC, start)
    if account.location == keycloak.ACCOUNT_PATH:
        account = client.get(KC, account.location)
    auth = account.location
    assert auth.startswith("/realms/acme/protocol/openid-connect/auth?")
    query = parse_qs(urlsplit(auth).query)
    assert query["client_id"] == ["account-console"] and query["response_type"] == ["code"] and query["scope"] == ["openid"]
    assert query["redirect_uri"][0].endswith("/realms/acme/account/") and query["state"]
    page = client.get(KC, auth)
    assert page.status == 200
    return page


def action_of(page: Reply, form_id: str = "kc-form-login") -> str:
    found = re.search(rf'<form id="{form_id}"[^>]* action="([^"]+)"', page.body)
    assert found, form_id
    return unescape(found.group(1))


def keycloak_password(client: Client, password: str, start: str = "/") -> Reply:
    page = keycloak_login_page(client, start)
    return client.post(KC, action_of(page), {"username": accounts.USERNAME, "password": password, "credentialId": ""})


def test_keycloak_login_form_posts_to_login_actions_with_session_code_execution_client_and_tab(client: Client) -> None:
    page = keycloak_login_page(client)
    action = action_of(page)
    assert re.fullmatch(
        r"/realms/acme/login-actions/authenticate\?session_code=[\w-]+&execution=[0-9a-f-]{36}&client_id=account-console&tab_id=[\w-]+",
        action,
    )
    assert action_of(keycloak_login_page(Client(client.port))) != action, "a fresh session_code on every render"
    for markup in ('id="username" class="pf-c-form-control" name="username"', 'id="password" class="pf-c-form-control" name="password"',
                   'id="rememberMe" name="rememberMe" type="checkbox"', 'name="login" id="kc-login" type="submit" value="Sign In"'):
        assert markup in page.body
    assert_logged_out_page(page)


def test_keycloak_wrong_password_marks_both_inputs_invalid_and_explains_in_input_error(
    sandbox: SandboxServer, client: Client
) -> None:
    before = len(sandbox.login_attempts(KC))
    page = keycloak_password(client, WRONG_PASSWORD)
    assert page.status == 200
    assert sandbox.login_attempts(KC)[before:] == [{"username": accounts.USERNAME, "ok": False}]
    for name in ("username", "password"):
        field = tag(page.body, rf'<input[^>]* id="{name}"[^>]*>')
        assert 'aria-invalid="true"' in field and 'aria-describedby="input-error"' in field
    assert (
        '<span id="input-error" class="pf-c-form__helper-text pf-m-error required kc-feedback-text" aria-live="polite">'
        "Invalid username or password.</span>" in page.body
    )
    assert 'value="alice"' in page.body
    assert client.whoami(KC) is None


def test_keycloak_otp_page_then_try_another_way_lists_authenticator_rows(client: Client) -> None:
    otp = keycloak_password(client, accounts.PASSWORD)
    assert 'id="kc-otp-login-form"' in otp.body and 'id="otp" name="otp"' in otp.body
    assert ">Try Another Way</a>" in otp.body and 'id="kc-attempted-username">alice<' in otp.body
    assert client.whoami(KC) is None

    rows = client.post(KC, action_of(otp, "kc-select-try-another-way-form"), {"tryAnotherWay": "on"})
    assert "Select login method" in rows.body
    buttons = re.findall(r'<button class="[^"]*select-auth-box-parent[^"]*" type="submit" name="authenticationExecution" value="([^"]+)">', rows.body)
    assert buttons == [keycloak.EXEC_OTP, keycloak.EXEC_WEBAUTHN, keycloak.EXEC_RECOVERY]
    for heading, description in [(name, text) for _, name, text, _ in keycloak.AUTHENTICATORS]:
        assert f"select-auth-box-headline pf-c-title\">{heading}</div>" in rows.body and description in rows.body
    assert "Enter a verification code from authenticator application." in rows.body

    key = client.post(KC, action_of(rows, "kc-select-credential-form"), {"authenticationExecution": keycloak.EXEC_WEBAUTHN})
    assert "Sign in with Security Key" in key.body
    again = client.post(KC, action_of(key, "kc-select-try-another-way-form"), {"tryAnotherWay": "on"})
    otp = client.post(KC, action_of(again, "kc-select-credential-form"), {"authenticationExecution": keycloak.EXEC_OTP})
    assert 'id="otp" name="otp"' in otp.body

    wrong = client.post(KC, action_of(otp, "kc-otp-login-form"), {"otp": "000000" if accounts.totp() != "000000" else "111111"})
    assert "Invalid authenticator code." in wrong.body and 'aria-invalid="true"' in wrong.body
    landing = client.post(KC, action_of(wrong, "kc-otp-login-form"), {"otp": accounts.totp(), "login": "Sign In"})
    assert landing.status == 302
    callback = path_of(landing.location)
    assert callback.startswith("/realms/acme/account/?state=") and "&code=" in callback and "session_state=" in callback
    assert_logged_in_page(client.get(KC, callback))
    assert client.whoami(KC) == "alice"
    assert_logged_in_page(client.get(KC, callback)), "re-opening the landing with its spent code stays signed in"
    assert client.get(KC, "/").location == keycloak.ACCOUNT_PATH


def test_keycloak_otp_page_can_be_filled_directly(client: Client) -> None:
    otp = keycloak_password(client, accounts.PASSWORD)
    landing = client.post(KC, action_of(otp, "kc-otp-login-form"), {"otp": accounts.totp()})
    assert path_of(landing.location).startswith("/realms/acme/account/?")
    assert client.whoami(KC) == "alice"
    assert Client(client.port).get(KC, keycloak.ACCOUNT_PATH).location.startswith("/realms/acme/protocol/openid-connect/auth?")


def test_keycloak_row_list_can_come_first(client: Client) -> None:
    rows = keycloak_password(client, accounts.PASSWORD, start="/realms/acme/account/?kc_select=1")
    assert "Select login method" in rows.body and "Authenticator Application" in rows.body


def test_keycloak_no_session_variant(client: Client) -> None:
    no_session_variant(client, KC)
    otp = keycloak_password(client, accounts.PASSWORD)
    landing = client.follow(KC, client.post(KC, action_of(otp, "kc-otp-login-form"), {"otp": accounts.totp()}))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert client.fresh_get(KC, keycloak.ACCOUNT_PATH).location.startswith("/realms/acme/protocol/openid-connect/auth?")
    assert client.whoami(KC) is None


# --- Cognito hosted UI ----------------------------------------------------------------------------

APP, IDP = "notesapp.localhost", "cognito.localhost"


def hosted_ui(client: Client) -> tuple[str, Reply]:
    landing = client.follow(APP, client.get(APP, "/"))
    assert '<a class="btn" href="/auth/login">Sign in</a>' in landing.body
    authorize = client.get(APP, "/auth/login").location
    assert authorize.startswith("http://cognito.localhost:") and "/oauth2/authorize?" in authorize
    login = client.get(IDP, path_of(authorize)).location
    assert login.startswith("/login?client_id=")
    query = parse_qs(urlsplit(login).query)
    assert query["response_type"] == ["code"] and query["redirect_uri"][0].startswith("http://notesapp.localhost:")
    page = client.get(IDP, login)
    assert page.status == 200
    return login, page


def hosted_submit(client: Client, login: str, page: Reply, password: str) -> Reply:
    csrf = re.search(r'name="_csrf" type="hidden" value="([^"]+)"', page.body).group(1)
    form = {"_csrf": csrf, "username": accounts.USERNAME, "password": password, "cognitoAsfData": "", "signInSubmitButton": "Sign in"}
    return client.post(IDP, login, form)


def test_cognito_hosted_ui_renders_the_form_twice_one_copy_hidden_by_css(client: Client) -> None:
    login, page = hosted_ui(client)
    assert page.body.count('<form name="cognitoSignInForm" method="post"') == 2
    assert page.body.count('id="signInFormUsername" name="username"') == 2
    assert page.body.count('id="signInFormPassword" name="password"') == 2
    assert page.body.count('<input name="signInSubmitButton" type="Submit" value="Sign in"') == 2
    mobile = page.body.index("modal-content-mobile visible-xs visible-sm")
    desktop = page.body.index("modal-content-desktop visible-md visible-lg")
    assert mobile < desktop, "the hidden (mobile) copy comes first"
    assert ".visible-xs, .visible-sm, .visible-md, .visible-lg { display: none !important; }" in page.body
    assert page.body.count('<p id="loginErrorMessage" class="errorMessage-customizable" style="display: none">') == 2
    assert_logged_out_page(page)


def test_cognito_wrong_password_redirects_back_with_an_error_parameter(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts(IDP))
    login, page = hosted_ui(client)
    reply = hosted_submit(client, login, page, WRONG_PASSWORD)
    assert reply.status == 302 and reply.location.startswith("/login?") and reply.location.endswith("&error=invalid_credentials")
    assert sandbox.login_attempts(IDP)[before:] == [{"username": accounts.USERNAME, "ok": False}]
    again = client.get(IDP, reply.location)
    assert again.body.count('<p id="loginErrorMessage" class="errorMessage-customizable">Incorrect username or password.</p>') == 2
    assert client.whoami(IDP) is None and client.whoami(APP) is None


def test_cognito_right_password_comes_back_to_the_app_with_a_code(client: Client) -> None:
    login, page = hosted_ui(client)
    callback = hosted_submit(client, login, page, accounts.PASSWORD).location
    assert callback.startswith("http://notesapp.localhost:") and "/callback?code=" in callback and "&state=" in callback
    assert client.whoami(IDP) == "alice"
    assert client.get(APP, path_of(callback)).location == "/notes"
    assert client.whoami(APP) == "alice"
    notes = client.get(APP, "/notes")
    assert_logged_in_page(notes)
    assert "Alice's notes" in notes.body
    assert client.get(APP, path_of(callback)).location.startswith("/?error="), "the code works once"
    assert client.get(APP, "/").location == "/notes"
    assert Client(client.port).get(APP, "/notes").location == "/"


def test_cognito_no_session_variant(client: Client) -> None:
    no_session_variant(client, APP, IDP)
    login, page = hosted_ui(client)
    callback = hosted_submit(client, login, page, accounts.PASSWORD).location
    landing = client.follow(APP, client.get(APP, path_of(callback)))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert client.fresh_get(APP, "/notes").location == "/"
    assert client.whoami(APP) is None


# --- Instagram ------------------------------------------------------------------------------------

IG = "instagram.localhost"


def instagram_login(client: Client, password: str, *, csrf: str | None = None) -> Reply:
    client.get(IG, "/")
    token = client.jars[IG]["csrftoken"] if csrf is None else csrf
    body = {
        "enc_password": f"#PWD_INSTAGRAM_BROWSER:0:1735689600:{password}",
        "username": accounts.USERNAME,
        "queryParams": "{}",
        "optIntoOneTap": "false",
        "trustedDeviceRecords": "{}",
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest",
               "X-IG-App-ID": "1217981644879628"}
    return client.request("POST", IG, "/api/v1/web/accounts/login/ajax/", body=urlencode(body), headers=headers)


def test_instagram_root_is_a_splash_until_the_script_renders_the_form_with_a_disabled_log_in(client: Client) -> None:
    page = client.get(IG, "/")
    markup = re.sub(r"<script\b.*?</script>", "", page.body, flags=re.DOTALL)
    assert 'id="splash-screen"' in markup and "<input" not in markup
    assert 300 <= instagram.RENDER_DELAY_MS <= 800 and "setTimeout(mount, window.__IG_RENDER_DELAY__)" in page.body
    view = instagram.LOGIN_VIEW
    assert '<form id="loginForm" method="post">' in view
    assert 'aria-label="Phone number, username, or email"' in view and 'name="username"' in view and 'name="password"' in view
    assert tag(view, r"<button[^>]*type=\"submit\"[^>]*>") == '<button class="_acan _acap _acas _aj1-" disabled type="submit">'
    assert "submit.disabled = !(user.value.length >= 1 && pass.value.length >= 6);" in page.body
    assert 'xhr.open("POST", "/api/v1/web/accounts/login/ajax/")' in page.body
    assert client.jars[IG]["csrftoken"]


def test_instagram_wrong_password_is_refused_and_the_script_shows_a_role_alert(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts(IG))
    assert instagram_login(client, WRONG_PASSWORD, csrf="forged").status == 403
    assert sandbox.login_attempts(IG)[before:] == [], "a request without the CSRF token checks no password"
    reply = instagram_login(client, WRONG_PASSWORD)
    assert reply.json() == {"user": True, "authenticated": False, "status": "ok"}
    assert sandbox.login_attempts(IG)[before:] == [{"username": accounts.USERNAME, "ok": False}]
    assert client.whoami(IG) is None
    page = client.get(IG, "/").body
    assert '<div class="_ab2z" id="slfErrorAlert" role="alert" aria-atomic="true"></div>' in page
    assert "Sorry, your password was incorrect. Please double-check your password." in page


def test_instagram_two_interstitials_then_the_feed(client: Client) -> None:
    assert instagram_login(client, accounts.PASSWORD).json()["authenticated"] is True
    assert client.whoami(IG) is None, "the XHR sets no session; the page it opens does"
    onetap = client.get(IG, "/accounts/onetap/?next=%2F")
    assert_logged_in_page(onetap)
    assert "Save your login info?" in onetap.body
    assert '<button class="_acan _acap _acas _aj1-" type="button" id="save-info">Save info</button>' in onetap.body
    assert tag(onetap.body, r'<div[^>]*id="not-now"[^>]*>').count('role="button"') == 1
    assert client.whoami(IG) == "alice"

    feed = client.get(IG, "/")
    assert_logged_in_page(feed)
    dialog = tag(feed.body, r'<div class="_a9-v"[^>]*>')
    assert 'role="dialog" aria-modal="true"' in dialog and "Turn on Notifications" in feed.body
    assert re.search(r'<div role="button" tabindex="0" class="[^"]*" data-action="on">Turn On</div>', feed.body)
    assert re.search(r'<div role="button" tabindex="0" class="[^"]*" data-action="off">Not Now</div>', feed.body)

    headers = {"X-CSRFToken": client.jars[IG]["csrftoken"]}
    assert client.request("POST", IG, "/api/v1/web/push/prompt/dismiss/", headers=headers).json() == {"status": "ok"}
    feed = client.get(IG, "/")
    assert_logged_in_page(feed)
    assert 'role="dialog"' not in feed.body
    assert Client(client.port).get(IG, "/accounts/onetap/?next=%2F").location.startswith("/accounts/login/")


def test_instagram_no_session_variant(client: Client) -> None:
    no_session_variant(client, IG)
    assert instagram_login(client, accounts.PASSWORD).json()["authenticated"] is True
    landing = client.follow(IG, client.get(IG, "/accounts/onetap/?next=%2F"))
    assert_logged_in_page(landing)
    assert_logged_out_page(client.fresh_get(IG, "/"))
    assert client.whoami(IG) is None


# --- Twitch ---------------------------------------------------------------------------------------

TW = "twitch.localhost"


def twitch_login(client: Client, password: str) -> Reply:
    client.get(TW, "/")
    body = {"username": accounts.USERNAME, "password": password, "client_id": twitch.CLIENT_ID, "undelete_user": False,
            "remember_me": True}
    return client.request("POST", TW, "/passport/login", body=json.dumps(body), headers={"Content-Type": "text/plain;charset=UTF-8"})


def test_twitch_log_in_is_a_nested_text_button_that_opens_a_modal_with_an_action_hash_form(client: Client) -> None:
    page = client.get(TW, "/")
    assert re.search(
        r'<button class="[^"]*" data-a-target="login-button"[^>]*><div class="[^"]*"><div data-a-target="tw-core-button-label-text"'
        r' class="[^"]*">Log In</div></div></button>',
        page.body,
    )
    assert 'type="password"' not in re.sub(r"<script\b.*?</script>", "", page.body, flags=re.DOTALL)
    script = twitch.MODAL_SCRIPT
    assert '<div aria-modal="true" class="ReactModal__Content ReactModal__Content--after-open" role="dialog"' in script
    assert '<form action="#" method="post" novalidate>' in script
    assert 'id="login-username"' in script and 'id="password-input"' in script and " name=" not in script.split("<form", 1)[1].split("</form>")[0]
    assert "window.__TW_OPEN_LOGIN__ = true" in client.get(TW, "/login").body


def test_twitch_wrong_password_goes_to_an_assertive_live_region(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts(TW))
    reply = twitch_login(client, WRONG_PASSWORD)
    assert reply.status == 400 and reply.json()["error_code"] == 3001
    assert sandbox.login_attempts(TW)[before:] == [{"username": accounts.USERNAME, "ok": False}]
    assert client.whoami(TW) is None
    assert '<div class="passport-error" aria-live="assertive"' in twitch.MODAL_SCRIPT
    assert '3001: "That password was incorrect. Please try again."' in twitch.MODAL_SCRIPT


@pytest.mark.parametrize(("choice", "days"), [("true", twitch.TRUST_DAYS), ("false", None)])
def test_twitch_trust_this_device_then_signed_in(client: Client, choice: str, days: int | None) -> None:
    target = twitch_login(client, accounts.PASSWORD).json()["redirect_path"]
    assert target.startswith("/device/trust?")
    trust = client.get(TW, target)
    assert_logged_out_page(trust)
    assert "Remember this browser?" in trust.body and f"Trust this device for {twitch.TRUST_DAYS} days" in trust.body
    assert '<button type="submit" name="trust" value="true"' in trust.body
    assert ">Don't trust</button>" in trust.body and ">Trust</button>" in trust.body
    assert client.whoami(TW) is None

    reply = client.post(TW, "/device/trust", {"redirect_path": "/", "trust": choice})
    assert reply.location == "/"
    cookie = next(c for c in reply.cookies_set() if c.startswith("auth-token="))
    assert (f"Max-Age={days * 86400}" in cookie) if days else ("Max-Age" not in cookie)
    assert client.whoami(TW) == "alice"
    home = client.get(TW, "/")
    assert_logged_in_page(home)
    assert 'data-a-target="user-menu-toggle"' in home.body and ">Log Out</a>" in home.body
    assert "login-button" not in home.body


def test_twitch_no_session_variant(client: Client) -> None:
    no_session_variant(client, TW)
    twitch_login(client, accounts.PASSWORD)
    landing = client.follow(TW, client.post(TW, "/device/trust", {"redirect_path": "/", "trust": "true"}))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert_logged_out_page(client.fresh_get(TW, "/"))
    assert client.whoami(TW) is None

