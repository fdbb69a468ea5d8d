"""Login and identifier pages: which credential key each field is, what is missing, what the site
rejected; then fill and submit — or ask a person, or fail unattended."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame

from connections.engine import pauses
from connections.engine.classify import Analysis, Element, Input
from connections.engine.hosts import host_of, page_path
from connections.engine.plans import css_text_selector
from connections.engine.types import (
    ErrorCode,
    FlowStep,
    LoginResult,
    Mode,
    Outcome,
    Pause,
    PlanAction,
    UserInput,
)

if TYPE_CHECKING:
    from connections.engine.run import Run


async def credentials(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    provider = (run.request.sso_provider or "").lower()
    if provider:
        match = next((el for name, el in analysis.sso_buttons if name == provider or provider in el.text.lower()), None)
        if match is not None:
            await run.emit(FlowStep.SUBMITTING, f"Continuing with {provider}")
            await run.click(frames, match, record=True)
            return None

    plan_fields = _fields(run, analysis)
    if not plan_fields:
        return await _sso_only(run, analysis, frames)

    rejected_keys = _rejected_keys(run, analysis)
    if rejected_keys is None:  # the site's error on the form just submitted: what we sent was refused
        rejected_keys = set()
    elif rejected_keys:
        if ended := await _after_rejection(run, analysis, rejected_keys):
            return ended

    frame = frames[analysis.frame]
    if not run.policy.allows_url(frame.url):
        return await run.fail(ErrorCode.DOMAIN_NOT_ALLOWED, f"The login form is on {host_of(frame.url)}, which is not allowed.")
    host = host_of(frame.url)
    # The same secret, sent once, and the sign-in form is back without a word from the site: it was not
    # accepted, and sending it again could lock the account. It counts as rejected.
    again = set(run.values.resubmits([key for _, key in plan_fields], host))
    if again:
        rejected_keys |= again
        if ended := await _after_rejection(run, analysis, again, silent=True):
            return ended
    # A field the site filled in itself (a remembered username) needs no value; a password field is never
    # taken as it is: what is left in it may be the value the site just refused.
    missing = [
        (element, key) for element, key in plan_fields
        if run.values.value(key, _host(frames, element)) is None
        and (element.data.get("empty", True) or key == "password" or key in rejected_keys)
    ]
    if missing:
        answer = await _ask_fields(run, analysis, missing, rejected_keys, frames)
        if isinstance(answer, LoginResult):
            return answer
        return None  # read the page again and fill with what the person gave

    if problem := run.typist.form_problem(analysis.form_action):
        return await run.fail(ErrorCode.DOMAIN_NOT_ALLOWED, problem)
    await run.emit(FlowStep.SUBMITTING, "Signing in")
    run.form_url = run.form_url or analysis.url
    for element, key in plan_fields:
        value = run.values.value(key, _host(frames, element))
        if value is None:
            continue
        await run.fill(frames, element, value, key, stored=run.values.is_stored(key))
    if analysis.remember is not None and not analysis.remember.data.get("checked"):
        locator = frames[analysis.remember.frame].locator(analysis.remember.selector)
        try:
            await locator.check(timeout=2000)
            run.record(PlanAction("check", css_text_selector(analysis.remember)), frames[analysis.remember.frame])
        except PlaywrightError:
            pass
    await run.submit(
        analysis, frames, tuple(key for _, key in plan_fields),
        [(frames[el.frame], el.selector, key) for el, key in plan_fields],
    )
    return None


def _fields(run: Run, analysis: Analysis) -> list[tuple[Input, str]]:
    """The form's fields as credential keys: the identifier, the password, then any extra field."""
    out: list[tuple[Input, str]] = []
    if analysis.identifier is not None:
        out.append((analysis.identifier, run.values.identifier_key(analysis.identifier)))
    if analysis.password is not None:
        out.append((analysis.password, "password"))
    used = {key for _, key in out}
    for element in analysis.extra:
        key = run.values.extra_key(element, used)
        used.add(key)
        out.append((element, key))
    return out


def _rejected_keys(run: Run, analysis: Analysis) -> set[str] | None:
    """The keys the site just refused: the same form again, now with the site's error."""
    last = run.last_submit
    if last is None or not analysis.website_error or last.kind not in (analysis.kind, None):
        return None
    if last.path != page_path(analysis.url):
        return None
    return {"password"} if "password" in last.keys else set(last.keys)


async def _after_rejection(run: Run, analysis: Analysis, keys: set[str], *, silent: bool = False) -> LoginResult | None:
    run.values.reject(keys)
    run.last_submit = None
    run.attempts += 1
    if run.request.mode == Mode.UNATTENDED:
        message = (
            "The site showed its sign-in form again after the stored credentials were submitted, without "
            "saying why; AuthHub does not submit the same password twice."
            if silent else "The site rejected the stored credentials."
        )
        return await run.fail(ErrorCode.CREDENTIALS_INVALID, message, analysis.website_error)
    if run.attempts >= run.config.max_attempts:
        return await run.fail(ErrorCode.MAX_ATTEMPTS_REACHED, "Too many rejected attempts.", analysis.website_error)
    return None


async def _sso_only(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    """No field to fill, only "Sign in with …": the credential's provider was not among them (or there
    is none), so a person picks one."""
    if not analysis.sso_buttons:
        return await run.fail(ErrorCode.LOGIN_FORM_NOT_FOUND, "No login form was found on the site.")
    if run.request.mode == Mode.UNATTENDED:
        offered = ", ".join(el.text or name for name, el in analysis.sso_buttons)
        return await run.fail(
            ErrorCode.UNSUPPORTED_AUTH_METHOD,
            f"The site signs in only with another provider ({offered}) and the credential names none of them.",
        )
    answer = await ask(run, pauses.for_sso(analysis), "This site signs in with another provider.")
    if isinstance(answer, LoginResult):
        return answer
    chosen = match_sso(analysis, answer)
    if chosen is None:
        return await run.fail(ErrorCode.NAVIGATION_CONFUSED, "The chosen sign-in option is no longer on the page.")
    await run.click(frames, chosen, record=True)
    return None


def match_sso(analysis: Analysis, answer: UserInput) -> Element | None:
    wanted = (answer.choice or "").lower().removeprefix("sso_")
    for name, element in analysis.sso_buttons:
        if answer.sso_button_selector and answer.sso_button_selector == element.selector:
            return element
        if wanted and (wanted == name or wanted in element.text.lower()):
            return element
    return None


async def _ask_fields(
    run: Run, analysis: Analysis, missing: list[tuple[Input, str]], rejected: set[str], frames: list[Frame]
) -> LoginResult | UserInput:
    pause = pauses.for_fields(analysis, missing, rejected)
    if run.request.mode == Mode.UNATTENDED:
        elsewhere = [key for _, key in missing if key in run.request.values and key not in rejected]
        if elsewhere:
            return await run.fail(
                ErrorCode.DOMAIN_NOT_ALLOWED,
                f"The page on {_host(frames, missing[0][0])} asks for {', '.join(elsewhere)}, but the stored "
                f"credential is for {run.policy.credential_domain}: AuthHub types a credential's secrets only on "
                "its own domain.",
            )
        keys = ", ".join(key for _, key in missing)
        return await run.fail(ErrorCode.CREDENTIALS_INVALID, f"The stored credential has no value for: {keys}.",
                              analysis.website_error)
    answer = await ask(run, pause, "Waiting for " + ", ".join(key for _, key in missing))
    if isinstance(answer, LoginResult):
        return answer
    if answer.choice or answer.sso_button_selector:
        chosen = match_sso(analysis, answer)
        if chosen is not None:
            await run.click(frames, chosen, record=True)
            return answer
    run.values.accept(answer, {f.id: f.ref for f in pause.fields})
    return answer


async def ask(run: Run, pause: Pause, message: str) -> LoginResult | UserInput:
    if run.request.mode == Mode.UNATTENDED or run.request.inputs is None:
        return await run.fail(ErrorCode.UNSUPPORTED_AUTH_METHOD, f"This login needs a person: {message.lower()}.")
    await run.emit(FlowStep.AWAITING_INPUT, message, pause=pause, website_error=pause.website_error)
    try:
        answer = await asyncio.wait_for(run.request.inputs(pause), timeout=run.request.input_timeout)
    except TimeoutError:
        return await run.finish(Outcome.EXPIRED, None, "Nobody answered in time.")
    run.loop.answered()
    await run.emit(FlowStep.SUBMITTING, "Continuing with what you entered")
    return answer


def _host(frames: list[Frame], element: Element) -> str:
    return host_of(frames[element.frame].url)
