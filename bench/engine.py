"""Login engine benchmark: the engine against a hand-written Playwright login (the floor), same run.

Both start with the browser running and a fresh context, and stop when the site shows the user as
logged in — the floor waits for it, the engine decides it — **and a fresh page of the site, opened with
the new browser state, shows it again** (the engine's proof; the floor does the same check by hand),
and the context is closed. Prints one JSON
line per benchmark: {"bench", "value", "floor", "ratio"} (milliseconds; ratio = value / floor).

    python -m bench.engine [--rounds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from playwright.async_api import Browser, BrowserContext

from connections.engine import BrowserHost, EngineConfig, LoginEngine, LoginPlan, LoginRequest, Outcome
from connections.engine.verdict import check_session
from tests.sites import accounts
from tests.sites.server import SITE_CLASSES, SandboxServer

LOGGED_IN = '[data-sandbox-state="logged-in"]'


async def fresh_page_check(context: BrowserContext, url: str) -> None:
    """The hand-written version of the engine's proof: the landing, reopened, is still signed in."""
    page = await context.new_page()
    await page.goto(url)
    await page.wait_for_selector(LOGGED_IN)
    await page.close()


async def floor_classic(browser: Browser, base: str, proxy: dict[str, str] | None = None) -> None:
    context = await browser.new_context(proxy=proxy)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(f"{base}/login")
    await page.fill("#id_username", accounts.USERNAME)
    await page.fill("#id_password", accounts.PASSWORD)
    await page.click("form.login-form button[type=submit]")
    await page.wait_for_selector(LOGGED_IN)
    await fresh_page_check(context, page.url)
    await context.close()


async def floor_steps(browser: Browser, base: str, proxy: dict[str, str] | None = None) -> None:
    context = await browser.new_context(proxy=proxy)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(f"{base}/signin")
    await page.fill("input[name=identifier]", accounts.EMAIL)
    await page.click("button:has-text('Next')")
    await page.fill("#passwd", accounts.PASSWORD)
    await page.click("button:has-text('Sign in')")
    await page.wait_for_selector(LOGGED_IN)
    await fresh_page_check(context, page.url)
    await context.close()


SITES = {
    "classic": ("classic.localhost", "/login", {"username": accounts.USERNAME, "password": accounts.PASSWORD}, floor_classic),
    "identifier_first": ("steps.localhost", "/signin", {"email": accounts.EMAIL, "password": accounts.PASSWORD}, floor_steps),
}


async def timed(action: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await action()
    return (time.perf_counter() - start) * 1000


def emit(name: str, value: float, floor: float, **extra: object) -> None:
    print(json.dumps({"bench": name, "value": round(value, 1), "floor": round(floor, 1), "ratio": round(value / floor, 3), **extra}), flush=True)


def tree_memory_mb() -> float:
    """Memory of this process and all its descendants (driver and Chromium), in MB: the sum of their
    proportional set sizes (PSS), so pages Chromium's processes share are counted once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [os.getpid()]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


async def peak_memory(work: Awaitable[object]) -> tuple[float, float]:
    """Run ``work``, sampling memory every 50 ms; returns (wall ms, peak MB)."""
    peak = tree_memory_mb()
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory_mb())
            try:
                await asyncio.wait_for(done.wait(), 0.05)
            except TimeoutError:
                pass

    sampler = asyncio.create_task(sample())
    start = time.perf_counter()
    await work
    elapsed = (time.perf_counter() - start) * 1000
    done.set()
    await sampler
    return elapsed, peak


async def engine_login(engine: LoginEngine, domain: str, url: str, values: dict[str, str], plan: LoginPlan | None) -> LoginPlan:
    result = await engine_result(engine, domain, url, values, plan)
    assert result.plan is not None
    return result.plan


async def engine_result(engine: LoginEngine, domain: str, url: str, values: dict[str, str], plan: LoginPlan | None):  # noqa: ANN201
    result = await engine.login(LoginRequest(domain=domain, login_url=None if plan else url, values=values, plan=plan))
    if result.outcome != Outcome.SUCCESS or result.plan is None:
        raise RuntimeError(f"{domain}: {result.error_code} {result.error_message}")
    return result


async def bench_verification(engine: LoginEngine, browser: Browser, sandbox: SandboxServer, name: str, rounds: int) -> None:
    """The proof on its own: the engine's session verdict on a fresh page, against the hand-written
    fresh-page check, both in a context that holds the session."""
    domain, path, values, _ = SITES[name]
    url = sandbox.url(domain, path)
    result = await engine_result(engine, domain, url, values, None)
    landing = result.post_login_url or url
    listener = await engine.egress.open()
    context = await browser.new_context(storage_state=result.storage_state, proxy=listener.playwright_proxy())  # type: ignore[arg-type]
    try:
        verdicts, floors = [], []
        for _ in range(rounds):
            floors.append(await timed(lambda: fresh_page_check(context, landing)))
            start = time.perf_counter()
            verdict = await check_session(context, landing, identities=[accounts.USERNAME, accounts.EMAIL])
            verdicts.append((time.perf_counter() - start) * 1000)
            if not verdict.logged_in:
                raise RuntimeError(f"{domain}: the verdict on a signed-in context was {verdict.state}: {verdict.reason}")
        emit(f"verification_{name}", statistics.median(verdicts), statistics.median(floors), rounds=rounds,
             floor_is="the hand-written fresh-page check (goto, wait for the signed-in marker)")
    finally:
        await context.close()
        await listener.close()


async def bench_site(engine: LoginEngine, browser: Browser, sandbox: SandboxServer, name: str, rounds: int) -> None:
    domain, path, values, floor = SITES[name]
    base = sandbox.url(domain, "").rstrip("/")
    url = f"{base}{path}"
    plan = await engine_login(engine, domain, url, values, None)  # warm-up, and the plan for warm runs
    await floor(browser, base)
    cold, warm, floors, guarded = [], [], [], []

    async def floor_through_egress() -> None:
        # The same hand-written login, its context leaving through the egress guard as the engine's do.
        listener = await engine.egress.open()
        try:
            await floor(browser, base, listener.playwright_proxy())
        finally:
            await listener.close()

    # Interleaved, so a slow moment of the machine hits all four alike.
    for _ in range(rounds):
        floors.append(await timed(lambda: floor(browser, base)))
        cold.append(await timed(lambda: engine_login(engine, domain, url, values, None)))
        warm.append(await timed(lambda: engine_login(engine, domain, url, values, plan)))
        guarded.append(await timed(floor_through_egress))
    median_floor = statistics.median(floors)
    emit(f"engine_cold_{name}", statistics.median(cold), median_floor, rounds=rounds)
    emit(f"engine_warm_{name}", statistics.median(warm), median_floor, rounds=rounds)
    # What the trust boundary's egress guard alone costs the hand-written login (issue 7).
    emit(f"egress_guard_{name}", statistics.median(guarded), median_floor, rounds=rounds,
         floor_is="the same hand-written login, direct")


async def main(rounds: int) -> None:
    sandbox = SandboxServer().start()
    config = EngineConfig(site_ports={h: sandbox.port for cls in SITE_CLASSES for h in cls.hosts})
    async with BrowserHost(config) as host:
        assert host.browser is not None
        engine = LoginEngine(host.browser, config)
        for name in SITES:
            await bench_site(engine, host.browser, sandbox, name, rounds)
            await bench_verification(engine, host.browser, sandbox, name, rounds)

        # 20 logins at once in one process, against 20 hand-written logins one after another.
        domain, path, values, floor = SITES["classic"]
        base = sandbox.url(domain, "").rstrip("/")

        async def sequential_floor() -> None:
            for _ in range(20):
                await floor(host.browser, base)

        async def concurrent_engine() -> None:
            results = await asyncio.gather(*(
                engine.login(LoginRequest(domain=domain, login_url=f"{base}{path}", values=values)) for _ in range(20)
            ))
            failed = [r for r in results if r.outcome != Outcome.SUCCESS]
            if failed:
                raise RuntimeError(f"{len(failed)} of 20 concurrent logins failed: {failed[0].error_message}")

        floor_ms, floor_peak = await peak_memory(sequential_floor())
        engine_ms, engine_peak = await peak_memory(concurrent_engine())
        emit("engine_20_concurrent_wall", engine_ms, floor_ms, floor_is="20 hand-written logins one after another")
        emit("engine_20_concurrent_peak_mb", engine_peak, floor_peak)
    sandbox.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    asyncio.run(main(parser.parse_args().rounds))
