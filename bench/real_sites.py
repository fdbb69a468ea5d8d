"""The login engine on the sandbox sites modelled on real logins (tests/sites/real), against a
hand-written Playwright login for each (the floor), in the same run.

The floor is what a developer who knows the site would write: open the login start, fill the known
selectors, click, answer the consent walls, menus and nags the site needs before it gives a session,
type the TOTP where it asks for one, hop through the identity provider — then wait for the landing to
show the user as logged in, and prove it as the engine does: a fresh page of the same context opens
the landing again (one-time query parameters such as code/state stripped) and must show the user
logged in. Both the floor and the engine start with the browser running and a fresh context, and stop
when the context is closed. The engine logs in cold (no plan); once per site it also runs with a wrong
password, unattended, counting how many submissions the site received.

Prints one JSON line per site: {"bench": "real_site_<name>", "modelled_on", "value" (engine median
ms), "floor" (floor median ms), "ratio", "outcome", "wrong_password_outcome",
"wrong_password_submissions", "rounds"}. A site the engine fails on gets its line with the outcome
and no value or ratio.

    python -m bench.real_sites [--rounds 5] [--only atlassian,dropbox,...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Browser, Page

from connections.engine import (
    BrowserHost,
    EngineConfig,
    LoginEngine,
    LoginRequest,
    LoginResult,
    Mode,
    Outcome,
    Pause,
    UserInput,
)
from connections.engine.verdict import reopen_url
from tests.sites import accounts
from tests.sites.real import Scenario, site_classes
from tests.sites.server import SITE_CLASSES, SandboxServer

LOGGED_IN = '[data-sandbox-state="logged-in"]'
WRONG_PASSWORD = "wrong-horse-battery"  # noqa: S105 - the wrong one, on purpose
FLOOR_TIMEOUT_MS = 15_000  # a floor that cannot log in fails fast instead of waiting Playwright's 30 s

Url = Callable[[str, str], str]  # (host, path) -> the sandbox URL
Steps = Callable[[Page, Url], Awaitable[None]]


# --- the floors: each drives its site from the login start to the first page that shows a session ---
#
# Only what the site needs before it gives a session is answered. Atlassian's "Add a phone number" nag
# and Instagram's "Save your login info?" come after the session is set and already show the user as
# logged in, so the floor stops there (as the engine does); Twitch's, Yahoo's, eBay's and PayPal's
# nags come before the session, so they are answered.


async def atlassian(page: Page, url: Url) -> None:
    await page.goto(url("atlassian.localhost", "/login"))
    await page.fill("#username", accounts.EMAIL)  # waits for the app to render (~0.5 s after load)
    await page.click("#login-submit")  # Continue: the same form comes back with the password
    await page.fill("#password", accounts.PASSWORD)
    await page.click("#login-submit")  # Log in -> /login/authorize -> the phone nag, signed in


async def dropbox(page: Page, url: Url) -> None:
    await page.goto(url("dropbox.localhost", "/login"))
    await page.click("#ccpa-overlay [data-choice=reject]")  # the wall covers the page until answered
    await page.fill("#login_email", accounts.EMAIL)
    await page.fill("#login_password", accounts.PASSWORD)
    await page.click("form.login-form .signin-button")  # waits for the overlay to go


async def keycloak(page: Page, url: Url) -> None:
    await page.goto(url("keycloak.localhost", "/"))  # -> account console -> the OIDC auth endpoint
    await page.fill("#username", accounts.USERNAME)
    await page.fill("#password", accounts.PASSWORD)
    await page.click("#kc-form-login #kc-login")
    await page.fill("#kc-otp-login-form #otp", accounts.totp())
    await page.click("#kc-otp-login-form #kc-login")


async def cognito(page: Page, url: Url) -> None:
    await page.goto(url("notesapp.localhost", "/auth/login"))  # the app's "Sign in" -> the hosted UI
    form = ".modal-content-desktop form[name=cognitoSignInForm]"  # the visible one of the two copies
    await page.fill(f"{form} input[name=username]", accounts.USERNAME)
    await page.fill(f"{form} input[name=password]", accounts.PASSWORD)
    await page.click(f"{form} input[name=signInSubmitButton]")  # -> notesapp /callback?code= -> /notes


async def instagram(page: Page, url: Url) -> None:
    await page.goto(url("instagram.localhost", "/"))
    await page.fill("#loginForm input[name=username]", accounts.USERNAME)  # waits for the late render
    await page.fill("#loginForm input[name=password]", accounts.PASSWORD)
    await page.click("#loginForm button[type=submit]")  # enabled once both are typed
    # -> "Save your login info?", already signed in


async def twitch(page: Page, url: Url) -> None:
    await page.goto(url("twitch.localhost", "/login"))  # the front page with the Log In modal open
    await page.fill("#login-username", accounts.USERNAME)
    await page.fill("#password-input", accounts.PASSWORD)
    await page.click("[data-a-target=passport-login-button]")
    await page.click("form[action='/device/trust'] button[name=trust][value=true]")  # the session starts here


async def yahoo(page: Page, url: Url) -> None:
    await page.goto(url("yahoo.localhost", "/login?.src=fpctx&.done=%2F"))
    await page.fill("#login-username", accounts.EMAIL)
    await page.click("#login-signin")
    await page.fill("#login-passwd", accounts.PASSWORD)
    await page.click("button#login-signin")
    await page.click("button[name=remindMeLater]")  # the session starts here


async def ebay(page: Page, url: Url) -> None:
    await page.goto(url("ebay.localhost", "/signin?ru=%2F"))
    await page.fill("#userid", accounts.EMAIL)
    await page.click("#signin-continue-btn")
    await page.fill("#pass", accounts.PASSWORD)  # revealed on the same page once the account is checked
    await page.click("#sgnBt")
    await page.click("#passkey-skip-btn")  # the session starts here


async def notion(page: Page, url: Url) -> None:
    await page.goto(url("notion.localhost", "/login"))
    await page.click(".notion-login-button[data-provider=google]")  # -> the provider's identifier page
    await page.fill("#identifierId", accounts.EMAIL)
    await page.click("#identifierNext button")
    await page.fill("input[name=Passwd]", accounts.PASSWORD)
    await page.click("#passwordNext button")
    await page.click("#submit_approve_access")  # Allow -> notion /oauth/callback?code= -> /workspace


async def zoom(page: Page, url: Url) -> None:
    await page.goto(url("zoom.localhost", "/signin"))
    await page.click("#ssoBtn")  # -> the Okta tenant's widget
    await page.fill("#okta-signin-username", accounts.EMAIL)
    await page.click("#okta-signin-submit")
    await page.fill("#okta-signin-password", accounts.PASSWORD)
    await page.click(".challenge-authenticator--okta_password input[type=submit]")  # -> zoom /sso/callback


async def paypal(page: Page, url: Url) -> None:
    await page.goto(url("paypal.localhost", "/signin"))
    await page.fill("#email", accounts.EMAIL)
    await page.click("#btnNext")
    await page.fill("#password", accounts.PASSWORD)  # the password stage, shown by script
    await page.click("#btnLogin")
    await page.click("#notNowLink")  # the session starts here


async def booking(page: Page, url: Url) -> None:
    await page.goto(url("booking.localhost", "/sign-in"))
    await page.click("#onetrust-reject-all-handler")  # the wall covers the page until answered
    await page.fill("#nw-email-form #username", accounts.EMAIL)  # waits for the late render
    await page.click("#nw-email-form button[type=submit]")
    await page.fill("#nw-password-form #password", accounts.PASSWORD)  # the form that replaces it
    await page.click("#nw-password-form button[type=submit]")
    await page.click("li.nw-factor-row[data-factor=totp] button[name=factor]")  # the Authenticator app row
    await page.fill("#otp-code", accounts.totp())
    await page.click("form[action='/sign-in/verify/code'] button[type=submit]")


FLOORS: dict[str, Steps] = {
    "atlassian": atlassian, "booking": booking, "cognito": cognito, "dropbox": dropbox, "ebay": ebay,
    "instagram": instagram, "keycloak": keycloak, "notion": notion, "paypal": paypal, "twitch": twitch,
    "yahoo": yahoo, "zoom": zoom,
}


@dataclass(frozen=True)
class Site:
    name: str  # the module in tests/sites/real
    scenario: Scenario
    floor: Steps


def sites() -> list[Site]:
    found = []
    for cls in site_classes():
        scenario = getattr(cls, "scenario", None)
        if isinstance(scenario, Scenario):
            name = cls.__module__.rsplit(".", 1)[-1]
            if name not in FLOORS:
                raise SystemExit(f"no floor for {name} ({scenario.host}): add one to bench/real_sites.py")
            found.append(Site(name, scenario, FLOORS[name]))
    return found


# --- running them ---------------------------------------------------------------------------------


async def run_floor(browser: Browser, sandbox: SandboxServer, site: Site, *, verify: bool = False) -> None:
    host = site.scenario.host
    context = await browser.new_context()
    context.set_default_timeout(FLOOR_TIMEOUT_MS)
    try:
        page = await context.new_page()
        await site.floor(page, lambda h, path: sandbox.url(h, path))
        # The landing: back on the connection's host (an identity provider's pages may look signed in
        # too), showing the user as logged in.
        await page.wait_for_url(lambda u: urlsplit(u).hostname == host)
        await page.wait_for_selector(LOGGED_IN)
        # The engine's proof: the landing again on a fresh page of the same context.
        fresh = await context.new_page()
        await fresh.goto(reopen_url(page.url, None))
        await fresh.wait_for_selector(LOGGED_IN)
        await fresh.close()
        if verify:
            user = sandbox.whoami_with(host, await context.storage_state())
            if user != accounts.USERNAME:
                raise AssertionError(f"the floor for {site.name} ended at {page.url}, but {host} knows {user!r}")
    finally:
        await context.close()


class UnexpectedPause(Exception):
    pass


def answers_for(site: Site, sandbox: SandboxServer) -> Callable[[Pause], Awaitable[UserInput]]:
    """A person answering the scenario's pauses, in order."""
    scenario = site.scenario
    left = list(scenario.answers)

    async def inputs(pause: Pause) -> UserInput:
        if not left:
            raise UnexpectedPause(f"unexpected pause: {pause!r}")
        answer = left.pop(0)
        if answer == "code":
            code = sandbox.sent_codes(scenario.code_host or scenario.host)[-1]
            return UserInput(fields={pause.fields[0].ref: code}) if pause.fields else UserInput(choice=code)
        kind, _, value = answer.partition(":")
        if kind in ("sso", "mfa"):
            return UserInput(choice=value)
        raise UnexpectedPause(f"the bench cannot give the answer {answer!r}")

    return inputs


def request_for(site: Site, sandbox: SandboxServer, values: dict[str, str], **extra: object) -> LoginRequest:
    s = site.scenario
    return LoginRequest(
        domain=s.host,
        login_url=sandbox.url(s.host, s.path) if s.path else None,
        values=values,
        totp_secret=accounts.TOTP_SECRET if s.totp else None,
        sso_provider=s.sso_provider,
        allowed_domains=list(s.allowed_domains),
        credential_domain=s.credential_domain,
        inputs=answers_for(site, sandbox),
        **extra,  # type: ignore[arg-type]
    )


def outcome_of(result: LoginResult) -> str:
    if result.outcome == Outcome.SUCCESS:
        return "SUCCESS"
    return f"FAILED:{result.error_code.value if result.error_code else result.outcome.value.lower()}"


async def run_engine(engine: LoginEngine, sandbox: SandboxServer, site: Site) -> tuple[float, str]:
    """One cold engine login: (ms, "SUCCESS" or "FAILED:<code>")."""
    start = time.perf_counter()
    try:
        result = await engine.login(request_for(site, sandbox, dict(site.scenario.values)))
    except UnexpectedPause:
        return (time.perf_counter() - start) * 1000, "FAILED:unexpected_pause"
    except Exception as exc:  # the engine crashed (it is being worked on): reported, the bench goes on
        return (time.perf_counter() - start) * 1000, f"FAILED:exception:{type(exc).__name__}"
    elapsed = (time.perf_counter() - start) * 1000
    if result.outcome == Outcome.SUCCESS and sandbox.whoami_with(site.scenario.host, result.storage_state) != accounts.USERNAME:
        return elapsed, "FAILED:no_session_in_state"  # SUCCESS, but the site does not know the browser
    return elapsed, outcome_of(result)


async def wrong_password(engine: LoginEngine, sandbox: SandboxServer, site: Site) -> tuple[str, int]:
    s = site.scenario
    counted = s.password_host or s.host
    before = len(sandbox.login_attempts(counted))
    try:
        result = await engine.login(
            request_for(site, sandbox, {**s.values, "password": WRONG_PASSWORD}, mode=Mode.UNATTENDED)
        )
        outcome = outcome_of(result)
    except UnexpectedPause:
        outcome = "FAILED:unexpected_pause"
    except Exception as exc:
        outcome = f"FAILED:exception:{type(exc).__name__}"
    return outcome, len(sandbox.login_attempts(counted)) - before


async def timed_floor(browser: Browser, sandbox: SandboxServer, site: Site) -> float:
    start = time.perf_counter()
    await run_floor(browser, sandbox, site)
    return (time.perf_counter() - start) * 1000


async def bench_site(engine: LoginEngine, browser: Browser, sandbox: SandboxServer, site: Site, rounds: int) -> bool:
    line: dict[str, object] = {"bench": f"real_site_{site.name}", "modelled_on": site.scenario.modelled_on}
    floors: list[float] = []
    cold: list[float] = []
    outcomes: list[str] = []
    floor_error = None
    try:
        await run_floor(browser, sandbox, site, verify=True)  # warm-up, and proof the floor logs in
    except Exception as exc:  # reported in the line; the other sites still run
        floor_error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    await run_engine(engine, sandbox, site)  # warm-up
    # Interleaved, so a slow moment of the machine hits both alike.
    for _ in range(rounds):
        if floor_error is None:
            try:
                floors.append(await timed_floor(browser, sandbox, site))
            except Exception as exc:
                floor_error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
        ms, outcome = await run_engine(engine, sandbox, site)
        outcomes.append(outcome)
        if outcome == "SUCCESS":
            cold.append(ms)
    failures = [o for o in outcomes if o != "SUCCESS"]
    outcome = failures[0] if failures else "SUCCESS"
    floor = statistics.median(floors) if floor_error is None and floors else None
    value = statistics.median(cold) if not failures and cold else None
    line["value"] = round(value, 1) if value is not None else None
    line["floor"] = round(floor, 1) if floor is not None else None
    if value is not None and floor:
        line["ratio"] = round(value / floor, 3)
    line["outcome"] = outcome
    if failures:
        line["engine_successes"] = f"{len(outcomes) - len(failures)}/{len(outcomes)}"
    line["wrong_password_outcome"], line["wrong_password_submissions"] = await wrong_password(engine, sandbox, site)
    line["rounds"] = rounds
    if floor_error is not None:
        line["floor_error"] = floor_error
    print(json.dumps(line), flush=True)
    return floor_error is None


async def main(rounds: int, only: set[str]) -> int:
    chosen = [s for s in sites() if not only or s.name in only or s.scenario.host.split(".")[0] in only]
    unknown = only - {s.name for s in chosen} - {s.scenario.host.split(".")[0] for s in chosen}
    if unknown:
        raise SystemExit(f"unknown site(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(FLOORS))}")
    sandbox = SandboxServer().start()
    config = EngineConfig(site_ports={h: sandbox.port for cls in SITE_CLASSES for h in cls.hosts})
    floors_ok = True
    try:
        async with BrowserHost(config) as host:
            assert host.browser is not None
            engine = LoginEngine(host.browser, config)
            for site in chosen:
                floors_ok &= await bench_site(engine, host.browser, sandbox, site, rounds)
    finally:
        sandbox.stop()
    return 0 if floors_ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated site names (the modules in tests/sites/real)")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.rounds, {n.strip() for n in args.only.split(",") if n.strip()})))
