"""One login in its own browser context: the step loop, and the acting every page handler shares.

A deterministic loop: read the page (``snapshot.read_page``), let the handler for its kind act (fill,
click, choose, or pause for a person; ``handlers``), wait for the page to react, and read again. A
learned plan is replayed first when one exists (``plans``). The login ends SUCCESS only on a verdict
proven on a fresh page (``verdict``).
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
from collections import Counter
from dataclasses import dataclass, field

from playwright.async_api import BrowserContext, Locator, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame as PwFrame

from connections.engine import handlers, waits
from connections.engine.browser import EngineConfig, first_line
from connections.engine.classify import Analysis, Element, Input, PageKind
from connections.engine.egress import EgressListener
from connections.engine.guard import NetworkGuard
from connections.engine.hosts import HostPolicy, host_of, page_path, site_of
from connections.engine.plans import PlanBook, css_text_selector, replay
from connections.engine.recording import Recorder
from connections.engine.snapshot import read_page
from connections.engine.totp_codes import TotpClock
from connections.engine.types import (
    ErrorCode,
    FlowStep,
    LoginRequest,
    LoginResult,
    Outcome,
    PlanAction,
    StepEvent,
)
from connections.engine.typist import Typist
from connections.engine.values import LoginValues
from connections.engine.verdict import Verdict

logger = logging.getLogger(__name__)


class Looping(Exception):
    """The login was about to do the same thing on the same page a third time."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass
class Submission:
    path: str
    kind: PageKind | None
    keys: tuple[str, ...]
    signature: str | None  # the form's signature; None when replayed from a plan (not read)
    url: str
    fields: list[tuple[PwFrame, str, str]] = field(default_factory=list)  # (frame, selector, credential key)
    waited: bool = False  # the page was already given its time to react

    def unanswered_on(self, analysis: Analysis) -> bool:
        """The page is still the form that was submitted, and it has not been waited on yet."""
        if self.signature is None:  # replayed: any form of the kind it filled is still "the form"
            same = analysis.kind in (PageKind.LOGIN, PageKind.IDENTIFIER, PageKind.OTP)
        else:
            same = self.signature == analysis.signature
        return not self.waited and same and self.url == analysis.url


class LoopGuard:
    """The same page after the same action twice is a loop; so is a page seen again and again."""

    MAX_VISITS = 4
    MAX_REPEATS = 2

    def __init__(self) -> None:
        self.visits: Counter[tuple[str, str, str]] = Counter()
        self.actions: Counter[tuple[tuple[str, str, str], str]] = Counter()
        self.page: tuple[str, str, str] = ("", "", "")

    def visit(self, analysis: Analysis) -> bool:
        self.page = (page_path(analysis.url), analysis.kind.value, analysis.signature)
        self.visits[self.page] += 1
        return self.visits[self.page] > self.MAX_VISITS

    def answered(self) -> None:
        """A person answered: the page seen again with their answer is progress, not a loop."""
        self.visits[self.page] = 0

    def act(self, action: str) -> None:
        key = (self.page, action)
        if self.actions[key] >= self.MAX_REPEATS:
            raise Looping(action)
        self.actions[key] += 1


# Errors on the page as a form is submitted are the answer to an earlier attempt: marked, the collector
# no longer reports them unless their text changes (a toast that lingers is not this attempt's answer).
MARK_ERRORS = """() => { for (const [el, text] of (window.__ah && window.__ah.errors) || []) el.setAttribute("data-ah-seen", text); }"""


class Run:
    def __init__(self, config: EngineConfig, request: LoginRequest, context: BrowserContext, egress: EgressListener) -> None:
        self.config = config
        self.request = request
        self.context = context
        self.egress = egress
        self.page: Page | None = None
        self.policy = HostPolicy(request.domain, request.allowed_domains, credential_domain=request.credential_domain)
        self.values = LoginValues(request, self.policy)
        self.guard = NetworkGuard(self.policy, self.values.secrets, egress)
        self.typist = Typist(self.policy, self.guard, request, allow_private=config.network.allow_private)
        self.plans = PlanBook(request.plan)
        self.totp = TotpClock(request, config.totp_min_remaining)
        self.loop = LoopGuard()
        self.last_submit: Submission | None = None
        self.entries_clicked: set[str] = set()
        self.dismissed: set[str] = set()  # cookie walls already answered, by page path
        self.attempts = 0
        self.form_url: str | None = None  # where the first credential was typed
        self.cookies_before: list[dict] | None = None
        self.recorder: Recorder | None = None
        self.steps: list[str] = []
        self.closed = False

    # --- reporting and ending -------------------------------------------------------------------

    async def emit(self, step: FlowStep, message: str = "", **kwargs: object) -> None:
        self.steps.append(step.value)
        screenshot = None
        if self.recorder is not None and self.page is not None:
            screenshot = await self.recorder.screenshot(self.page, step.value)
        event = StepEvent(step=step, message=message, url=self.page.url if self.page else None,
                          screenshot_path=screenshot, **kwargs)  # type: ignore[arg-type]
        logger.info("login %s: %s %s", self.request.domain, step.value, message)
        if self.request.on_step is not None:
            outcome = self.request.on_step(event)
            if inspect.isawaitable(outcome):
                await outcome

    async def succeed(self, verdict: Verdict, message: str) -> LoginResult:
        """SUCCESS, on a verdict proven on a fresh page (``handlers.outcome.conclude``)."""
        assert self.page is not None and verdict.logged_in
        # The page that proved it (the landing reopened, without one-time parameters such as code=).
        result = LoginResult(outcome=Outcome.SUCCESS, post_login_url=verdict.url or self.page.url)
        result.storage_state = await self.context.storage_state(indexed_db=True)  # type: ignore[assignment]
        if self.guard.blocked:  # refused while the landing was read: a login that tried to leak fails
            return await self.blocked()
        result.plan = self.plans.learned(self.request.login_url, result.post_login_url)
        result.typed_values = dict(self.values.typed_values)
        result.fingerprint = verdict.fingerprint
        result.verification = verdict.reason
        return await self._end(result, message)

    async def finish(
        self, outcome: Outcome, code: ErrorCode | None = None, message: str | None = None,
        website_error: str | None = None,
    ) -> LoginResult:
        assert outcome != Outcome.SUCCESS, "SUCCESS only through succeed(), on proof"
        result = LoginResult(outcome=outcome, error_code=code, error_message=message, website_error=website_error)
        return await self._end(result, message or "")

    async def fail(self, code: ErrorCode, message: str, website_error: str | None = None) -> LoginResult:
        return await self.finish(Outcome.FAILED, code, message, website_error)

    async def _end(self, result: LoginResult, message: str) -> LoginResult:
        if self.recorder is not None:
            if self.page is not None:
                await self.recorder.screenshot(self.page, "final")
            result.recording_path = await self.recorder.stop()
            result.screenshots = list(self.recorder.screenshots)
            self.recorder = None
        result.steps = self.steps
        result.typed_hosts = dict(self.typist.typed_hosts)  # every value typed, stored or given: where it went
        code = result.error_code
        await self.emit(FlowStep.COMPLETED, f"{result.outcome.value}{f' ({code.value})' if code else ''}"
                        + (f": {message}" if message and result.outcome == Outcome.SUCCESS else ""))
        return result

    async def blocked(self) -> LoginResult:
        return await self.fail(
            ErrorCode.DOMAIN_NOT_ALLOWED,
            f"AuthHub blocked a request to {self.guard.blocked[0]}: the page tried to send it a secret, or data "
            "while a secret typed on another site was still on the page. The login stopped.",
        )

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.recorder is not None:
            await self.recorder.stop()
        try:
            await self.context.close()
        except PlaywrightError:
            pass
        finally:
            await self.egress.close()

    # --- the loop ---------------------------------------------------------------------------------

    async def execute(self) -> LoginResult:
        # All are round trips to the driver; the routes only have to be in place before the first navigation.
        stored = bool(self.request.values or self.request.totp_secret)
        expected = site_of(self.policy.credential_domain) if stored else None
        _, _, self.page, self.cookies_before = await asyncio.gather(
            self.guard.install(self.context, expected_site=expected), self.context.add_init_script(waits.WATCH),
            self.context.new_page(), self.context.cookies(),
        )
        if self.request.record and self.config.recordings_dir is not None:
            self.recorder = Recorder(self.config.recordings_dir)
            self.typist.mask = True
            await self.recorder.start(self.context, self.page)
        await self.emit(FlowStep.DISCOVERING, "Opening the login page")
        opened = await self._open_start()
        if opened is not None:
            return opened
        try:
            for _ in range(self.config.max_steps):
                if self.guard.blocked:
                    return await self.blocked()
                if problem := self.egress_problem():
                    return await self.fail(*problem)
                if await replay(self):
                    continue
                analysis, frames = await self.read()
                logger.debug("login %s: %s page at %s", self.request.domain, analysis.kind.value, analysis.url)
                if self.loop.visit(analysis):
                    return await self.fail(ErrorCode.STUCK_IN_LOOP, "The login keeps returning to the same page.")
                result = await handlers.handle(self, analysis, frames)
                if result is not None:
                    return result
        except Looping as exc:
            return await self.fail(
                ErrorCode.STUCK_IN_LOOP,
                f"The login is going round in circles: it came back to the same page after {exc.what}, twice.",
            )
        return await self.fail(ErrorCode.STUCK_IN_LOOP, "The login took too many steps.")

    def egress_problem(self) -> tuple[ErrorCode, str] | None:
        """Why the page now showing is the egress guard's answer (403 refused, 502/504 unreachable) or
        Chromium's error page after one, as an error for the login; None when it is the site's page."""
        if self.page is None:
            return None
        host = host_of(self.page.url)
        error_page = self.page.url.startswith("chrome-error://")
        refused = [e for e in self.egress.refused if (host and e.startswith(f"{host}:")) or error_page]
        if refused:
            return ErrorCode.DOMAIN_NOT_ALLOWED, f"AuthHub's network policy refused to reach {refused[-1]}."
        failed = [e for e in self.egress.failed if (host and e.startswith(f"{host}:")) or error_page]
        if failed:
            return ErrorCode.NAVIGATION_CONFUSED, f"Could not open the site: {failed[-1]}."
        return None

    async def _open_start(self) -> LoginResult | None:
        plan = self.request.plan if self.request.use_plan else None
        if self.request.login_url:
            candidates = [self.request.login_url]
        elif plan and plan.login_url:
            candidates = [plan.login_url]
        else:
            domain = self.request.domain
            port = self.config.site_ports.get(domain)
            suffix = f":{port}" if port else ""
            # https only: a bare domain never falls back to plain http, except the local sandbox names.
            candidates = [f"https://{domain}{suffix}/"]
            if self.typist.local_http_ok(domain):
                candidates.append(f"http://{domain}{suffix}/")
        errors = []
        assert self.page is not None
        for url in candidates:
            if not self.policy.allows_url(url):
                return await self.fail(ErrorCode.DOMAIN_NOT_ALLOWED, f"{host_of(url)} is not the connection's domain.")
            try:
                await self.page.goto(url, wait_until="load")
                return None
            except PlaywrightError as exc:
                errors.append(f"{url}: {first_line(exc)}")
                # Let Chromium's error page finish loading, or it interrupts the next attempt.
                try:
                    await self.page.wait_for_url("chrome-error://**", timeout=2000)
                    await self.page.wait_for_load_state("load", timeout=2000)
                except PlaywrightError:
                    pass
        if problem := self.egress_problem():  # the guard refused or could not reach it
            return await self.fail(*problem)
        return await self.fail(ErrorCode.NAVIGATION_CONFUSED, "Could not open the site. " + "; ".join(errors))

    async def read(self) -> tuple[Analysis, list[PwFrame]]:
        assert self.page is not None
        for attempt in range(4):
            try:
                return await read_page(self.page)
            except PlaywrightError:
                # The page navigated while it was being read: read the new one once it has loaded.
                if attempt == 3:
                    raise
                await waits.loaded(self.page)
        raise AssertionError("unreachable")

    async def wait_for_change(self, since: int, timeout: float) -> str:
        """Wait for the page to change after it was read (``since`` is the change count then)."""
        assert self.page is not None
        return await waits.settle(self.page.main_frame, self.page, since, timeout)

    # --- acting -----------------------------------------------------------------------------------

    def record(self, action: PlanAction, frame: PwFrame, path: str | None = None) -> None:
        assert self.page is not None
        self.plans.record(action, frame, self.page, path)

    async def press(self, frame: PwFrame, locator: Locator, *, enter: bool = False) -> None:
        """Click (or press Enter in) ``locator``, then wait for the page to react."""
        assert self.page is not None
        since, document = await waits.mark(frame)
        if enter:
            await locator.press("Enter")
        else:
            await locator.click()
        await waits.settle(frame, self.page, since, self.config.action_timeout, document=document)

    async def fill(
        self, frames: list[PwFrame], element: Input, value: str, key: str, *, stored: bool, record: bool = True
    ) -> None:
        frame = frames[element.frame]
        await self.typist.type(frame, frame.locator(element.selector), value, key, stored=stored)
        if record:
            self.record(PlanAction("fill", element.durable, key=key), frame)

    async def click(self, frames: list[PwFrame], element: Element, *, record: bool) -> None:
        frame = frames[element.frame]
        self.loop.act(f"clicking “{element.text[:60] or element.durable or 'a control'}”")
        if record:
            self.record(PlanAction("click", css_text_selector(element), label=element.text[:80]), frame)
        await self.press(frame, frame.locator(element.selector))

    def note_submission(
        self, path: str, kind: PageKind | None, keys: tuple[str, ...], signature: str | None, url: str, host: str,
        fields: list[tuple[PwFrame, str, str]] | None = None, typed: str = "",
    ) -> None:
        """Remember what is about to be submitted. ``typed`` is a one-time value (a code) already taken
        from the values: each different value is a different action, so only a repeat is a loop."""
        parts = [self.values.value(k, host) or "" for k in keys] + [typed]
        values = "|".join(hashlib.sha256(v.encode()).hexdigest()[:12] for v in parts)
        self.loop.act(f"submitting {', '.join(keys) or 'the form'} ({values})")
        self.values.note_submitted(keys, host)
        self.last_submit = Submission(path, kind, keys, signature, url, fields or [])

    async def mark_errors(self, frame: PwFrame) -> None:
        assert self.page is not None
        for target in dict.fromkeys((self.page.main_frame, frame)):
            try:
                await target.evaluate(MARK_ERRORS)
            except PlaywrightError:
                pass

    async def submit(
        self, analysis: Analysis, frames: list[PwFrame], keys: tuple[str, ...],
        fields: list[tuple[PwFrame, str, str]] | None = None, typed: str = "",
    ) -> None:
        host = host_of(frames[analysis.frame].url)
        self.note_submission(page_path(analysis.url), analysis.kind, keys, analysis.signature, analysis.url, host,
                             fields, typed)
        if analysis.website_error:
            await self.mark_errors(frames[analysis.frame])
        if analysis.submit is not None:
            frame = frames[analysis.submit.frame]
            self.record(PlanAction("click", css_text_selector(analysis.submit), label=analysis.submit.text[:80]), frame)
            await self.press(frame, frame.locator(analysis.submit.selector))
            return
        # No button: press Enter in the last field, as a person would.
        last = analysis.password or (analysis.otp[-1] if analysis.otp else None) or analysis.identifier
        assert last is not None
        frame = frames[last.frame]
        self.record(PlanAction("press", last.durable, label="Enter"), frame)
        await self.press(frame, frame.locator(last.selector), enter=True)

