"""The session verdict: is this browser logged in to the site, logged out, or can't we tell — and why.

One component answers it for the login's final check and for the health checks of a connection. It
never trusts one signal alone where that signal can mislead: a page may show the user's name and a
sign-out link and still have created no session. The proof is a **fresh page** of the site, opened
with the browser's state, that shows the evidence again with no login form or sign-in entry point.

Evidence, weighed (``weigh``): a sign-out control, an account menu or avatar, the user's identifier on
the page, the site's session cookies changed since the attempt began, a landing away from the login
URL — against a visible password field or "Sign in" entry point. After a first success the evidence
that was seen is kept per connection (a :class:`Fingerprint`) so later verdicts are fast and sure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from connections.engine import waits
from connections.engine.classify import Analysis, PageKind
from connections.engine.hosts import host_of, site_of
from connections.engine.snapshot import read_page
from connections.engine.types import Fingerprint

logger = logging.getLogger(__name__)

# Query parameters that make a URL single-use: reopening a spent callback looks logged out.
ONE_TIME_PARAMS = frozenset({
    "code", "state", "ticket", "token", "id_token", "access_token", "nonce", "session_state", "samlresponse",
    "oauth_token", "oauth_verifier", "auth_code", "authcode", "otp", "magic", "login_token", "sig", "signature",
})
LOGGED_IN_SCORE = 3  # how much evidence, together, is proof (see ``weigh``)


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

    signout: list[str] = field(default_factory=list)
    account: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    identity: str | None = None
    password_visible: bool = False
    form_step: bool = False  # an identifier, code or factor step is showing
    cookies_changed: tuple[str, ...] = ()
    away_from_login: bool = False
    fingerprint_control: str | None = None
    fingerprint_cookies: bool = False


def signals_of(
    analysis: Analysis, *, identities: list[str] = (), cookies_changed: tuple[str, ...] = (),  # type: ignore[assignment]
    login_url: str | None = None, fingerprint: Fingerprint | None = None, cookie_names: set[str] | None = None,
) -> Signals:
    text = analysis.text.lower()
    signout = list(analysis.logout)
    account = list(analysis.account)
    entries = list(analysis.entries)
    if not entries and analysis.kind == PageKind.ENTRY and analysis.primary is not None:
        entries = [analysis.primary.text or analysis.primary.describe()]
    password = analysis.password_visible
    identity = next((i for i in identities if i and i.lower() in text), None)
    seen = [c.lower() for c in (*signout, *account)]
    control = None
    if fingerprint is not None:
        control = next((c for c in fingerprint.controls if c.lower() in seen), None)
    away = bool(login_url) and _path(analysis.url) != _path(login_url or "")
    return Signals(
        signout=signout, account=account, entries=entries, identity=identity, password_visible=password,
        form_step=analysis.kind in (PageKind.LOGIN, PageKind.IDENTIFIER, PageKind.OTP, PageKind.MFA_CHOICE,
                                    PageKind.CAPTCHA, PageKind.PASSKEY),
        cookies_changed=cookies_changed, away_from_login=away, fingerprint_control=control,
        fingerprint_cookies=bool(fingerprint and fingerprint.cookies and cookie_names is not None
                                 and set(fingerprint.cookies) <= cookie_names),
    )


def weigh(signals: Signals, url: str = "") -> Verdict:
    """Logged in only with positive evidence adding up to ``LOGGED_IN_SCORE`` and nothing against it."""
    s = signals
    evidence: list[str] = []
    if s.password_visible:
        return Verdict(SessionState.LOGGED_OUT, "a password field is showing", url)
    if s.entries and not s.signout:
        return Verdict(SessionState.LOGGED_OUT, f"the page offers “{s.entries[0]}”", url)
    if s.form_step:
        return Verdict(SessionState.LOGGED_OUT, "a sign-in step is showing", url)
    score = 0
    if s.signout:
        score += 2
        evidence.append(f"sign-out control “{s.signout[0]}”")
    if s.account:
        score += 1
        evidence.append(f"account control “{s.account[0]}”")
    if s.identity:
        score += 1
        evidence.append("the user's identifier on the page")
    if s.cookies_changed:
        score += 1
        evidence.append("session cookies set: " + ", ".join(s.cookies_changed[:4]))
    if s.away_from_login:
        score += 1
        evidence.append("landed away from the login page")
    if s.fingerprint_control:
        score += 2
        evidence.append(f"the control seen on earlier logins, “{s.fingerprint_control}”")
    if s.fingerprint_cookies:
        score += 1
        evidence.append("the session cookies seen on earlier logins")
    positive_control = bool(s.signout or s.account or s.fingerprint_control)
    if positive_control and score >= LOGGED_IN_SCORE:
        return Verdict(SessionState.LOGGED_IN, "; ".join(evidence), url, tuple(evidence))
    if not evidence:
        return Verdict(SessionState.UNKNOWN, "no sign of a signed-in user and no login form", url)
    return Verdict(SessionState.UNKNOWN, "not enough evidence: only " + "; ".join(evidence), url, tuple(evidence))


def fingerprint_from(signals: Signals, url: str) -> Fingerprint:
    controls = tuple(dict.fromkeys(c for c in (*signals.signout, *signals.account) if c and len(c) <= 60))[:4]
    return Fingerprint(controls=controls, cookies=tuple(sorted(signals.cookies_changed))[:8], path=_path(url))


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


async def check_session(
    context: BrowserContext, url: str, *, identities: list[str] = (),  # type: ignore[assignment]
    cookies_before: list[dict[str, Any]] | None = None, login_url: str | None = None,
    fingerprint: Fingerprint | None = None, timeout: float = 6.0,
) -> Verdict:
    """Open ``url`` in a fresh page of ``context`` and judge it. Health checks call this too."""
    page = await context.new_page()
    try:
        try:
            await page.goto(url, wait_until="load", timeout=timeout * 1000)
        except PlaywrightError as exc:
            return Verdict(SessionState.UNKNOWN, f"the page could not be opened: {str(exc).splitlines()[0][:200]}", url)
        verdict = Verdict(SessionState.UNKNOWN, "not read", url)
        for _ in range(3):
            await waits.ready(page, timeout / 2)
            analysis, _ = await read_page(page)
            cookies = await context.cookies()
            site = site_of(host_of(page.url) or host_of(url))
            signals = signals_of(
                analysis, identities=list(identities), cookies_changed=cookie_changes(cookies_before, cookies, site),
                login_url=login_url, fingerprint=fingerprint, cookie_names={c["name"] for c in cookies},
            )
            verdict = weigh(signals, page.url)
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


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path or '/'}"
