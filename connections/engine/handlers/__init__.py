"""One handler per kind of page. ``handle`` reads what the last action did, then hands the page to the
handler for its kind; a handler acts and returns None (read the page again) or ends the login."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame

from connections.engine.classify import Analysis, PageKind
from connections.engine.handlers import choices, credentials, factors, outcome
from connections.engine.types import ErrorCode, LoginResult

if TYPE_CHECKING:
    from connections.engine.run import Run

Handler = Callable[["Run", Analysis, list[Frame]], Awaitable[LoginResult | None]]

HANDLERS: dict[PageKind, Handler] = {
    PageKind.LOGGED_IN: outcome.logged_in,
    PageKind.CAPTCHA: outcome.captcha,
    PageKind.PASSKEY: outcome.passkey,
    PageKind.PUSH: factors.external_action,
    PageKind.CONSENT: choices.click_primary,
    PageKind.STAY_SIGNED_IN: choices.click_primary,
    PageKind.MFA_CHOICE: factors.mfa_choice,
    PageKind.ACCOUNT_PICKER: choices.account_picker,
    PageKind.OTP: factors.otp,
    PageKind.LOGIN: credentials.credentials,
    PageKind.IDENTIFIER: credentials.credentials,
    PageKind.ENTRY: choices.entry,
    PageKind.INTERSTITIAL: choices.click_primary,
    PageKind.UNKNOWN: outcome.unknown,
}


async def handle(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    if (waited := await _after_submit(run, analysis, frames)) is not False:
        return waited
    if run.guard.blocked:
        return await run.blocked()
    if (dismissed := await choices.consent_wall(run, analysis, frames)) is not False:
        return dismissed
    return await HANDLERS[analysis.kind](run, analysis, frames)


async def _after_submit(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None | bool:
    """The form just submitted, unchanged and without an error: the browser refused it (HTML validation),
    or the site has not reacted yet (slow server, single-page app): wait for it, never resubmit.
    False when the page is not that form."""
    last = run.last_submit
    pending = last is not None and last.unanswered_on(analysis)
    if not pending or analysis.website_error or analysis.kind == PageKind.LOGGED_IN:
        return False
    assert last is not None
    invalid = await _invalid_field(last.fields)
    if invalid is not None:
        key, message = invalid
        analysis.website_error = message
        last.keys = (key,)
        last.waited = True
        return await credentials.credentials(run, analysis, frames)
    if run.guard.blocked:
        return await run.blocked()
    if await run.wait_for_change(analysis.mutations, run.config.action_timeout) == "timeout":
        if run.guard.blocked:
            return await run.blocked()
        return await run.fail(ErrorCode.STUCK_IN_LOOP, "The site did not react to the submitted form.")
    last.waited = True
    return None


async def _invalid_field(fields: list[tuple[Frame, str, str]]) -> tuple[str, str] | None:
    for frame, selector, key in fields:
        try:
            message = await frame.locator(selector).evaluate("el => el.validationMessage || ''", timeout=1000)
        except PlaywrightError:
            continue
        if message:
            return key, str(message)
    return None
