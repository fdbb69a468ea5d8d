"""The sites modelled on Yahoo, eBay, Notion, Zoom, PayPal and Booking.com, over plain HTTP (no browser).

Script-driven steps are taken by calling the JSON endpoints the pages' scripts call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from tests.sites import accounts
from tests.sites.real import SHAPES, booking, ebay, notion, paypal, yahoo, zoom
from tests.sites.server import SandboxServer
from tests.sites.test_sites import (
    WRONG_PASSWORD,
    Client,
    Reply,
    assert_logged_in_page,
    assert_logged_out_page,
    path_of,
    visible_text,
)

NO_SESSION = {"sandbox_variant": "nosession"}
JSON = {"Content-Type": "application/json"}
SITES = (yahoo.YahooSite, ebay.EbaySite, notion.NotionSite, zoom.ZoomSite, paypal.PayPalSite, booking.BookingSite)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(port=0).start()
    yield server
    server.stop()


@pytest.fixture
def client(sandbox: SandboxServer) -> Client:
    return Client(sandbox.port)


def post_json(client: Client, host: str, path: str, data: dict) -> Reply:
    return client.request("POST", host, path, body=json.dumps(data), headers=JSON)


def new_attempts(sandbox: SandboxServer, host: str, before: int) -> list[dict]:
    return sandbox.login_attempts(host)[before:]


def tag(markup: str, element_id: str) -> str:
    """The opening tag of the element with ``id=element_id``."""
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', markup)
    assert match, f"no element #{element_id}"
    return match.group(0)


# --- every site -----------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES, ids=lambda s: s.__name__)
def test_each_site_declares_a_scenario_with_known_shapes_and_a_served_host(sandbox: SandboxServer, site) -> None:
    scenario = site.scenario
    assert set(scenario.shapes) <= set(SHAPES) and scenario.shapes
    assert scenario.host in site.hosts and sandbox.site(scenario.host).__class__ is site
    for host in (*scenario.allowed_domains, scenario.password_host, scenario.credential_domain):
        if host:
            sandbox.site(host)
    assert scenario.path is None, "each starts from the bare domain, as a user would"


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("yahoo.localhost", "/"),
        ("yahoo.localhost", "/login"),
        ("ebay.localhost", "/"),
        ("ebay.localhost", "/signin"),
        ("notion.localhost", "/"),
        ("notion.localhost", "/login"),
        ("gaccounts-b.localhost", "/v3/signin/identifier"),
        ("zoom.localhost", "/"),
        ("zoom.localhost", "/signin"),
        ("paypal.localhost", "/"),
        ("paypal.localhost", "/signin"),
        ("booking.localhost", "/"),
        ("booking.localhost", "/sign-in"),
    ],
)
def test_signed_out_pages_offer_no_sign_out(client: Client, host: str, path: str) -> None:
    reply = client.get(host, path)
    assert reply.status == 200
    assert_logged_out_page(reply)


# --- Yahoo ----------------------------------------------------------------------------------------

Y = "yahoo.localhost"


def yahoo_to_password(client: Client, jar: dict | None = None) -> Reply:
    if jar is not None:
        client.jars[Y] = dict(jar)
    reply = client.post(Y, "/login?.src=fpctx&.done=%2F", {"username": accounts.EMAIL, "persistent": "y", ".done": "/"})
    assert reply.status == 302 and reply.location.startswith("/account/challenge/password?")
    return client.get(Y, path_of(reply.location))


def test_yahoo_home_signs_in_only_through_an_icon_link_named_by_aria_label(client: Client) -> None:
    home = client.get(Y, "/")
    assert_logged_out_page(home)
    link = re.search(r'<a [^>]*aria-label="Sign in"[^>]*>(.*?)</a>', home.body, re.S)
    assert link and link.group(1).lstrip().startswith("<svg"), "the link holds only an icon"
    assert visible_text(link.group(1)).strip() == ""
    assert not re.search(r">\s*Sign in\s*<", home.body), "no visible 'Sign in' text anywhere"


def test_yahoo_login_is_identifier_first_with_stay_signed_in_ticked_and_no_form_action(client: Client) -> None:
    page = client.get(Y, "/login?.src=fpctx&.done=%2F")
    form = tag(page.body, "login-username-form")
    assert 'method="post"' in form and "action=" not in form
    assert 'name="username"' in tag(page.body, "login-username") and "Username, email, or mobile" in page.body
    assert 'value="Next"' in tag(page.body, "login-signin")
    assert "checked" in tag(page.body, "persistent") and "Stay signed in" in page.body
    assert 'type="password"' not in page.body


def test_yahoo_right_password_then_remind_me_later_lands_signed_in(client: Client) -> None:
    page = yahoo_to_password(client)
    assert accounts.EMAIL in page.body and 'id="login-passwd"' in page.body
    reply = client.post(Y, "/account/challenge/password", {"username": accounts.EMAIL, "password": accounts.PASSWORD, "verifyPassword": "Next"})
    assert reply.status == 302 and reply.location == "/account/comm-channel/refresh?done=%2F"
    nag = client.get(Y, path_of(reply.location))
    assert_logged_out_page(nag)
    assert "Add a recovery phone number" in nag.body and "Remind me later" in nag.body and ">Add</button>" in nag.body
    assert client.whoami(Y) is None, "the nag comes before the session"
    reply = client.post(Y, "/account/comm-channel/refresh", {"remindMeLater": "Remind me later", "done": "/"})
    assert reply.location == "/"
    assert any(c.startswith("T=") and "Max-Age=2592000" in c for c in reply.cookies_set()), "stay signed in"
    assert client.whoami(Y) == "alice"
    assert_logged_in_page(client.get(Y, "/"))


def test_yahoo_forgot_password_is_a_submit_button_of_the_password_form(client: Client) -> None:
    page = yahoo_to_password(client)
    forgot = tag(page.body, "mbr-forgot-link")
    assert 'type="submit"' in forgot and 'name="skip"' in forgot
    assert client.post(Y, "/account/challenge/password", {"skip": "Forgot password?", "password": ""}).location == "/forgot"


def test_yahoo_wrong_password_re_renders_the_form_with_its_error_and_counts_once(sandbox: SandboxServer, client: Client) -> None:
    yahoo_to_password(client)
    before = len(sandbox.login_attempts(Y))
    reply = client.post(Y, "/account/challenge/password", {"username": accounts.EMAIL, "password": WRONG_PASSWORD, "verifyPassword": "Next"})
    assert reply.status == 200 and 'id="login-passwd"' in reply.body
    assert (
        '<p class="error-msg" role="alert" data-error="messages.ERROR_INVALID_PASSWORD">Invalid password. Please try again</p>'
        in reply.body
    )
    assert new_attempts(sandbox, Y, before) == [{"username": accounts.EMAIL, "ok": False}]
    assert client.whoami(Y) is None


def test_yahoo_no_session_variant_shows_the_home_page_signed_in_but_the_next_page_is_signed_out(client: Client) -> None:
    client.within_login = True
    yahoo_to_password(client, NO_SESSION)
    client.post(Y, "/account/challenge/password", {"username": accounts.EMAIL, "password": accounts.PASSWORD})
    landing = client.follow(Y, client.post(Y, "/account/comm-channel/refresh", {"remindMeLater": "Remind me later", "done": "/"}))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert_logged_out_page(client.fresh_get(Y, "/"))
    assert client.whoami(Y) is None


# --- eBay -----------------------------------------------------------------------------------------

E = "ebay.localhost"


def test_ebay_greets_with_sign_in_as_the_second_piece_of_text(client: Client) -> None:
    home = client.get(E, "/")
    assert_logged_out_page(home)
    greeting = re.search(r'<span id="gh-ug"[^>]*>(.*?)</span>', home.body, re.S).group(1)
    assert re.fullmatch(r'Hi! <a href="/signin[^"]*"[^>]*>Sign in</a> or <a href="/register"[^>]*>register</a>', greeting)


def test_ebay_asks_the_identifier_first_and_reveals_the_password_on_the_same_page(client: Client) -> None:
    page = client.get(E, "/signin")
    assert 'autocomplete="username"' in tag(page.body, "userid") and "Email or username" in page.body
    assert ">Continue</button>" in page.body and "hidden" in tag(page.body, "password-group") and "hidden" in tag(page.body, "sgnBt")
    assert post_json(client, E, "/signin/s/userid", {"userid": accounts.EMAIL}).json() == {"ok": True, "userid": accounts.EMAIL}
    assert post_json(client, E, "/signin/s/userid", {"userid": "bob@example.com"}).status == 404
    no_script = client.post(E, "/signin/s", {"userid": accounts.EMAIL, "ru": "/"})
    assert "hidden" not in tag(no_script.body, "password-group") and "hidden" in tag(no_script.body, "userid-group")
    assert f'<span id="user-info">{accounts.EMAIL}</span>' in no_script.body


def test_ebay_right_password_then_skip_the_passkey_lands_signed_in(client: Client) -> None:
    reply = client.post(E, "/signin/s", {"userid": accounts.EMAIL, "pass": accounts.PASSWORD, "kmsi": "1", "ru": "/"})
    assert reply.status == 302 and reply.location == "/signin/passkey?ru=/"
    nag = client.get(E, path_of(reply.location))
    assert_logged_out_page(nag)
    assert "Create a passkey for faster sign-in?" in nag.body and ">Create a passkey</button>" in nag.body
    assert ">Skip for now</button>" in nag.body
    assert client.whoami(E) is None, "the nag comes before the session"
    reply = client.post(E, "/signin/passkey/skip", {"ru": "/"})
    assert reply.location == "/" and any(c.startswith("ebay_s=") and "Max-Age" in c for c in reply.cookies_set())
    assert client.whoami(E) == "alice"
    assert_logged_in_page(client.get(E, "/"))


def test_ebay_wrong_password_shows_oops_in_a_live_notice_with_a_reset_link_and_counts_once(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts(E))
    reply = client.post(E, "/signin/s", {"userid": accounts.EMAIL, "pass": WRONG_PASSWORD, "ru": "/"})
    notice = re.search(r'<section [^>]*class="inline-notice inline-notice--attention"[^>]*>(.*?)</section>', reply.body, re.S)
    assert notice and 'aria-live="polite"' in notice.group(0)
    assert '<p id="signin-error-msg" class="inline-notice__content">Oops, that&#x27;s not a match.</p>' in notice.group(1)
    assert re.search(r'<a [^>]*href="/fyp[^"]*">Reset your password</a>', notice.group(1))
    assert "hidden" not in tag(reply.body, "pass")
    assert new_attempts(sandbox, E, before) == [{"userid": accounts.EMAIL, "ok": False}]
    assert client.whoami(E) is None


def test_ebay_no_session_variant_shows_the_home_page_signed_in_but_the_next_page_is_signed_out(client: Client) -> None:
    client.within_login = True
    client.jars[E] = dict(NO_SESSION)
    client.post(E, "/signin/s", {"userid": accounts.EMAIL, "pass": accounts.PASSWORD, "ru": "/"})
    landing = client.follow(E, client.post(E, "/signin/passkey/skip", {"ru": "/"}))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert_logged_out_page(client.fresh_get(E, "/"))
    assert client.whoami(E) is None


# --- Notion and its Google-like provider ----------------------------------------------------------

N, G = notion.APP_HOST, notion.IDP_HOST


def google_round_trip(client: Client, password: str = accounts.PASSWORD) -> Reply:
    """From "Continue with Google" to the provider's answer after the password."""
    start = client.get(N, "/login/google")
    assert start.location.startswith(f"http://{G}:") and "/o/oauth2/auth?" in start.location
    assert client.fresh_get(G, path_of(start.location)).location.startswith("/v3/signin/identifier")
    assert client.post(G, "/v3/signin/identifier", {"identifier": accounts.EMAIL}).location.startswith("/v3/signin/challenge/pwd")
    return client.post(G, "/v3/signin/challenge/pwd", {"identifier": accounts.EMAIL, "Passwd": password})


def test_notion_login_has_provider_buttons_only(client: Client) -> None:
    page = client.get(N, "/login")
    assert "<input" not in page.body and "<form" not in page.body
    for label in ("Continue with Google", "Continue with Apple", "Continue with Microsoft", "Single sign-on (SSO)"):
        assert re.search(rf'<div role="button" tabindex="0" [^>]*>.*?{re.escape(label)}</div>', page.body)
    assert "requires you to log in with Google" in page.body
    assert 'href="/login"' in client.get(N, "/").body, "the home page's Log in leads here"


def test_notion_signs_in_through_google_consent_and_a_code(client: Client) -> None:
    assert google_round_trip(client).location == "/signin/oauth/consent?authuser=0"
    consent = client.get(G, "/signin/oauth/consent")
    assert "Notion wants to access your Google Account" in consent.body and ">Allow</button>" in consent.body and ">Cancel</button>" in consent.body
    callback = client.post(G, "/signin/oauth/consent", {"submit_access": "true"}).location
    assert callback.startswith(f"http://{N}:") and "/oauth/callback?" in callback and "code=" in callback
    assert client.get(N, path_of(callback)).location == "/workspace"
    assert client.whoami(N) == "alice"
    assert_logged_in_page(client.get(N, "/workspace"))
    # The provider remembers alice: a second authorization goes straight to the consent page.
    assert client.get(G, path_of(client.get(N, "/login/google").location)).location == "/signin/oauth/consent"


def test_notion_a_replayed_or_cancelled_code_does_not_sign_in(client: Client) -> None:
    google_round_trip(client)
    callback = client.post(G, "/signin/oauth/consent", {"submit_access": "false"}).location
    assert "error=access_denied" in callback
    assert client.get(N, path_of(callback)).location == "/login?error=google"
    assert client.whoami(N) is None


def test_notion_wrong_google_password_is_refused_on_the_provider_and_counted_once(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts(G))
    reply = google_round_trip(client, WRONG_PASSWORD)
    assert reply.status == 200
    assert re.search(r'aria-live="assertive"[^>]*>.*Wrong password. Try again or click Forgot password to reset it.', reply.body)
    assert new_attempts(sandbox, G, before) == [{"email": accounts.EMAIL, "ok": False}]
    assert client.whoami(N) is None and client.whoami(G) is None


def test_notion_no_session_variant_shows_the_workspace_but_the_next_page_is_signed_out(client: Client) -> None:
    client.within_login = True
    client.jars[N] = dict(NO_SESSION)
    google_round_trip(client)
    callback = client.post(G, "/signin/oauth/consent", {"submit_access": "true"}).location
    landing = client.follow(N, client.get(N, path_of(callback)))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert client.fresh_get(N, "/workspace").location == "/login"
    assert client.whoami(N) is None


# --- Zoom and its Okta-like tenant ----------------------------------------------------------------

Z, OKTA = zoom.APP_HOST, zoom.IDP_HOST


def okta_widget(client: Client) -> str:
    """From "Sign in with SSO" to the widget page; the transaction's state handle."""
    start = client.get(Z, "/web/sso/login?en=signin&domain=acme")
    assert start.location.startswith(f"http://{OKTA}:") and "/oauth2/v1/authorize?" in start.location
    widget = client.get(OKTA, path_of(client.get(OKTA, path_of(start.location)).location))
    assert widget.status == 200 and 'id="okta-login-container"' in widget.body
    return re.search(r'var OKTA_STATE = "([^"]+)"', widget.body).group(1)


def test_zoom_keeps_sign_in_in_a_hidden_account_menu(client: Client) -> None:
    home = client.get(Z, "/")
    assert_logged_out_page(home)
    trigger = tag(home.body, "account-menu-trigger")
    assert 'aria-haspopup="true"' in trigger and 'aria-expanded="false"' in trigger and 'aria-label="Account"' in trigger
    menu = re.search(r'<ul id="account-menu" role="menu" hidden>(.*?)</ul>', home.body, re.S)
    assert menu and 'href="/signin"' in menu.group(1) and ">Sign In</a>" in menu.group(1)
    assert home.body.count(">Sign In<") == 1, "nowhere else"


def test_zoom_sign_in_offers_only_sso_and_icon_buttons(client: Client) -> None:
    page = client.get(Z, "/signin")
    assert "<input" not in page.body and "<form" not in page.body.split("</header>", 1)[1].split("<footer", 1)[0]
    assert "Sign in with SSO</button>" in page.body
    for provider in ("Google", "Apple", "Facebook"):
        assert re.search(rf'<a [^>]*aria-label="Sign in with {provider}"[^>]*><svg', page.body)
    assert client.get(Z, "/signin/google").location == "/signin?error=Google"


def test_zoom_signs_in_through_the_okta_widget_and_a_code(client: Client) -> None:
    handle = okta_widget(client)
    identify = post_json(client, OKTA, "/idp/idx/identify", {"stateHandle": handle, "identifier": accounts.EMAIL})
    assert identify.json()["remediation"] == "challenge-authenticator"
    answer = post_json(client, OKTA, "/idp/idx/challenge/answer", {"stateHandle": handle, "credentials": {"passcode": accounts.PASSWORD}})
    callback = client.get(OKTA, answer.json()["success"]["href"]).location
    assert callback.startswith(f"http://{Z}:") and "/sso/callback?" in callback and "code=" in callback
    assert client.get(Z, path_of(callback)).location == "/profile"
    assert client.whoami(Z) == "alice"
    assert_logged_in_page(client.get(Z, "/profile"))
    assert client.get(Z, path_of(callback)).location == "/signin?error=sso", "a code works once"


def test_zoom_wrong_password_says_unable_to_sign_in_and_counts_once_on_the_tenant(sandbox: SandboxServer, client: Client) -> None:
    handle = okta_widget(client)
    post_json(client, OKTA, "/idp/idx/identify", {"stateHandle": handle, "identifier": accounts.EMAIL})
    before = len(sandbox.login_attempts(OKTA))
    answer = post_json(client, OKTA, "/idp/idx/challenge/answer", {"stateHandle": handle, "credentials": {"passcode": WRONG_PASSWORD}})
    assert answer.status == 401 and answer.json()["messages"]["value"][0]["message"] == "Unable to sign in"
    assert new_attempts(sandbox, OKTA, before) == [{"username": accounts.EMAIL, "ok": False}]
    assert 'box.className = "o-form-error-container o-form-has-errors";' in zoom.WIDGET_SCRIPT
    assert 'box.setAttribute("role", "alert");' in zoom.WIDGET_SCRIPT
    assert client.get(OKTA, f"/login/token/redirect?stateToken={handle}").status == 403, "no code without the password"
    assert client.whoami(Z) is None


def test_zoom_no_session_variant_shows_the_profile_but_the_next_page_is_signed_out(client: Client) -> None:
    client.within_login = True
    client.jars[Z] = dict(NO_SESSION)
    handle = okta_widget(client)
    post_json(client, OKTA, "/idp/idx/identify", {"stateHandle": handle, "identifier": accounts.EMAIL})
    answer = post_json(client, OKTA, "/idp/idx/challenge/answer", {"stateHandle": handle, "credentials": {"passcode": accounts.PASSWORD}})
    landing = client.follow(Z, client.get(Z, path_of(client.get(OKTA, answer.json()["success"]["href"]).location)))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert client.fresh_get(Z, "/profile").location == "/signin"
    assert client.whoami(Z) is None


# --- PayPal ---------------------------------------------------------------------------------------

P = "paypal.localhost"
PAYPAL_LOGIN = {"login_email": accounts.EMAIL, "login_password": accounts.PASSWORD, "returnUri": "/myaccount/summary"}


def test_paypal_log_in_button_sits_outside_the_form_and_names_it(client: Client) -> None:
    page = client.get(P, "/signin")
    form_end = page.body.index("</form>")
    assert page.body.index('id="btnNext"') < form_end < page.body.index('id="btnLogin"')
    login = tag(page.body, "btnLogin")
    assert 'form="loginForm"' in login and 'type="submit"' in login and 'id="loginForm"' in tag(page.body, "loginForm")
    assert 'class="splitPassword hide"' in page.body, "the password stage waits for Next"
    nxt = client.post(P, "/signin", {"login_email": accounts.EMAIL, "splitLoginContext": "inputEmail"})
    assert nxt.json() == {"showPassword": True, "email": accounts.EMAIL}


def test_paypal_cookie_banner_is_a_region_at_the_bottom_not_a_modal(client: Client) -> None:
    page = client.get(P, "/")
    banner = tag(page.body, "gdprCookieBanner")
    assert 'role="region"' in banner and "aria-modal" not in banner
    assert ">Accept</button>" in page.body and ">Decline</button>" in page.body
    client.jars.setdefault(P, {})["cookie_prefs"] = "T%3D1%2CP%3D0%2CF%3D0"
    assert 'id="gdprCookieBanner"' not in client.get(P, "/signin").body


def test_paypal_right_password_then_not_now_lands_on_the_summary(client: Client) -> None:
    reply = client.post(P, "/signin", PAYPAL_LOGIN)
    assert reply.location == "/myaccount/interstitial/link-bank?returnUri=/myaccount/summary"
    nag = client.get(P, path_of(reply.location))
    assert_logged_out_page(nag)
    assert "Link your bank to pay faster" in nag.body and ">Not now</button>" in nag.body
    assert client.whoami(P) is None, "the nag comes before the session"
    assert client.post(P, "/myaccount/interstitial/link-bank", {"choice": "skip", "returnUri": "/myaccount/summary"}).location == "/myaccount/summary"
    assert client.whoami(P) == "alice"
    assert_logged_in_page(client.get(P, "/myaccount/summary"))


def test_paypal_wrong_password_shows_a_critical_notification_and_counts_once(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts(P))
    reply = client.post(P, "/signin", {**PAYPAL_LOGIN, "login_password": WRONG_PASSWORD})
    assert (
        '<div class="notifications" role="alert"><p class="notification notification-critical">'
        "Some of your info isn&#x27;t correct. Please try again.</p></div>" in reply.body
    )
    assert 'class="splitPassword"' in reply.body and 'class="splitEmail hide"' in reply.body
    assert new_attempts(sandbox, P, before) == [{"email": accounts.EMAIL, "ok": False}]
    assert client.whoami(P) is None


def test_paypal_no_session_variant_shows_the_summary_signed_in_but_the_next_page_is_signed_out(client: Client) -> None:
    client.within_login = True
    client.jars[P] = dict(NO_SESSION)
    client.post(P, "/signin", PAYPAL_LOGIN)
    landing = client.follow(P, client.post(P, "/myaccount/interstitial/link-bank", {"choice": "skip", "returnUri": "/myaccount/summary"}))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert client.fresh_get(P, "/myaccount/summary").location.startswith("/signin")
    assert client.whoami(P) is None


# --- Booking.com ----------------------------------------------------------------------------------

B = "booking.localhost"


def booking_to_factors(client: Client, password: str = accounts.PASSWORD) -> Reply:
    email = post_json(client, B, "/api/sign-in/email", {"login_name": accounts.EMAIL}).json()
    assert email["next_step"] == "STEP_SIGN_IN__PASSWORD"
    return post_json(client, B, "/api/sign-in/password", {"context": email["context"], "password": password})


def booking_sign_in(client: Client) -> Reply:
    assert booking_to_factors(client).json() == {"redirect_uri": "/sign-in/verify"}
    assert client.post(B, "/sign-in/verify", {"factor": "totp"}).location == "/sign-in/verify/code"
    return client.post(B, "/sign-in/verify/code", {"code": accounts.totp()})


def test_booking_first_visit_is_under_a_modal_consent_wall_until_answered(client: Client) -> None:
    home = client.get(B, "/")
    wall = tag(home.body, "onetrust-banner-sdk")
    assert 'role="dialog"' in wall and 'aria-modal="true"' in wall
    assert ">Accept</button>" in home.body and ">Decline</button>" in home.body and "onetrust-pc-dark-filter" in home.body
    assert 'id="onetrust-banner-sdk"' in client.get(B, "/sign-in").body
    client.jars[B]["OptanonAlertBoxClosed"] = "2025-03-01T10:00:00.000Z"
    assert 'id="onetrust-banner-sdk"' not in client.get(B, "/").body


def test_booking_sign_in_hides_in_the_menu_and_its_app_renders_late(client: Client) -> None:
    home = client.get(B, "/")
    button = re.search(r'<button [^>]*aria-label="Menu"[^>]*>', home.body).group(0)
    assert 'aria-expanded="false"' in button and 'aria-controls="header-menu"' in button
    menu = re.search(r'<nav id="header-menu"[^>]*>(.*?)</nav>', home.body, re.S)
    assert " hidden" in menu.group(0).split(">")[0] and ">Sign in</a>" in menu.group(1)
    shell = client.get(B, "/sign-in")
    assert "<input" not in shell.body.split("<script>", 1)[0], "the form is not in the served page"
    assert "setTimeout(emailView, 500)" in shell.body and "root.replaceChildren(view)" in shell.body


def test_booking_password_then_the_authenticator_row_then_the_code_lands_on_my_settings(client: Client) -> None:
    assert booking_to_factors(client).json() == {"redirect_uri": "/sign-in/verify"}
    assert client.whoami(B) is None
    rows = client.get(B, "/sign-in/verify")
    assert "Verify it&#x27;s you" in rows.body
    found = re.findall(r'<li class="nw-factor-row"[^>]*>.*?<h3>(.*?)</h3>.*?<button [^>]*>Select</button></li>', rows.body, re.S)
    assert found == ["Authenticator app", "Text message", "Email"]
    landing = booking_sign_in(client)
    assert landing.location == "/mysettings"
    assert client.whoami(B) == "alice"
    assert_logged_in_page(client.get(B, "/mysettings"))


def test_booking_wrong_password_is_refused_with_the_password_note_and_counted_once(sandbox: SandboxServer, client: Client) -> None:
    before = len(sandbox.login_attempts(B))
    reply = booking_to_factors(client, WRONG_PASSWORD)
    assert reply.status == 401 and reply.json() == {"error": "The email and password combination entered doesn't match."}
    assert new_attempts(sandbox, B, before) == [{"email": accounts.EMAIL, "ok": False}]
    assert client.get(B, "/sign-in/verify").location == "/sign-in"
    script = booking.SIGNIN_SCRIPT
    assert '<div class="nw-password-error" id="password-note" aria-live="polite"></div>' in script
    assert 'input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "password-note");' in script


def test_booking_no_session_variant_shows_my_settings_but_the_next_page_is_signed_out(client: Client) -> None:
    client.within_login = True
    client.jars[B] = dict(NO_SESSION)
    landing = client.follow(B, booking_sign_in(client))
    assert landing.status == 200
    assert_logged_in_page(landing)
    assert client.fresh_get(B, "/mysettings").location == "/sign-in"
    assert client.whoami(B) is None
