"""Session recordings: a screencast of the login page turned into an mp4 by Debian's ffmpeg, plus a
screenshot per step. Fields the engine fills are masked on the page (``-webkit-text-security``) before
anything is typed, so no frame and no screenshot shows a secret. Playwright traces are never kept:
they record typed values and request bodies.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import secrets
import shutil
import time
from pathlib import Path

from playwright.async_api import BrowserContext, CDPSession, Page
from playwright.async_api import Error as PlaywrightError

logger = logging.getLogger(__name__)
FPS = 10


class Recorder:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"rec_{int(time.time())}_{secrets.token_hex(4)}"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.frames: list[tuple[float, bytes]] = []
        self.screenshots: list[str] = []
        self._cdp: CDPSession | None = None
        self._stopped = False

    async def start(self, context: BrowserContext, page: Page) -> None:
        self._cdp = await context.new_cdp_session(page)
        self._cdp.on("Page.screencastFrame", self._on_frame)
        await self._cdp.send("Page.startScreencast", {"format": "jpeg", "quality": 70, "maxWidth": 1280, "maxHeight": 800})

    def _on_frame(self, event: dict) -> None:
        self.frames.append((time.monotonic(), base64.b64decode(event["data"])))
        if self._cdp is not None and not self._stopped:
            asyncio.ensure_future(self._ack(event["sessionId"]))

    async def _ack(self, session_id: int) -> None:
        try:
            await self._cdp.send("Page.screencastFrameAck", {"sessionId": session_id})  # type: ignore[union-attr]
        except PlaywrightError:
            pass

    async def screenshot(self, page: Page, label: str) -> str | None:
        path = self.directory / f"{len(self.screenshots):02d}-{label.lower()}.png"
        try:
            masked = page.locator("[data-authhub-masked]")
            await page.screenshot(path=path, mask=[masked], animations="disabled", timeout=5000)
        except PlaywrightError as exc:
            logger.debug("screenshot skipped: %s", exc)
            return None
        self.screenshots.append(str(path))
        return str(path)

    async def stop(self) -> str | None:
        if self._stopped:
            return None
        self._stopped = True
        if self._cdp is not None:
            try:
                await self._cdp.send("Page.stopScreencast")
            except PlaywrightError:
                pass
        if not self.frames or shutil.which("ffmpeg") is None:
            if shutil.which("ffmpeg") is None:
                logger.warning("ffmpeg is not installed: no video for %s", self.directory)
            return None
        return await self._encode()

    async def _encode(self) -> str | None:
        """Constant-rate video: each tick shows the newest frame taken by then."""
        output = self.directory / "replay.mp4"
        process = await asyncio.create_subprocess_exec(
            "ffmpeg", "-loglevel", "error", "-y", "-f", "image2pipe", "-c:v", "mjpeg", "-framerate", str(FPS),
            "-i", "-", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", str(output),
            stdin=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        start, end = self.frames[0][0], self.frames[-1][0] + 1.0 / FPS
        index, tick = 0, start
        assert process.stdin is not None
        while tick <= end:
            while index + 1 < len(self.frames) and self.frames[index + 1][0] <= tick:
                index += 1
            process.stdin.write(self.frames[index][1])
            tick += 1.0 / FPS
        await process.stdin.drain()
        process.stdin.close()
        _, stderr = await process.communicate()
        if process.returncode != 0:
            logger.warning("ffmpeg failed: %s", stderr.decode(errors="replace")[:300])
            return None
        return str(output)
