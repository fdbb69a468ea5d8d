"""One Chromium for many logins, and the engine's configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, Playwright, async_playwright

from authhub.netpolicy import DEVELOPMENT as DEVELOPMENT_NETWORK
from authhub.netpolicy import NetworkPolicy

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
    # How long a page may take to show what it is (a late single-page app, a spinner) before it is judged.
    render_timeout: float = 6.0
    max_steps: int = 40
    max_attempts: int = 5
    totp_min_remaining: float = 5.0
    # Which addresses the browser may reach, enforced by the egress guard every context goes through.
    network: NetworkPolicy = field(default_factory=lambda: DEVELOPMENT_NETWORK)
    # host -> IP the egress guard uses instead of DNS (like /etc/hosts: tests, split-horizon set-ups).
    static_hosts: dict[str, str] = field(default_factory=dict)


def first_line(exc: BaseException, limit: int = 300) -> str:
    """What the browser said, in one line (Playwright errors carry a call log after it)."""
    text = str(exc).strip()
    return text.splitlines()[0][:limit] if text else type(exc).__name__


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
