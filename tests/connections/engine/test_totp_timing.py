"""When the engine types a TOTP code: never one about to expire, never one already used or refused."""

from __future__ import annotations

import pytest

from connections.engine.totp_codes import totp_wait


@pytest.mark.parametrize(
    ("now", "used", "fresh", "expected"),
    [
        (1_000_000_000.0, set(), False, 0.0),  # 20 s left in the window: type it now
        (1_000_000_017.0, set(), False, 3.05),  # 3 s left: wait for the next window
        (1_000_000_000.0, {33_333_333}, False, 20.05),  # this window's code was already used
        (1_000_000_000.0, set(), True, 20.05),  # the site refused it: the next one
    ],
)
def test_it_waits_only_for_a_fresh_window(now, used, fresh, expected):
    assert totp_wait(now, 30, 5.0, used, fresh=fresh) == pytest.approx(expected)
