"""Pages that ask for a click: consent and "stay signed in", interstitials, cookie walls, account
pickers, and the "Sign in" entry point of a site's home page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.async_api import Frame

from connections.engine import pauses
from connections.engine.classify import Analysis
from connections.engine.handlers.credentials import ask
from connections.engine.hosts import page_path
from connections.engine.plans import css_text_selector
from connections.engine.types import ErrorCode, FlowStep, LoginResult, PlanAction

if TYPE_CHECKING:
    from connections.engine.run import Run


async def click_primary(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    """OAuth consent (Allow), "Stay signed in?" (Yes), an interstitial nag (Not now / Skip): the choice
    that keeps the session and skips enrolment, as the classifier picked it. Recorded in the plan."""
    assert analysis.primary is not None
    await run.emit(FlowStep.SUBMITTING, f"Choosing “{analysis.primary.text[:60]}”")
    await run.click(frames, analysis.primary, record=True)
    return None


async def consent_wall(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None | bool:
    """A cookie banner that blocks the page is answered first (necessary-only where offered). False when
    there is none, or it was answered on this page already."""
    button = analysis.consent
    path = page_path(analysis.url)
    if button is None or path in run.dismissed:
        return False
    run.dismissed.add(path)
    await run.emit(FlowStep.DISCOVERING, f"Answering the cookie banner: “{button.text[:60]}”")
    await run.click(frames, button, record=True)
    return None


async def entry(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    assert analysis.primary is not None
    label = analysis.primary.text or analysis.primary.describe()
    if label in run.entries_clicked:
        return await run.fail(ErrorCode.LOGIN_FORM_NOT_FOUND, "No login form was found on the site.")
    run.entries_clicked.add(label)
    opens_menu = analysis.primary_opens_menu
    await run.emit(FlowStep.DISCOVERING, f"Opening the menu “{label}”" if opens_menu else f"Opening “{label}”")
    await run.click(frames, analysis.primary, record=True)
    return None


async def account_picker(run: Run, analysis: Analysis, frames: list[Frame]) -> LoginResult | None:
    options = analysis.accounts
    remembered = run.plans.remembered_choice(analysis.url) if run.request.use_plan else None
    chosen = next((o for o in options if remembered and o[0] == remembered), None)
    if chosen is None:
        ids = {f"acct_{i}": option for i, option in enumerate(options)}
        answer = await ask(run, pauses.for_accounts(ids), "Waiting for an account choice")
        if isinstance(answer, LoginResult):
            return answer
        chosen = ids.get(answer.choice or "") or next((o for o in options if o[0] == answer.choice), None)
        if chosen is None:
            return await run.fail(ErrorCode.NAVIGATION_CONFUSED, "The chosen account is not offered on the page.")
    label, _, element = chosen
    await run.emit(FlowStep.SUBMITTING, f"Choosing “{label}”")
    run.record(PlanAction("choose", css_text_selector(element), label=label), frames[element.frame])
    await run.click(frames, element, record=False)
    return None
