"""Authenticator codes from the stored TOTP secret, timed so the site accepts them."""

from __future__ import annotations

import asyncio
import time

from connections.engine.types import LoginRequest
from credentials import totp


def totp_wait(now: float, period: int, min_remaining: float, used: set[int], *, fresh: bool) -> float:
    """Seconds to wait before generating a code: none, unless the current window is about to end, its
    code was already used, or the site just refused it — then until the next window opens."""
    counter = int(now // period)
    remaining = (counter + 1) * period - now
    if fresh or remaining < min_remaining or counter in used:
        return remaining + 0.05
    return 0.0


class TotpClock:
    def __init__(self, request: LoginRequest, min_remaining: float) -> None:
        self.request = request
        self.min_remaining = min_remaining
        self.used: set[int] = set()  # time windows whose code was already typed
        self.rejections = 0

    async def code(self, *, fresh: bool) -> str:
        request = self.request
        wait = totp_wait(time.time(), request.totp_period, self.min_remaining, self.used, fresh=fresh)
        if wait:
            await asyncio.sleep(wait)  # until the next code window opens: computed, not a guess
        now = time.time()
        self.used.add(int(now // request.totp_period))
        code, _ = totp.generate(request.totp_secret or "", at=now, algorithm=request.totp_algorithm,
                                digits=request.totp_digits, period=request.totp_period)
        return code
