"""Runs the collector in every visible frame of a page and turns the result into an ``Analysis``."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame as PwFrame
from playwright.async_api import Page

from connections.engine.classify import Analysis, Frame, analyze

logger = logging.getLogger(__name__)
COLLECTOR = (Path(__file__).parent / "collector.js").read_text()
MAX_FRAMES = 20


async def _frame_visible(frame: PwFrame) -> bool:
    if frame.parent_frame is None:
        return True
    if frame.is_detached() or frame.url in ("", "about:blank") or frame.url.startswith(("about:", "data:")):
        return False
    try:
        element = await frame.frame_element()
        box = await element.bounding_box()
    except PlaywrightError:
        return False
    return bool(box and box["width"] > 20 and box["height"] > 20)


async def collect(page: Page) -> list[tuple[PwFrame, dict]]:
    """The collector's output for the main frame and each visible child frame (document order)."""
    frames = [f for f in page.frames[:MAX_FRAMES]]
    visible = await asyncio.gather(*(_frame_visible(f) for f in frames))
    targets = [f for f, ok in zip(frames, visible, strict=True) if ok]

    async def run(frame: PwFrame) -> dict | None:
        try:
            return await frame.evaluate(COLLECTOR)
        except PlaywrightError as exc:
            # A frame navigating away or detached mid-read: skip it; the main frame is retried by the caller.
            if frame is page.main_frame:
                raise
            logger.debug("frame %s skipped: %s", frame.url, exc)
            return None

    results = await asyncio.gather(*(run(f) for f in targets))
    return [(f, r) for f, r in zip(targets, results, strict=True) if r is not None]


async def read_page(page: Page) -> tuple[Analysis, list[PwFrame]]:
    collected = await collect(page)
    frames = [Frame(index, frame.url, data) for index, (frame, data) in enumerate(collected)]
    return analyze(frames), [frame for frame, _ in collected]
