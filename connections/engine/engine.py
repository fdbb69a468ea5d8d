"""The login engine's entry point: one login in its own browser context, behind the egress guard.

The parts, by seam: ``run`` (the step loop and shared acting), ``handlers`` (one per kind of page),
``typist`` (typing and where a value may go), ``values`` (what may be typed, what was refused),
``plans`` (learned plans), ``verdict`` (is the browser logged in — shared with health checks),
``waits`` (waiting on the page, never on the clock), ``pauses`` (what a person is asked).
"""

from __future__ import annotations

import logging

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from connections.engine.browser import BASE_ARGS, BrowserHost, EngineConfig, first_line
from connections.engine.egress import EgressGuard
from connections.engine.hosts import host_of
from connections.engine.run import Run
from connections.engine.types import ErrorCode, LoginRequest, LoginResult, Outcome
from connections.engine.typist import Refused

logger = logging.getLogger(__name__)

__all__ = ["BASE_ARGS", "BrowserHost", "EngineConfig", "LoginEngine"]


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
        run = Run(self.config, request, context, egress)
        try:
            return await run.execute()
        except Refused as exc:
            why = exc.reason or f"{host_of(exc.url)} is not one of the connection's domains"
            return await run.fail(
                ErrorCode.DOMAIN_NOT_ALLOWED, f"AuthHub refused to type into {host_of(exc.url)}: {why}. Nothing was typed there."
            )
        except PlaywrightError as exc:
            logger.warning("login to %s: browser error: %s", request.domain, first_line(exc))
            return await run.finish(Outcome.FAILED, ErrorCode.BROWSER_ERROR, f"Browser error: {first_line(exc)}")
        finally:
            await run.close()
