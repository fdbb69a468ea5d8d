"""The login engine: drives one login in its own browser context until it is logged in.

A deterministic loop: read the page (``snapshot.read_page``), decide from what kind of page it is,
act (fill, click, choose, or pause for a person), wait for the page to react, and read again. A learned
plan is replayed first when one exists; discovery takes over as soon as the page differs from it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Locator, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame as PwFrame

from authhub.netpolicy import DEVELOPMENT as DEVELOPMENT_NETWORK
from authhub.netpolicy import NetworkPolicy, is_localhost_name
from connections.engine import classify
from connections.engine.classify import Analysis, Element, Input, PageKind, Role
from connections.engine.egress import EgressGuard, EgressListener
from connections.engine.guard import NetworkGuard
from connections.engine.hosts import IDENTIFIER_KEYS, HostPolicy, host_of, site_of
from connections.engine.recording import Recorder
from connections.engine.snapshot import read_page
from connections.engine.types import (
    Choice,
    DiscoveredField,
    ErrorCode,
    Field,
    FlowStep,
    LoginPlan,
    LoginRequest,
    LoginResult,
    MfaOption,
    Mode,
    Outcome,
    Pause,
    PlanAction,
    PlanPage,
    SignInOption,
    SsoButton,
    StepEvent,
    UserInput,
)
from credentials import totp

logger = logging.getLogger(__name__)

# Chromium here has no network but the sites it logs into: no background traffic, no component updates.
BASE_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
    "--password-store=basic",
    # WebRTC may not open UDP paths around the proxy (the egress guard): no leaks of the host's addresses.
    # Chromium 156 reads only --webrtc-ip-handling-policy (tested); the older "force" name is kept for
    # older builds.
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)

# Waits inside the page after an action, in milliseconds: a change must be followed by this much quiet.
QUIET_MS = 40
BUSY_MS = 1500
WAIT_FOR_CHANGE = """
([since, quiet, busy, timeout]) => new Promise((resolve) => {
  const s = window.__ah;
  if (!s) { resolve("none"); return; }
  const t0 = performance.now();
  let first = null;
  const tick = () => {
    const now = performance.now();
    if (s.count !== since) {
      first = first ?? now;
      if (now - s.last >= quiet) { resolve("changed"); return; }
      if (now - first >= busy) { resolve("busy"); return; }
    }
    if (now - t0 >= timeout) { resolve("timeout"); return; }
    setTimeout(tick, 10);
  };
  tick();
})
"""
MUTATIONS = "() => (window.__ah ? window.__ah.count : -1)"
PIN = "(el, pin) => { el.setAttribute('data-authhub-pin', pin); return el.ownerDocument.location.href; }"
PINNED_FILL_MS = 3000  # the marked element exists already: waiting longer only hides a swapped document
MASK = """el => { el.setAttribute('data-authhub-masked', '');
  el.style.setProperty('-webkit-text-security', 'disc', 'important'); }"""


@dataclass
class EngineConfig:
    executable_path: str = "/usr/bin/chromium"
    headless: bool = True
    extra_args: tuple[str, ...] = ()
    # Tests serve sandbox sites on one port; discovery from a bare domain uses it (host -> port).
    site_ports: dict[str, int] = field(default_factory=dict)
    recordings_dir: Path | None = None
    navigation_timeout: float = 20.0
    action_timeout: float = 10.0
    replay_timeout: float = 2.0
    max_steps: int = 40
    max_attempts: int = 5
    totp_min_remaining: float = 5.0
    # Which addresses the browser may reach, enforced by the egress guard every context goes through.
    network: NetworkPolicy = field(default_factory=lambda: DEVELOPMENT_NETWORK)
    # host -> IP the egress guard uses instead of DNS (like /etc/hosts: tests, split-horizon set-ups).
    static_hosts: dict[str, str] = field(default_factory=dict)


class BrowserHost:
    """One Chromium for many logins (one context each)."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self._playwright: Playwright | None = None
        self.browser: Browser | None = None

    async def start(self) -> Browser:
        self._playwright = await async_playwright().start()
        self.browser = await self._playwright.chromium.launch(
            executable_path=self.config.executable_path,
            headless=self.config.headless,
            args=[*BASE_ARGS, *self.config.extra_args],
        )
        return self.browser

    async def stop(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
        self.browser = self._playwright = None

    async def __aenter__(self) -> BrowserHost:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


class LoginEngine:
    def __init__(self, browser: Browser, config: EngineConfig | None = None) -> None:
        self.browser = browser
        self.config = config or EngineConfig()
        self.egress = EgressGuard(self.config.network, static_hosts=self.config.static_hosts)

    async def login(self, request: LoginRequest) -> LoginResult:
        # Every byte the context sends leaves through the egress guard (which chains to the connection's
        # proxy, if any): names are resolved and checked there, and Chromium never resolves them itself.
        egress = await self.egress.open(upstream=request.proxy)
        try:
            context = await self.browser.new_context(
                storage_state=request.storage_state,  # type: ignore[arg-type]
                proxy=egress.playwright_proxy(),  # type: ignore[arg-type]
                viewport={"width": 1280, "height": 800},
                service_workers="block",
            )
        except BaseException:
            await egress.close()
            raise
        context.set_default_timeout(self.config.action_timeout * 1000)
        context.set_default_navigation_timeout(self.config.navigation_timeout * 1000)
        run = _Run(self.config, request, context, egress)
        try:
            return await run.execute()
        except _Refused as exc:
            why = exc.reason or f"{host_of(exc.url)} is not one of the connection's domains"
            return await run.fail(
                ErrorCode.DOMAIN_NOT_ALLOWED, f"AuthHub refused to type into {host_of(exc.url)}: {why}. Nothing was typed there."
            )
        except PlaywrightError as exc:
            logger.warning("login to %s: browser error: %s", request.domain, _first_line(exc))
            return await run.finish(Outcome.FAILED, ErrorCode.BROWSER_ERROR, f"Browser error: {_first_line(exc)}")
        finally:
            await run.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path or '/'}"


def _css_text_selector(element: Element) -> str:
    if element.durable:
        return element.durable
    text = (element.data.get("first") or element.text or "").replace('"', '\\"')
    if not text:
        return ""
    tag = element.data.get("tag", "*")
    role = element.data.get("role")
    base = f'[role="{role}"]' if role and tag in ("div", "span", "li") else tag
    return f'{base}:text-is("{text}")'


@dataclass
class _Submission:
    path: str
    kind: PageKind | None
    keys: tuple[str, ...]
    signature: str
    url: str
    fields: list[tuple[PwFrame, str, str]] = field(default_factory=list)  # (frame, selector, credential key)


class _Run:
    def __init__(self, config: EngineConfig, request: LoginRequest, context: BrowserContext, egress: EgressListener) -> None:
        self.config = config
        self.request = request
        self.context = context
        self.egress = egress
        self.page: Page | None = None
        self.policy = HostPolicy(request.domain, request.allowed_domains, credential_domain=request.credential_domain)
        self.user_values: dict[str, str] = {}
        self.typed_values: dict[str, str] = {}
        self.typed_hosts: dict[str, str] = {}  # credential key -> the host it was typed on
        self.rejected: dict[str, str] = {}  # credential key -> the value the site refused
        self.last_submit: _Submission | None = None
        self.totp_counters: set[int] = set()
        self.totp_rejections = 0
        self.visits: Counter[tuple[str, str, str]] = Counter()
        self.entries_clicked: set[str] = set()
        self.plan_pages: list[PlanPage] = []
        self.first_action_url: str | None = None
        self.replayed: set[str] = set()
        self.typed_anything = False
        self.attempts = 0
        self.steps: list[str] = []
        self.guard = NetworkGuard(self.policy, self._secrets, egress)
        self.recorder: Recorder | None = None
        self.closed = False

    # --- plumbing ---------------------------------------------------------------------------------

    def _secrets(self) -> list[str]:
        stored = (*self.request.values.values(), self.request.totp_secret or "")
        return [v for v in (*stored, *self.user_values.values()) if v and len(v) >= 4]

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

    async def finish(
        self, outcome: Outcome, code: ErrorCode | None = None, message: str | None = None,
        website_error: str | None = None,
    ) -> LoginResult:
        result = LoginResult(outcome=outcome, error_code=code, error_message=message, website_error=website_error)
        if outcome == Outcome.SUCCESS and self.page is not None:
            result.post_login_url = self.page.url
            result.storage_state = await self.context.storage_state(indexed_db=True)  # type: ignore[assignment]
            if self.guard.blocked:  # refused while the landing was read: a login that tried to leak fails
                return await self._blocked()
            result.plan = self._learned_plan(result.post_login_url)
            result.typed_values = dict(self.typed_values)
        if self.recorder is not None:
            if self.page is not None:
                await self.recorder.screenshot(self.page, "final")
            result.recording_path = await self.recorder.stop()
            result.screenshots = list(self.recorder.screenshots)
            self.recorder = None
        result.steps = self.steps
        result.typed_hosts = dict(self.typed_hosts)  # every value typed, stored or given: where it went
        await self.emit(FlowStep.COMPLETED, f"{outcome.value}{f' ({code.value})' if code else ''}")
        return result

    async def fail(self, code: ErrorCode, message: str, website_error: str | None = None) -> LoginResult:
        return await self.finish(Outcome.FAILED, code, message, website_error)

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
        # Both are round trips to the driver; the routes only have to be in place before the first navigation.
        stored = bool(self.request.values or self.request.totp_secret)
        expected = site_of(self.policy.credential_domain) if stored else None
        _, self.page = await asyncio.gather(self.guard.install(self.context, expected_site=expected), self.context.new_page())
        if self.request.record and self.config.recordings_dir is not None:
            self.recorder = Recorder(self.config.recordings_dir)
            await self.recorder.start(self.context, self.page)
        await self.emit(FlowStep.DISCOVERING, "Opening the login page")
        opened = await self._open_start()
        if opened is not None:
            return opened

        for _ in range(self.config.max_steps):
            if self.guard.blocked:
                return await self._blocked()
            if problem := self._egress_problem():
                return await self.fail(*problem)
            if await self._replay_plan():
                continue
            analysis, frames = await self._read()
            logger.debug("login %s: %s page at %s", self.request.domain, analysis.kind.value, analysis.url)
            key = (_path(analysis.url), analysis.kind.value, analysis.signature)
            self.visits[key] += 1
            if self.visits[key] > 4:
                return await self.fail(ErrorCode.STUCK_IN_LOOP, "The login keeps returning to the same page.")
            result = await self._handle(analysis, frames)
            if result is not None:
                return result
        return await self.fail(ErrorCode.STUCK_IN_LOOP, "The login took too many steps.")

    def _egress_problem(self) -> tuple[ErrorCode, str] | None:
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

    async def _blocked(self) -> LoginResult:
        return await self.fail(
            ErrorCode.DOMAIN_NOT_ALLOWED,
            f"AuthHub blocked a request to {self.guard.blocked[0]}: the page tried to send it a secret, or data "
            "while a secret typed on another site was still on the page. The login stopped.",
        )

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
            if self._local_http_ok(domain):
                candidates.append(f"http://{domain}{suffix}/")
        errors = []
        for url in candidates:
            if not self.policy.allows_url(url):
                return await self.fail(ErrorCode.DOMAIN_NOT_ALLOWED, f"{host_of(url)} is not the connection's domain.")
            try:
                await self.page.goto(url, wait_until="load")  # type: ignore[union-attr]
                return None
            except PlaywrightError as exc:
                errors.append(f"{url}: {_first_line(exc)}")
                # Let Chromium's error page finish loading, or it interrupts the next attempt.
                try:
                    await self.page.wait_for_url("chrome-error://**", timeout=2000)  # type: ignore[union-attr]
                    await self.page.wait_for_load_state("load", timeout=2000)  # type: ignore[union-attr]
                except PlaywrightError:
                    pass
        if problem := self._egress_problem():  # the guard refused or could not reach it
            return await self.fail(*problem)
        return await self.fail(ErrorCode.NAVIGATION_CONFUSED, "Could not open the site. " + "; ".join(errors))

    async def _read(self) -> tuple[Analysis, list[PwFrame]]:
        assert self.page is not None
        for attempt in range(4):
            try:
                return await read_page(self.page)
            except PlaywrightError:
                # The page navigated while it was being read: read the new one once it has loaded.
                if attempt == 3:
                    raise
                await self._loaded()
        raise AssertionError("unreachable")

    async def _loaded(self) -> None:
        assert self.page is not None
        try:
            await self.page.wait_for_load_state("domcontentloaded")
        except PlaywrightError:
            pass

    async def _mutations(self, frame: PwFrame) -> int:
        try:
            return int(await frame.evaluate(MUTATIONS))
        except PlaywrightError:
            return -1

    async def _settle(self, frame: PwFrame, since: int, timeout: float | None = None) -> str:
        """Wait for the page to react to an action: a navigation, or DOM changes followed by quiet."""
        limit = int((timeout or self.config.action_timeout) * 1000)
        try:
            outcome = await frame.evaluate(WAIT_FOR_CHANGE, [since, QUIET_MS, BUSY_MS, limit])
        except PlaywrightError:
            outcome = "navigated"
        await self._loaded()
        return str(outcome)

    async def _wait_for_change(self, since: int, timeout: float) -> str:
        """Wait for the page to change after it was read (``since`` is the change count then)."""
        assert self.page is not None
        return await self._settle(self.page.main_frame, since, timeout)

    # --- deciding ---------------------------------------------------------------------------------

    async def _handle(self, analysis: Analysis, frames: list[PwFrame]) -> LoginResult | None:
        kind = analysis.kind
        pending = self.last_submit is not None and self.last_submit.signature == analysis.signature and (
            self.last_submit.url == analysis.url
        )
        if pending and not analysis.website_error and kind not in (PageKind.LOGGED_IN,):
            invalid = await self._invalid_field()
            if invalid is not None:
                # The browser refused to submit (HTML validation): the value does not fit the field.
                key, message = invalid
                analysis.website_error = message
                self.last_submit.keys = (key,)  # type: ignore[union-attr]
                self.last_submit.signature = ""  # type: ignore[union-attr]
                return await self._credentials(analysis, frames)
            # We submitted and the page has not reacted yet (slow server, single-page app): wait, never resubmit.
            if self.guard.blocked:
                return await self._blocked()
            if await self._wait_for_change(analysis.mutations, self.config.action_timeout) == "timeout":
                if self.guard.blocked:
                    return await self._blocked()
                return await self.fail(ErrorCode.STUCK_IN_LOOP, "The site did not react to the submitted form.")
            self.last_submit.signature = ""  # type: ignore[union-attr]
            return None

        if self.guard.blocked:
            return await self._blocked()
        if kind == PageKind.LOGGED_IN:
            return await self.finish(Outcome.SUCCESS, message="Logged in" if self.typed_anything else "Already logged in")
        if kind == PageKind.CAPTCHA:
            return await self.fail(ErrorCode.CAPTCHA_BLOCKED, "The site asks to solve a CAPTCHA, which AuthHub does not do.")
        if kind == PageKind.PASSKEY:
            return await self.fail(
                ErrorCode.UNSUPPORTED_AUTH_METHOD, "This site offers only passkey or security-key sign-in."
            )
        if kind == PageKind.PUSH:
            return await self._external_action(analysis)
        if kind in (PageKind.CONSENT, PageKind.STAY_SIGNED_IN):
            assert analysis.primary is not None
            await self._click(frames, analysis.primary, record=True)
            return None
        if kind == PageKind.MFA_CHOICE:
            return await self._mfa_choice(analysis, frames)
        if kind == PageKind.ACCOUNT_PICKER:
            return await self._account_picker(analysis, frames)
        if kind == PageKind.OTP:
            return await self._otp(analysis, frames)
        if kind in (PageKind.LOGIN, PageKind.IDENTIFIER):
            return await self._credentials(analysis, frames)
        if kind == PageKind.ENTRY:
            assert analysis.primary is not None
            label = analysis.primary.text
            if label in self.entries_clicked:
                return await self.fail(ErrorCode.LOGIN_FORM_NOT_FOUND, "No login form was found on the site.")
            self.entries_clicked.add(label)
            await self.emit(FlowStep.DISCOVERING, f"Opening “{label}”")
            await self._click(frames, analysis.primary, record=True)
            return None
        # UNKNOWN: a page still rendering, or one without anything to do.
        if await self._wait_for_change(analysis.mutations, 4.0) in ("changed", "busy", "navigated"):
            return None
        if self.typed_anything and not analysis.website_error:
            return await self.finish(Outcome.SUCCESS, message="Logged in (no login form left)")
        if analysis.website_error:
            return await self.fail(ErrorCode.WEBSITE_ERROR, "The site showed an error.", analysis.website_error)
        return await self.fail(ErrorCode.LOGIN_FORM_NOT_FOUND, "No login form was found on the site.")

    async def _invalid_field(self) -> tuple[str, str] | None:
        for frame, selector, key in self.last_submit.fields if self.last_submit else []:
            try:
                message = await frame.locator(selector).evaluate("el => el.validationMessage || ''", timeout=1000)
            except PlaywrightError:
                continue
            if message:
                return key, str(message)
        return None

    # --- credentials ------------------------------------------------------------------------------

    def _value(self, key: str, host: str | None = None) -> str | None:
        """The value to type for ``key`` on ``host``: what the person gave, else the stored credential's
        — only where it belongs (``HostPolicy.may_type_stored``) — and never one the site rejected."""
        value = self.user_values.get(key)
        if value is None and (host is None or self.policy.may_type_stored(key, host)):
            value = self.request.values.get(key)
        if value is None or self.rejected.get(key) == value:
            return None
        return value

    def _local_http_ok(self, host: str) -> bool:
        return is_localhost_name(host) and self.config.network.allow_private

    def _identifier_key(self, element: Input) -> str:
        have = {k for k in ("email", "username") if self._value(k) or self.request.values.get(k)}
        words = element.words()
        if element.role == Role.EMAIL or words & classify.EMAIL_WORDS:
            order = ("email", "username")
        elif element.role == Role.USERNAME:
            order = ("username", "email")
        else:
            order = ("username", "email")
        for key in order:
            if key in have:
                return key
        return order[0]

    def _extra_key(self, element: Input, used: set[str]) -> str:
        words = element.words()
        for key in self.request.values:
            if key in used:
                continue
            key_words = classify.tokens(key)
            if key_words and key_words <= words | {k.replace("_", "") for k in words}:
                return key
        label = element.describe() or element.data.get("name") or "value"
        return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "value"

    async def _credentials(self, analysis: Analysis, frames: list[PwFrame]) -> LoginResult | None:
        provider = (self.request.sso_provider or "").lower()
        if provider:
            match = next((el for name, el in analysis.sso_buttons if name == provider or provider in el.text.lower()), None)
            if match is not None:
                await self.emit(FlowStep.SUBMITTING, f"Continuing with {provider}")
                await self._click(frames, match, record=True)
                return None

        plan_fields: list[tuple[Input, str]] = []
        if analysis.identifier is not None:
            plan_fields.append((analysis.identifier, self._identifier_key(analysis.identifier)))
        if analysis.password is not None:
            plan_fields.append((analysis.password, "password"))
        used = {key for _, key in plan_fields}
        for element in analysis.extra:
            key = self._extra_key(element, used)
            used.add(key)
            plan_fields.append((element, key))
        if not plan_fields:
            return await self._ask_sso_only(analysis, frames)

        # The same form again, now with the site's error: what we sent was refused.
        rejected_keys: set[str] = set()
        last = self.last_submit
        if last is not None and analysis.website_error and last.kind in (analysis.kind, None) and last.path == _path(analysis.url):
            rejected_keys = {"password"} if "password" in last.keys else set(last.keys)
            for key in rejected_keys:
                value = self.user_values.get(key) or self.request.values.get(key)
                if value is not None:
                    self.rejected[key] = value
                self.user_values.pop(key, None)
            self.last_submit = None
            self.attempts += 1
            if self.request.mode == Mode.UNATTENDED:
                return await self.fail(
                    ErrorCode.CREDENTIALS_INVALID, "The site rejected the stored credentials.", analysis.website_error
                )
            if self.attempts >= self.config.max_attempts:
                return await self.fail(ErrorCode.MAX_ATTEMPTS_REACHED, "Too many rejected attempts.", analysis.website_error)

        frame = frames[analysis.frame]
        if not self.policy.allows_url(frame.url):
            return await self.fail(ErrorCode.DOMAIN_NOT_ALLOWED, f"The login form is on {host_of(frame.url)}, which is not allowed.")
        missing = [
            (element, key) for element, key in plan_fields
            if self._value(key, self._host(frames, element)) is None and element.data.get("empty", True)
        ]
        if missing:
            answer = await self._ask_fields(analysis, missing, rejected_keys, frames)
            if isinstance(answer, LoginResult):
                return answer
            return None  # read the page again and fill with what the person gave

        if analysis.form_action and not analysis.form_action.startswith(("javascript:", "about:")) and not self.policy.allows_url(analysis.form_action):
            return await self.fail(
                ErrorCode.DOMAIN_NOT_ALLOWED,
                f"The login form sends to {host_of(analysis.form_action)}, which is not an allowed domain; "
                "AuthHub did not type anything.",
            )

        action = analysis.form_action or ""
        if action.startswith("http://") and not self._http_ok(host_of(action)):
            return await self.fail(
                ErrorCode.DOMAIN_NOT_ALLOWED,
                f"The login form sends to plain http on {host_of(action)}, where anyone on the path could read it; "
                "AuthHub did not type anything.",
            )
        await self.emit(FlowStep.SUBMITTING, "Signing in")
        for element, key in plan_fields:
            value = self._value(key, self._host(frames, element))
            if value is None:
                continue
            await self._fill(frames, element, value, key, stored=key not in self.user_values)
        if analysis.remember is not None and not analysis.remember.data.get("checked"):
            locator = frames[analysis.remember.frame].locator(analysis.remember.selector)
            try:
                await locator.check(timeout=2000)
                self._record(PlanAction("check", _css_text_selector(analysis.remember)), frames[analysis.remember.frame])
            except PlaywrightError:
                pass
        await self._submit(
            analysis, frames, tuple(key for _, key in plan_fields),
            [(frames[el.frame], el.selector, key) for el, key in plan_fields],
        )
        return None

    async def _ask_sso_only(self, analysis: Analysis, frames: list[PwFrame]) -> LoginResult | None:
        if not analysis.sso_buttons:
            return await self.fail(ErrorCode.LOGIN_FORM_NOT_FOUND, "No login form was found on the site.")
        pause = Pause(
            Pause.new_id(),
            choices=[Choice(f"sso_{name}", el.text, "sso_provider", observed_selector=el.selector) for name, el in analysis.sso_buttons],
            pending_sso_buttons=[SsoButton(name, el.text, el.selector) for name, el in analysis.sso_buttons],
        )
        answer = await self._ask(pause, "This site signs in with another provider.")
        if isinstance(answer, LoginResult):
            return answer
        chosen = self._match_sso(analysis, answer)
        if chosen is None:
            return await self.fail(ErrorCode.NAVIGATION_CONFUSED, "The chosen sign-in option is no longer on the page.")
        await self._click(frames, chosen, record=True)
        return None

    def _match_sso(self, analysis: Analysis, answer: UserInput) -> Element | None:
        wanted = (answer.choice or "").lower().removeprefix("sso_")
        for name, element in analysis.sso_buttons:
            if answer.sso_button_selector and answer.sso_button_selector == element.selector:
                return element
            if wanted and (wanted == name or wanted in element.text.lower()):
                return element
        return None

    async def _ask_fields(
        self, analysis: Analysis, missing: list[tuple[Input, str]], rejected: set[str], frames: list[PwFrame]
    ) -> LoginResult | UserInput:
        discovered, canonical = [], []
        for element, key in missing:
            kind = element.data.get("type", "text")
            is_password = key == "password"
            discovered.append(DiscoveredField(
                name=key, label=element.describe() or key.replace("_", " ").title(),
                type="password" if is_password else ("email" if kind == "email" or key == "email" else "text"),
                selector=element.durable or element.selector, placeholder=element.data.get("placeholder") or None,
                required=True,
            ))
            canonical.append(Field(
                id=f"fld_{key}", ref=key, type="password" if is_password else ("identifier" if key in ("email", "username") else "text"),
                reason="rejected" if key in rejected else "missing", label=element.describe() or None,
                input_mode="email" if key == "email" else "text", observed_selector=element.durable or element.selector,
            ))
        pause = Pause(
            Pause.new_id(), discovered_fields=discovered, fields=canonical,
            pending_sso_buttons=[SsoButton(name, el.text, el.selector) for name, el in analysis.sso_buttons],
            choices=[Choice(f"sso_{name}", el.text, "sso_provider", observed_selector=el.selector) for name, el in analysis.sso_buttons],
            website_error=analysis.website_error if rejected else None,
        )
        elsewhere = [key for _, key in missing if key in self.request.values and key not in rejected]
        if elsewhere and self.request.mode == Mode.UNATTENDED:
            host = self._host(frames, missing[0][0])
            return await self.fail(
                ErrorCode.DOMAIN_NOT_ALLOWED,
                f"The page on {host} asks for {', '.join(elsewhere)}, but the stored credential is for "
                f"{self.policy.credential_domain}: AuthHub types a credential's secrets only on its own domain.",
            )
        if self.request.mode == Mode.UNATTENDED:
            keys = ", ".join(key for _, key in missing)
            return await self.fail(ErrorCode.CREDENTIALS_INVALID, f"The stored credential has no value for: {keys}.",
                                   analysis.website_error)
        answer = await self._ask(pause, "Waiting for " + ", ".join(key for _, key in missing))
        if isinstance(answer, LoginResult):
            return answer
        if answer.choice or answer.sso_button_selector:
            chosen = self._match_sso(analysis, answer)
            if chosen is not None:
                await self._click(frames, chosen, record=True)
                return answer
        self._accept_values(answer, {f.id: f.ref for f in canonical})
        return answer

    def _accept_values(self, answer: UserInput, ids: dict[str, str], one_time: bool = False) -> None:
        for name, value in answer.fields.items():
            key = ids.get(name, name)
            if not isinstance(value, str) or not value:
                continue
            self.user_values[key] = value
            if not one_time and key not in ("code", "totp_code", "otp"):
                self.typed_values[key] = value

    async def _ask(self, pause: Pause, message: str) -> LoginResult | UserInput:
        if self.request.mode == Mode.UNATTENDED or self.request.inputs is None:
            return await self.fail(ErrorCode.UNSUPPORTED_AUTH_METHOD, f"This login needs a person: {message.lower()}.")
        await self.emit(FlowStep.AWAITING_INPUT, message, pause=pause, website_error=pause.website_error)
        try:
            answer = await asyncio.wait_for(self.request.inputs(pause), timeout=self.request.input_timeout)
        except TimeoutError:
            return await self.finish(Outcome.EXPIRED, None, "Nobody answered in time.")
        await self.emit(FlowStep.SUBMITTING, "Continuing with what you entered")
        return answer

    # --- second factors and choices ---------------------------------------------------------------

    async def _otp(self, analysis: Analysis, frames: list[PwFrame]) -> LoginResult | None:
        last = self.last_submit
        rejected = bool(last and last.kind == PageKind.OTP and analysis.website_error and last.path == _path(analysis.url))
        secret = self.request.totp_secret
        if secret and not self.policy.may_type_stored("totp_code", host_of(frames[analysis.frame].url)):
            secret = None  # the TOTP secret is the credential's: its codes go only to its own domain
        if secret and not analysis.otp_delivered:
            if rejected:
                self.totp_rejections += 1
                self.last_submit = None
                if self.totp_rejections >= 2:
                    if self.request.mode == Mode.UNATTENDED:
                        return await self.fail(ErrorCode.CREDENTIALS_INVALID, "The site rejected the TOTP codes.", analysis.website_error)
                    secret = None  # ask a person for a code instead
            if secret:
                code = await self._totp_code(secret, fresh=rejected)
                await self.emit(FlowStep.SUBMITTING, "Entering the authenticator code")
                await self._fill_code(frames, analysis, code, plan_kind="totp", stored=True)
                await self._submit(analysis, frames, ("totp_code",))
                return None
        if rejected:
            self.user_values.pop("code", None)
            self.last_submit = None
        key = "code" if analysis.otp_delivered or not secret else "totp_code"
        if self._value(key) is None:
            field_type = "totp_code" if key == "totp_code" else "code"
            first = analysis.otp[0]
            pause = Pause(
                Pause.new_id(),
                discovered_fields=[DiscoveredField(key, analysis.message or "Verification code", "totp" if key == "totp_code" else "code",
                                                   first.durable or first.selector, first.data.get("placeholder") or None)],
                fields=[Field(f"fld_{key}", key, field_type, "rejected" if rejected else "missing",
                              analysis.message or "Verification code", input_mode="numeric",
                              observed_selector=first.durable or first.selector)],
                website_error=analysis.website_error if rejected else None,
            )
            self._record(PlanAction("input", "", key=key), frames[analysis.frame])
            answer = await self._ask(pause, "Waiting for the verification code")
            if isinstance(answer, LoginResult):
                return answer
            self._accept_values(answer, {f"fld_{key}": key}, one_time=True)
            return None
        code = self.user_values.pop(key)
        await self._fill_code(frames, analysis, code, plan_kind=None, stored=False)
        await self._submit(analysis, frames, (key,))
        return None

    async def _totp_code(self, secret: str, *, fresh: bool) -> str:
        request = self.request
        params = {"algorithm": request.totp_algorithm, "digits": request.totp_digits, "period": request.totp_period}
        wait = totp_wait(time.time(), request.totp_period, self.config.totp_min_remaining, self.totp_counters, fresh=fresh)
        if wait:
            await asyncio.sleep(wait)  # until the next code window opens: computed, not a guess
        now = time.time()
        self.totp_counters.add(int(now // request.totp_period))
        code, _ = totp.generate(secret, at=now, **params)
        return code

    async def _fill_code(
        self, frames: list[PwFrame], analysis: Analysis, code: str, plan_kind: str | None, *, stored: bool
    ) -> None:
        frame = frames[analysis.frame]
        key = "totp_code" if stored else "code"
        if len(analysis.otp) > 1:
            for element, digit in zip(analysis.otp, code, strict=False):
                await self._fill(frames, element, digit, key, stored=stored, record=False)
        else:
            await self._fill(frames, analysis.otp[0], code, key, stored=stored, record=False)
        if plan_kind:
            self._record(PlanAction(plan_kind, analysis.otp[0].durable or "", key="totp_code"), frame)

    async def _mfa_choice(self, analysis: Analysis, frames: list[PwFrame]) -> LoginResult | None:
        options = analysis.mfa_options
        chosen = None
        if self.request.totp_secret:
            chosen = next((o for o in options if o[0] == "totp"), None)
        if chosen is None:
            pause = Pause(
                Pause.new_id(),
                mfa_options=[MfaOption(t, label) for t, label, _ in options],
                choices=[Choice(f"mfa_{t}", label, "mfa_method", mfa_type=t, observed_selector=el.selector) for t, label, el in options],
            )
            answer = await self._ask(pause, "Waiting for a verification method")
            if isinstance(answer, LoginResult):
                return answer
            wanted = (answer.choice or "").removeprefix("mfa_")
            chosen = next((o for o in options if o[0] == wanted), None)
            if chosen is None:
                return await self.fail(ErrorCode.NAVIGATION_CONFUSED, "The chosen method is not offered on the page.")
        mfa_type, label, element = chosen
        await self.emit(FlowStep.SUBMITTING, f"Choosing “{label}”")
        if element.data.get("type") == "radio" or element.data.get("role") == "radio":
            await frames[element.frame].locator(element.selector).check()
            self._record(PlanAction("check", _css_text_selector(element), label=mfa_type), frames[element.frame])
            if analysis.submit is not None:
                await self._click(frames, analysis.submit, record=True)
                return None
        await self._click(frames, element, record=True)
        return None

    async def _account_picker(self, analysis: Analysis, frames: list[PwFrame]) -> LoginResult | None:
        options = analysis.accounts
        plan = self.request.plan if self.request.use_plan else None
        remembered = None
        if plan:
            page = plan.page_for(_path(analysis.url))
            remembered = next((a.label for a in (page.actions if page else []) if a.kind == "choose"), None)
        chosen = next((o for o in options if remembered and o[0] == remembered), None)
        if chosen is None:
            ids = {f"acct_{i}": option for i, option in enumerate(options)}
            pause = Pause(
                Pause.new_id(),
                sign_in_options=[SignInOption(i, label, desc or None) for i, (label, desc, _) in ids.items()],
                choices=[Choice(i, label, "account", description=desc or None, observed_selector=el.selector)
                         for i, (label, desc, el) in ids.items()],
            )
            answer = await self._ask(pause, "Waiting for an account choice")
            if isinstance(answer, LoginResult):
                return answer
            chosen = ids.get(answer.choice or "") or next((o for o in options if o[0] == answer.choice), None)
            if chosen is None:
                return await self.fail(ErrorCode.NAVIGATION_CONFUSED, "The chosen account is not offered on the page.")
        label, _, element = chosen
        await self.emit(FlowStep.SUBMITTING, f"Choosing “{label}”")
        self._record(PlanAction("choose", _css_text_selector(element), label=label), frames[element.frame])
        await self._click(frames, element, record=False)
        return None

    async def _external_action(self, analysis: Analysis) -> LoginResult | None:
        message = analysis.message or "Approve the sign-in on your device."
        if self.request.mode == Mode.UNATTENDED:
            return await self.fail(ErrorCode.UNSUPPORTED_AUTH_METHOD, f"This login needs a person: {message}")
        await self.emit(FlowStep.AWAITING_EXTERNAL_ACTION, message, external_action_message=message)
        self._record(PlanAction("input", "", key="external_action"), self.page.main_frame)  # type: ignore[union-attr]
        deadline = time.monotonic() + self.request.external_action_timeout
        signature, since = analysis.signature, analysis.mutations
        while time.monotonic() < deadline:
            outcome = await self._wait_for_change(since, min(30.0, deadline - time.monotonic()))
            if outcome != "timeout":
                fresh, _ = await self._read()
                if fresh.signature != signature or fresh.kind != PageKind.PUSH:
                    await self.emit(FlowStep.SUBMITTING, "Approved")
                    return None
                since = fresh.mutations
        return await self.finish(Outcome.EXPIRED, None, "The sign-in was not approved in time.")

    # --- acting -----------------------------------------------------------------------------------

    async def _type(self, frame: PwFrame, locator: Locator, value: str, key: str, *, stored: bool) -> None:
        """Every value the engine types goes through here. Only on the connection's hosts; a stored
        credential's value only where it belongs; never into plain http unless that was chosen; masked
        when recording. A secret locks the network to the site it is typed on before it is typed.

        The checks and the typing are pinned to one element of one document: the element gets a random
        mark as its document's URL is read, and only the marked element is filled. A frame that navigates
        in between has no such element, so the fill fails instead of typing into the new document."""
        pin = secrets.token_hex(8)
        expected = frame.url
        self._check_typing(expected, key, stored=stored)
        # The network lock for a secret goes up while the element is marked (two round trips at once);
        # the marked document must then be the one the checks and the lock were made for.
        secret = key not in IDENTIFIER_KEYS
        url, why = await asyncio.gather(
            locator.evaluate(PIN, pin), self.guard.lock(host_of(expected)) if secret else _none(),
        )
        url = str(url)
        host = host_of(url)
        if host != host_of(expected):
            raise _Refused(url, f"the page moved from {host_of(expected)} to {host} as AuthHub was about to type")
        self._check_typing(url, key, stored=stored)
        if why:
            raise _Refused(url, why)
        pinned = frame.locator(f'[data-authhub-pin="{pin}"]')
        if self.recorder is not None:
            await pinned.evaluate(MASK)
        await pinned.fill(value, timeout=PINNED_FILL_MS)
        self.typed_hosts[key] = host
        self.typed_anything = True

    def _check_typing(self, url: str, key: str, *, stored: bool) -> None:
        host = host_of(url)
        if not self.policy.allows_url(url):
            raise _Refused(url)
        if stored and not self.policy.may_type_stored(key, host):
            raise _Refused(url, f"the stored credential is for {self.policy.credential_domain}, not {host}")
        if urlsplit(url).scheme != "https" and not self._http_ok(host):
            raise _Refused(url, f"{host} is served over plain http, where anyone on the path could read it")

    def _http_ok(self, host: str) -> bool:
        """Plain http only when the connection's own login_url is http:// (an explicit choice), on its
        host, or for the local sandbox names while private networks are allowed."""
        login_url = self.request.login_url or ""
        return (login_url.startswith("http://") and host_of(login_url) == host) or self._local_http_ok(host)

    @staticmethod
    def _host(frames: list[PwFrame], element: Element) -> str:
        return host_of(frames[element.frame].url)

    async def _press(self, frame: PwFrame, locator: Locator, *, enter: bool = False) -> None:
        """Click (or press Enter in) ``locator``, then wait for the page to react."""
        since = await self._mutations(frame)
        if enter:
            await locator.press("Enter")
        else:
            await locator.click()
        await self._settle(frame, since)

    async def _fill(
        self, frames: list[PwFrame], element: Input, value: str, key: str, *, stored: bool, record: bool = True
    ) -> None:
        frame = frames[element.frame]
        await self._type(frame, frame.locator(element.selector), value, key, stored=stored)
        if record:
            self._record(PlanAction("fill", element.durable, key=key), frame)

    async def _click(self, frames: list[PwFrame], element: Element, *, record: bool) -> None:
        frame = frames[element.frame]
        if record:
            self._record(PlanAction("click", _css_text_selector(element), label=element.text[:80]), frame)
        await self._press(frame, frame.locator(element.selector))

    async def _submit(
        self, analysis: Analysis, frames: list[PwFrame], keys: tuple[str, ...],
        fields: list[tuple[PwFrame, str, str]] | None = None,
    ) -> None:
        self.last_submit = _Submission(_path(analysis.url), analysis.kind, keys, analysis.signature, analysis.url, fields or [])
        if analysis.submit is not None:
            await self._click(frames, analysis.submit, record=True)
            return
        # No button: press Enter in the last field, as a person would.
        last = analysis.password or (analysis.otp[-1] if analysis.otp else None) or analysis.identifier
        assert last is not None
        frame = frames[last.frame]
        self._record(PlanAction("press", last.durable, label="Enter"), frame)
        await self._press(frame, frame.locator(last.selector), enter=True)

    # --- learned plans ----------------------------------------------------------------------------

    def _record(self, action: PlanAction, frame: PwFrame, path: str | None = None) -> None:
        assert self.page is not None
        action.frame_host = host_of(frame.url) if frame is not self.page.main_frame else None
        if path is None:
            path = _path(self.page.url)
            if self.first_action_url is None:
                self.first_action_url = self.page.url
        if not self.plan_pages or self.plan_pages[-1].path != path:
            self.plan_pages.append(PlanPage(path))
        self.plan_pages[-1].actions.append(action)

    def _learned_plan(self, post_login_url: str | None) -> LoginPlan:
        previous = self.request.plan or LoginPlan()
        return LoginPlan(
            login_url=self.request.login_url or self.first_action_url or previous.login_url,
            pages=self.plan_pages or previous.pages,
            post_login_url=post_login_url,
            successes=previous.successes + 1,
        )

    async def _replay_plan(self) -> bool:
        """Replay the learned actions for this page. False (and discovery) as soon as anything differs."""
        plan = self.request.plan if self.request.use_plan else None
        if not plan or self.page is None:
            return False
        path = _path(self.page.url)
        page = plan.page_for(path)
        if page is None or path in self.replayed or any(a.kind == "input" for a in page.actions):
            return False
        self.replayed.add(path)
        steps = [a for a in page.actions if a.kind in ("fill", "click", "check", "totp", "press", "choose")]
        if not steps or any(a.kind in ("fill",) and (not a.selector or self._value(a.key or "", None) is None) for a in steps):
            return False
        frame = self.page.main_frame
        replayed: list[tuple[PlanAction, PwFrame]] = []
        start_url = self.page.url
        try:
            submitted = False
            keys: list[str] = []
            for action in steps:
                frame = await self._frame_for(action)
                if not self.policy.allows_url(frame.url):
                    return False
                locator = frame.locator(action.selector).first
                await locator.wait_for(state="visible", timeout=self.config.replay_timeout * 1000)
                replayed.append((PlanAction(action.kind, action.selector, action.key, action.label), frame))
                if action.kind == "fill":
                    if not keys:
                        await self.emit(FlowStep.SUBMITTING, "Signing in")
                    key = action.key or ""
                    value = self._value(key, host_of(frame.url))
                    if value is None:
                        return False  # not a value for this host: let discovery decide what to ask
                    await self._type(frame, locator, value, key, stored=key not in self.user_values)
                    keys.append(action.key or "")
                elif action.kind == "totp":
                    code = await self._totp_code(self.request.totp_secret or "", fresh=False)
                    await self._type(frame, locator, code, "totp_code", stored=True)
                elif action.kind == "check":
                    await locator.check()
                else:
                    await self._press(frame, locator, enter=action.kind == "press")
                    submitted = True
            if submitted and keys:
                self.last_submit = _Submission(path, None, tuple(keys), "", "")
            # Kept under the page they were replayed on (a click may have left it).
            self.first_action_url = self.first_action_url or start_url
            for action, action_frame in replayed:
                self._record(action, action_frame, path=path)
            return True
        except PlaywrightError as exc:
            logger.info("login %s: the learned plan no longer fits %s (%s); discovering", self.request.domain, path, _first_line(exc))
            return False

    async def _frame_for(self, action: PlanAction) -> PwFrame:
        assert self.page is not None
        if not action.frame_host:
            return self.page.main_frame
        deadline = time.monotonic() + self.config.replay_timeout
        while True:
            for frame in self.page.frames:
                if host_of(frame.url) == action.frame_host:
                    return frame
            if time.monotonic() > deadline:
                raise PlaywrightError(f"no frame on {action.frame_host}")
            await self.page.wait_for_event("frameattached", timeout=self.config.replay_timeout * 1000)


async def _none() -> None:
    return None


def totp_wait(now: float, period: int, min_remaining: float, used: set[int], *, fresh: bool) -> float:
    """Seconds to wait before generating a code: none, unless the current window is about to end, its
    code was already used, or the site just refused it — then until the next window opens."""
    counter = int(now // period)
    remaining = (counter + 1) * period - now
    if fresh or remaining < min_remaining or counter in used:
        return remaining + 0.05
    return 0.0


class _Refused(PlaywrightError):
    """A value was about to be typed where it does not belong."""

    def __init__(self, url: str, reason: str = "") -> None:
        super().__init__(f"refused to type into {host_of(url)}")
        self.url = url
        self.reason = reason
