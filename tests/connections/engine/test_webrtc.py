"""WebRTC opens no UDP path around the egress guard: a page asking for a STUN binding sends nothing."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
from playwright.async_api import async_playwright

from authhub.netpolicy import DEVELOPMENT
from connections.engine.egress import EgressGuard
from connections.engine.engine import BASE_ARGS

GATHER = """async ([port, wait]) => {
  const pc = new RTCPeerConnection({ iceServers: [{ urls: `stun:127.0.0.1:${port}` }] });
  pc.createDataChannel("x");
  await pc.setLocalDescription(await pc.createOffer());
  if (!wait) return;
  // Resolves when ICE gathering ends: then there is nothing more it would send.
  await new Promise((done) => {
    if (pc.iceGatheringState === "complete") return done();
    pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && done());
  });
}"""


@pytest.fixture
def stun() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    yield sock
    sock.close()


def pending(sock: socket.socket) -> int:
    count = 0
    while True:
        try:
            sock.recv(2048)
        except BlockingIOError:
            return count
        count += 1


async def gather(args: list[str], stun: socket.socket, *, complete: bool) -> None:
    """Start ICE gathering toward ``stun`` in a context that leaves only through the egress guard, as the
    engine's do; with ``complete``, until gathering ends, else until the first STUN packet (bounded)."""
    listener = await EgressGuard(DEVELOPMENT).open()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        context = await browser.new_context(proxy=listener.playwright_proxy())
        page = await context.new_page()
        await page.evaluate(GATHER, [stun.getsockname()[1], complete])
        if not complete:
            await asyncio.wait_for(asyncio.get_running_loop().sock_recv(stun, 2048), 15)
        await browser.close()
    await listener.close()


def test_the_engines_browser_sends_no_stun_packet_and_a_plain_one_does(loop, stun):
    loop.run(gather(list(BASE_ARGS), stun, complete=True))
    assert pending(stun) == 0, "WebRTC sent UDP around the proxy"
    # The control: without the policy flags the same page reaches the STUN server at once.
    plain = [arg for arg in BASE_ARGS if "webrtc-ip-handling-policy" not in arg]
    loop.run(gather(plain, stun, complete=False))
