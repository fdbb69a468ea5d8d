"""The session verdict: is this browser logged in to the site, logged out, or can't we tell — and why.

One component answers it for the login's final check and for the health checks of a connection. It
never trusts one signal alone where that signal can mislead: a page may show the user's name and a
sign-out link and still have created no session. The proof is a **fresh page** of the site, opened
with the browser's state, that shows the evidence again with no login form or sign-in entry point.

Evidence, weighed (``weigh``): a sign-out control, an account menu or avatar, the user's identifier on
the page, the site's session cookies changed since the attempt began — against a visible password field or "Sign in" entry point. After a first success the evidence
that was seen is kept per connection (a :class:`Fingerprint`) so later verdicts are fast and sure.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from connections.engine import waits
from connections.engine.browser import first_line
from connections.engine.classify import Analysis, PageKind
from connections.engine.hosts import host_of, page_path, site_of
from connections.engine.snapshot import read_page
from connections.engine.types import Fingerprint

logger = logging.getLogger(__name__)

# Query parameters that make a URL single-use: reopening a spent callback looks logged out.
ONE_TIME_PARAMS = frozenset({
    "code", "state", "ticket", "token", "id_token", "access_token", "nonce", "session_state", "samlresponse",
    "oauth_token", "oauth_verifier", "auth_code", "authcode", "otp", "magic", "login_token", "sig", "signature",
})


class SessionState(StrEnum):
    LOGGED_IN = "logged_in"
    LOGGED_OUT = "logged_out"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verdict:
    state: SessionState
    reason: str
    url: str = ""
    evidence: tuple[str, ...] = ()
    fingerprint: Fingerprint | None = None

    @property
    def logged_in(self) -> bool:
        return self.state == SessionState.LOGGED_IN


@dataclass
class Signals:
    """The evidence read from one page (and the cookies), before it is weighed."""

    signout: list[str] = field(default_factory=list)  # visible sign-out controls
    signout_hidden: list[str] = field(default_factory=list)  # sign-out controls in closed menus
    account: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    identity: str | None = None
    password_visible: bool = False
    form_step: bool = False  # an identifier, code or factor step is showing
    cookies_changed: tuple[str, ...] = ()
    fingerprint_control: str | None = None
    fingerprint_cookies: bool = False


# Cookies any page sets for everyone (analytics, consent, CSRF): a change in them says nothing of a session.
NOT_SESSION_COOKIE = re.compile(
    r"^(_ga|_gid|_gat|_gcl|_fbp|_fbc|__utm|_hj|ajs_|amp_|mp_|_pk_|_uet|optanon|cookieconsent|consent|euconsent"
    r"|testcookie|test_cookie|csrf|_csrf|xsrf|csrftoken|__cf|cf_|_dd_s|lang|locale|tz$)",
    re.I,
)


def identity_on_page(identities: list[str], text: str) -> str | None:
    """The first identifier the page shows as a word of its own (never a short one: "jo" is on any page)."""
    for value in identities:
        if len(value) >= 4 and re.search(rf"(?<![\w.@-]){re.escape(value)}(?![\w@-])", text, re.I):
            return value
    return None


def signals_of(
    analysis: Analysis, *, identities: list[str] | None = None, cookies_changed: tuple[str, ...] = (),
    fingerprint: Fingerprint | None = None, cookie_names: set[str] | None = None,
) -> Signals:
    entries = list(analysis.entries)
    if not entries and analysis.kind == PageKind.ENTRY and analysis.primary is not None:
        entries = [analysis.primary.text or analysis.primary.describe()]
    seen = [c.lower() for c in (*analysis.logout, *analysis.account)]
    control = None
    if fingerprint is not None:
        control = next((c for c in fingerprint.controls if c.lower() in seen), None)
    return Signals(
        signout=list(analysis.logout), signout_hidden=list(analysis.logout_hidden), account=list(analysis.account),
        entries=entries, identity=identity_on_page(identities or [], analysis.text),
        password_visible=analysis.password_visible,
        form_step=analysis.kind in (PageKind.LOGIN, PageKind.IDENTIFIER, PageKind.OTP, PageKind.MFA_CHOICE,
                                    PageKind.CAPTCHA, PageKind.PASSKEY),
        cookies_changed=tuple(c for c in cookies_changed if not NOT_SESSION_COOKIE.match(c)),
        fingerprint_control=control,
        fingerprint_cookies=bool(fingerprint and fingerprint.cookies and cookie_names is not None
                                 and set(fingerprint.cookies) <= cookie_names),
    )


def weigh(signals: Signals, url: str = "") -> Verdict:
    """Logged in only on a control the user can see (a sign-out, an account menu) corroborated by evidence
    of a different kind — the user's identifier, new session cookies, the session cookies of earlier
    logins — and nothing against it. A sign-out kept in a closed menu, or a control alone, is not enough."""
    s = signals
    if s.password_visible:
        return Verdict(SessionState.LOGGED_OUT, "a password field is showing", url)
    if s.entries and not s.signout:
        return Verdict(SessionState.LOGGED_OUT, f"the page offers “{s.entries[0]}”", url)
    if s.form_step:
        return Verdict(SessionState.LOGGED_OUT, "a sign-in step is showing", url)
    controls: list[str] = []
    if s.signout:
        controls.append(f"sign-out control “{s.signout[0]}”")
    if s.account:
        controls.append(f"account control “{s.account[0]}”")
    if s.signout_hidden:
        controls.append(f"sign-out control in a menu “{s.signout_hidden[0]}”")
    corroboration: list[str] = []
    if s.identity:
        corroboration.append("the user's identifier on the page")
    if s.cookies_changed:
        corroboration.append("session cookies set: " + ", ".join(s.cookies_changed[:4]))
    if s.fingerprint_cookies:
        corroboration.append("the session cookies seen on earlier logins")
    if s.fingerprint_control:
        controls.append(f"the control seen on earlier logins, “{s.fingerprint_control}”")
    evidence = tuple(controls + corroboration)
    # A visible sign-out needs one corroboration; weaker controls (an account menu, a hidden sign-out)
    # need two, or a second kind of control.
    strong = bool(s.signout)
    needed = 1 if strong else 2
    if s.account and (s.signout_hidden or s.signout) and not strong:
        needed = 1
    if controls and len(corroboration) >= needed:
        return Verdict(SessionState.LOGGED_IN, "; ".join(evidence), url, evidence)
    if not evidence:
        return Verdict(SessionState.UNKNOWN, "no sign of a signed-in user and no login form", url)
    return Verdict(SessionState.UNKNOWN, "not enough evidence: only " + "; ".join(evidence), url, evidence)


def fingerprint_from(signals: Signals, url: str) -> Fingerprint:
    controls = tuple(dict.fromkeys(c for c in (*signals.signout, *signals.account, *signals.signout_hidden)
                                   if c and len(c) <= 60))[:4]
    return Fingerprint(controls=controls, cookies=tuple(sorted(signals.cookies_changed))[:8], path=page_path(url))


def cookie_changes(before: list[dict[str, Any]] | None, after: list[dict[str, Any]], site: str) -> tuple[str, ...]:
    """Names of the site's cookies that are new or have a new value since ``before``."""
    if before is None:
        return ()
    old = {(c["name"], c["domain"]): c["value"] for c in before}
    changed = [
        c["name"] for c in after
        if site_of(c["domain"].lstrip(".")) == site and c.get("value") and old.get((c["name"], c["domain"])) != c["value"]
    ]
    return tuple(dict.fromkeys(changed))


def reopen_url(landing: str, post_login_url: str | None) -> str:
    """Which page proves the session: the landing reopened, unless it carries one-time parameters
    (then the learned post-login URL, else the landing without them)."""
    if not _one_time(landing):
        return landing
    if post_login_url and not _one_time(post_login_url) and host_of(post_login_url) == host_of(landing):
        return post_login_url
    parts = urlsplit(landing)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in ONE_TIME_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


async def judge(
    context: BrowserContext, analysis: Analysis, *, identities: list[str] | None = None,
    cookies_before: list[dict[str, Any]] | None = None, fingerprint: Fingerprint | None = None, default_host: str = "",
) -> tuple[Verdict, Signals]:
    """Weigh one page that was just read, with the context's cookies as they are now (``default_host``:
    whose cookies count when the page has no host of its own)."""
    cookies = await context.cookies()
    site = site_of(host_of(analysis.url) or default_host)
    signals = signals_of(
        analysis, identities=list(identities or []), cookies_changed=cookie_changes(cookies_before, cookies, site),
        fingerprint=fingerprint, cookie_names={c["name"] for c in cookies},
    )
    return weigh(signals, analysis.url), signals


async def check_session(
    context: BrowserContext, url: str, *, identities: list[str] | None = None,
    cookies_before: list[dict[str, Any]] | None = None, fingerprint: Fingerprint | None = None,
    timeout: float = 6.0, navigation_timeout: float = 20.0,
) -> Verdict:
    """Open ``url`` in a fresh page of ``context`` and judge it: the proof of a login, and the health
    check of a connection. ``timeout`` bounds how long the page may take to render once loaded."""
    page = await context.new_page()
    try:
        try:
            await page.goto(url, wait_until="load", timeout=navigation_timeout * 1000)
        except PlaywrightError as exc:
            return Verdict(SessionState.UNKNOWN, f"the page could not be opened: {first_line(exc, 200)}", url)
        verdict = Verdict(SessionState.UNKNOWN, "not read", url)
        for _ in range(3):
            await waits.ready(page, timeout / 2)
            analysis, _ = await read_page(page)
            verdict, signals = await judge(context, analysis, identities=identities, cookies_before=cookies_before,
                                           fingerprint=fingerprint, default_host=host_of(url))
            if verdict.state != SessionState.UNKNOWN:
                break
            # A page still rendering (a late single-page app): wait for it to change, bounded.
            if await waits.settle(page.main_frame, page, analysis.mutations, timeout / 3) == "timeout":
                break
        if verdict.logged_in:
            verdict = Verdict(verdict.state, verdict.reason, verdict.url, verdict.evidence, fingerprint_from(signals, page.url))
        logger.debug("session verdict for %s: %s (%s)", url, verdict.state.value, verdict.reason)
        return verdict
    finally:
        try:
            await page.close()
        except PlaywrightError:
            pass


def _one_time(url: str) -> bool:
    return any(k.lower() in ONE_TIME_PARAMS for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True))

