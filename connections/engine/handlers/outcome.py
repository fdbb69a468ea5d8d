"""How a login ends: SUCCESS only on proof from a fresh page, or a failure that says what was seen."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from playwright.async_api import Frame

from connections.engine import waits
from connections.engine.classify import Analysis
from connections.engine.hosts import host_of, page_path, site_of
from connections.engine.types import ErrorCode, LoginResult
from connections.engine.verdict import (
    SessionState,
    Verdict,
    check_session,
    judge,
    reopen_url,
)

if TYPE_CHECKING:
    from connections.engine.run import Run

# A page that says the site took the browser for a robot (no CAPTCHA to solve, just a refusal).
BOT_RE = re.compile(
    r"unusual (traffic|activity) from your (network|computer|device)|automated (queries|requests|traffic|access)"
    r"|are you a (robot|human)\b|verify (that )?you are (a )?human|bot (traffic )?detected|detected as a bot",
    re.I,
)


async def captcha(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    return await run.fail(ErrorCode.CAPTCHA_BLOCKED, "The site asks to solve a CAPTCHA, which AuthHub does not do.")


async def passkey(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    return await run.fail(ErrorCode.UNSUPPORTED_AUTH_METHOD, "This site offers only passkey or security-key sign-in.")


async def logged_in(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    return await conclude(run, analysis)


async def unknown(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    """Neither a sign-in step nor a page that looks signed in: a page still rendering, or one with
    nothing safe to do. Wait for it on signals (bounded); then judge it — never SUCCESS on a guess."""
    assert run.page is not None
    here = await _verdict_here(run, analysis)
    if here.logged_in:  # an account menu or avatar, no sign-out text: judged at once, not after a wait
        return await conclude(run, analysis, here)
    if analysis.busy and run.loop.visits[run.loop.page] <= 2:
        if await waits.ready(run.page, run.config.render_timeout) != "timeout":
            return None
    if await run.wait_for_change(analysis.mutations, 4.0) in ("changed", "busy", "navigated"):
        return None
    if match := BOT_RE.search(analysis.text):
        words = _sentence(analysis.text, match)
        return await run.fail(ErrorCode.BOT_DETECTED, f"The site refused the browser as automated: “{words}”.", words)
    if analysis.website_error:
        return await run.fail(ErrorCode.WEBSITE_ERROR, "The site showed an error.", analysis.website_error)
    if not run.typist.typed_anything:
        return await run.fail(ErrorCode.LOGIN_FORM_NOT_FOUND, "No login form was found on the site.")
    return await run.fail(
        ErrorCode.NAVIGATION_CONFUSED,
        f"After signing in, the page at {page_path(analysis.url)} is neither a sign-in step nor signed in "
        f"({here.reason}){_looks(analysis)}. AuthHub did not guess.",
    )


async def conclude(run: Run, analysis: Analysis, here: Verdict | None = None) -> LoginResult | None:
    """The page looks signed in: prove it on a fresh page of the connection's site, opened with this
    browser's state. A landing on another site (an identity provider's account page) proves nothing
    for this one: the proof is then asked of the connection's own post-login page, or its home."""
    assert run.page is not None
    here = here or await _verdict_here(run, analysis)
    if not here.logged_in:
        if here.state == SessionState.LOGGED_OUT:
            return await run.fail(ErrorCode.NAVIGATION_CONFUSED,
                                  f"The page at {page_path(analysis.url)} is not signed in: {here.reason}.")
        return await run.fail(
            ErrorCode.NAVIGATION_CONFUSED,
            f"The page at {page_path(analysis.url)} may be signed in, but there is no proof: {here.reason}"
            f"{_looks(analysis)}. AuthHub did not guess.",
        )
    plan = run.request.plan if run.request.use_plan else None
    learned = plan.post_login_url if plan else None
    url = reopen_url(run.page.url, learned)
    if site_of(host_of(url)) != site_of(run.request.domain):
        home = f"{urlsplit(run.page.url).scheme or 'https'}://{run.request.domain}{_port(run)}/"
        url = learned if learned and site_of(host_of(learned)) == site_of(run.request.domain) else home
    verdict = await check_session(
        run.context, url, identities=run.values.identities(), cookies_before=run.cookies_before,
        fingerprint=run.request.fingerprint, timeout=run.config.render_timeout,
        navigation_timeout=run.config.navigation_timeout,
    )
    if run.guard.blocked:
        return await run.blocked()
    if verdict.logged_in:
        return await run.succeed(verdict, "Logged in" if run.typist.typed_anything else "Already logged in")
    return await run.fail(
        ErrorCode.NAVIGATION_CONFUSED,
        f"The site showed a signed-in page at {page_path(analysis.url)}, but a fresh page of the site ({page_path(url)}) "
        f"is not signed in: {verdict.reason}. The site did not keep the session; nothing was submitted again.",
    )


async def _verdict_here(run: Run, analysis: Analysis) -> Verdict:
    verdict, _ = await judge(run.context, analysis, identities=run.values.identities(),
                             cookies_before=run.cookies_before, fingerprint=run.request.fingerprint,
                             default_host=run.request.domain)
    return verdict


def _port(run: Run) -> str:
    port = run.config.site_ports.get(run.request.domain)
    if port:
        return f":{port}"
    parts = urlsplit(run.page.url if run.page else "")
    return f":{parts.port}" if parts.port and site_of(parts.hostname or "") == site_of(run.request.domain) else ""


def _sentence(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind(".", 0, match.start()) + 1, match.start() - 120)
    end = text.find(".", match.end())
    return " ".join(text[start:end + 1 if end != -1 else match.end() + 80].split())[:200]


def _looks(analysis: Analysis) -> str:
    text = " ".join((analysis.text or analysis.message or "").split())[:160]
    return f"; it shows “{text}”" if text else ""
