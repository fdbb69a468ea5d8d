"""Learned plans: what worked on a site, recorded as it happens and replayed on the next login.

Replay is optimistic: each recorded action must find its element quickly; as soon as anything differs,
discovery takes over on the same page (``replay`` returns False), so a site that changed never fails
a login just because its plan is stale.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from connections.engine.browser import first_line
from connections.engine.classify import Element
from connections.engine.hosts import host_of, page_path
from connections.engine.types import FlowStep, LoginPlan, PlanAction, PlanPage

if TYPE_CHECKING:
    from connections.engine.run import Run

logger = logging.getLogger(__name__)
REPLAYABLE = ("fill", "click", "check", "totp", "press", "choose")


def css_text_selector(element: Element) -> str:
    if element.durable:
        return element.durable
    text = (element.data.get("first") or element.text or "").replace('"', '\\"')
    if not text:
        return ""
    tag = element.data.get("tag", "*")
    role = element.data.get("role")
    base = f'[role="{role}"]' if role and tag in ("div", "span", "li") else tag
    return f'{base}:text-is("{text}")'


class PlanBook:
    """The actions of this login, page by page, as they will be stored."""

    def __init__(self, previous: LoginPlan | None) -> None:
        self.previous = previous
        self.pages: list[PlanPage] = []
        self.first_action_url: str | None = None
        self.replayed: set[str] = set()

    def record(self, action: PlanAction, frame: Frame, page: Page, path: str | None = None) -> None:
        action.frame_host = host_of(frame.url) if frame is not page.main_frame else None
        if path is None:
            path = page_path(page.url)
            if self.first_action_url is None:
                self.first_action_url = page.url
        if not self.pages or self.pages[-1].path != path:
            self.pages.append(PlanPage(path))
        self.pages[-1].actions.append(action)

    def learned(self, login_url: str | None, post_login_url: str | None) -> LoginPlan:
        previous = self.previous or LoginPlan()
        return LoginPlan(
            login_url=login_url or self.first_action_url or previous.login_url,
            pages=self.pages or previous.pages,
            post_login_url=post_login_url,
            successes=previous.successes + 1,
        )

    def remembered_choice(self, url: str) -> str | None:
        page = self.previous.page_for(page_path(url)) if self.previous else None
        return next((a.label for a in (page.actions if page else []) if a.kind == "choose"), None)


async def replay(run: Run) -> bool:
    """Replay the learned actions for this page. False (and discovery) as soon as anything differs."""
    plan = run.request.plan if run.request.use_plan else None
    page = run.page
    if not plan or page is None:
        return False
    book = run.plans
    path = page_path(page.url)
    learned = plan.page_for(path)
    if learned is None or path in book.replayed or any(a.kind == "input" for a in learned.actions):
        return False
    book.replayed.add(path)
    steps = [a for a in learned.actions if a.kind in REPLAYABLE]
    if not steps or any(a.kind == "fill" and (not a.selector or run.values.value(a.key or "") is None) for a in steps):
        return False
    replayed: list[tuple[PlanAction, Frame]] = []
    start_url = page.url
    try:
        keys: list[str] = []
        typed = ""  # a one-time code typed on this page
        for action in steps:
            frame = await _frame_for(run, action)
            if not run.policy.allows_url(frame.url):
                return False
            locator = frame.locator(action.selector).first
            await locator.wait_for(state="visible", timeout=run.config.replay_timeout * 1000)
            replayed.append((PlanAction(action.kind, action.selector, action.key, action.label), frame))
            if action.kind == "fill":
                if not keys:
                    await run.emit(FlowStep.SUBMITTING, "Signing in")
                key = action.key or ""
                value = run.values.value(key, host_of(frame.url))
                if value is None:
                    return False  # not a value for this host: let discovery decide what to ask
                if run.values.resubmits([key], host_of(frame.url)):
                    return False  # sent once already: discovery decides (it never sends it twice)
                await run.typist.type(frame, locator, value, key, stored=run.values.is_stored(key))
                keys.append(key)
            elif action.kind == "totp":
                code = await run.totp.code(fresh=False)
                await run.typist.type(frame, locator, code, "totp_code", stored=True)
                keys.append("totp_code")
                typed = code
            elif action.kind == "check":
                await locator.check()
            else:
                if keys:  # not read, so no signature: the next read waits for the page to react
                    run.note_submission(path, None, tuple(keys), None, page.url, host_of(frame.url), typed=typed)
                await run.press(frame, locator, enter=action.kind == "press")
        # Kept under the page they were replayed on (a click may have left it).
        book.first_action_url = book.first_action_url or start_url
        for action, action_frame in replayed:
            book.record(action, action_frame, page, path=path)
        return True
    except PlaywrightError as exc:
        logger.info("login %s: the learned plan no longer fits %s (%s); discovering", run.request.domain, path,
                    first_line(exc, 200))
        return False


async def _frame_for(run: Run, action: PlanAction) -> Frame:
    page = run.page
    assert page is not None
    if not action.frame_host:
        return page.main_frame
    deadline = time.monotonic() + run.config.replay_timeout
    while True:
        for frame in page.frames:
            if host_of(frame.url) == action.frame_host:
                return frame
        if time.monotonic() > deadline:
            raise PlaywrightError(f"no frame on {action.frame_host}")
        await page.wait_for_event("frameattached", timeout=run.config.replay_timeout * 1000)
