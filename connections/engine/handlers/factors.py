"""Second factors: one-time codes (from the stored TOTP secret, or asked for), the choice of a method,
and approvals on another device."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from playwright.async_api import Frame

from connections.engine import pauses
from connections.engine.classify import Analysis, PageKind
from connections.engine.handlers.credentials import ask
from connections.engine.hosts import host_of, page_path
from connections.engine.plans import css_text_selector
from connections.engine.types import ErrorCode, FlowStep, LoginResult, Mode, Outcome, PlanAction

if TYPE_CHECKING:
    from connections.engine.run import Run


async def otp(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    last = run.last_submit
    rejected = bool(last and last.kind == PageKind.OTP and analysis.website_error and last.path == page_path(analysis.url))
    secret = run.request.totp_secret
    if secret and not run.policy.may_type_stored("totp_code", host_of(frames[analysis.frame].url)):
        secret = None  # the TOTP secret is the credential's: its codes go only to its own domain
    if secret and not analysis.otp_delivered:
        if rejected:
            run.totp.rejections += 1
            run.last_submit = None
            if run.totp.rejections >= 2:
                if run.request.mode == Mode.UNATTENDED:
                    return await run.fail(ErrorCode.CREDENTIALS_INVALID, "The site rejected the TOTP codes.", analysis.website_error)
                secret = None  # ask a person for a code instead
        if secret:
            # One retry with the next window's code is the only repeat allowed on this page.
            code = await run.totp.code(fresh=rejected)
            await run.emit(FlowStep.SUBMITTING, "Entering the authenticator code")
            await _fill_code(run, frames, analysis, code, plan_kind="totp", stored=True)
            await run.submit(analysis, frames, ("totp_code",), typed=code)
            return None
    if rejected:
        run.values.given.pop("code", None)
        run.last_submit = None
    key = "code" if analysis.otp_delivered or not secret else "totp_code"
    if run.values.value(key) is None:
        run.record(PlanAction("input", "", key=key), frames[analysis.frame])
        answer = await ask(run, pauses.for_code(analysis, key, rejected=rejected), "Waiting for the verification code")
        if isinstance(answer, LoginResult):
            return answer
        run.values.accept(answer, {f"fld_{key}": key}, one_time=True)
        return None
    code = run.values.given.pop(key)
    await _fill_code(run, frames, analysis, code, plan_kind=None, stored=False)
    await run.submit(analysis, frames, (key,), typed=code)
    return None


async def _fill_code(run: Run, frames: list[Frame], analysis: Analysis, code: str, plan_kind: str | None, *, stored: bool) -> None:
    frame = frames[analysis.frame]
    key = "totp_code" if stored else "code"
    if len(analysis.otp) > 1:
        for element, digit in zip(analysis.otp, code, strict=False):
            await run.fill(frames, element, digit, key, stored=stored, record=False)
    else:
        await run.fill(frames, analysis.otp[0], code, key, stored=stored, record=False)
    if plan_kind:
        run.record(PlanAction(plan_kind, analysis.otp[0].durable or "", key="totp_code"), frame)


async def mfa_choice(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    options = analysis.mfa_options
    chosen = None
    if run.request.totp_secret:
        chosen = next((o for o in options if o[0] == "totp"), None)
    if chosen is None:
        answer = await ask(run, pauses.for_mfa(options), "Waiting for a verification method")
        if isinstance(answer, LoginResult):
            return answer
        wanted = (answer.choice or "").removeprefix("mfa_")
        chosen = next((o for o in options if o[0] == wanted), None)
        if chosen is None:
            return await run.fail(ErrorCode.NAVIGATION_CONFUSED, "The chosen method is not offered on the page.")
    mfa_type, label, element = chosen
    await run.emit(FlowStep.SUBMITTING, f"Choosing “{label}”")
    if element.data.get("type") == "radio" or element.data.get("role") == "radio":
        await frames[element.frame].locator(element.selector).check()
        run.record(PlanAction("check", css_text_selector(element), label=mfa_type), frames[element.frame])
        if analysis.submit is not None:
            await run.click(frames, analysis.submit, record=True)
            return None
    await run.click(frames, element, record=True)
    return None


async def external_action(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    message = analysis.message or "Approve the sign-in on your device."
    if run.request.mode == Mode.UNATTENDED:
        return await run.fail(ErrorCode.UNSUPPORTED_AUTH_METHOD, f"This login needs a person: {message}")
    await run.emit(FlowStep.AWAITING_EXTERNAL_ACTION, message, external_action_message=message)
    assert run.page is not None
    run.record(PlanAction("input", "", key="external_action"), run.page.main_frame)
    deadline = time.monotonic() + run.request.external_action_timeout
    signature, since = analysis.signature, analysis.mutations
    while time.monotonic() < deadline:
        outcome = await run.wait_for_change(since, min(30.0, deadline - time.monotonic()))
        if outcome != "timeout":
            fresh, _ = await run.read()
            if fresh.signature != signature or fresh.kind != PageKind.PUSH:
                await run.emit(FlowStep.SUBMITTING, "Approved")
                return None
            since = fresh.mutations
    return await run.finish(Outcome.EXPIRED, None, "The sign-in was not approved in time.")
