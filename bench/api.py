"""Managed-auth benchmarks through a real AuthHub (server + browser runner) and the sandbox sites.

Prints JSON lines {"bench", "value", "floor", "ratio"} (milliseconds):
- sdk_login: create a connection, login, follow until SUCCESS with the kernel SDK, against the
  hand-written Playwright login of the same site;
- api_retrieve / api_list latency p50 and p99 under 50 concurrent clients, against GET /healthz (a
  direct HTTP call through the same stack) under the same load;
- push latency from a flow step written by the runner to the hosted page's WebSocket, default setup and
  with Redis, against a client polling the API every 10 ms;
- submit_to_resume: from a submit call to the WebSocket saying the flow moved on, against the submit
  call alone.

    python -m bench.api [--rounds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import django
import httpx

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from bench.engine import floor_classic  # noqa: E402
from connections.engine import BrowserHost, EngineConfig  # noqa: E402
from tests.conftest import sandbox_ports  # noqa: E402
from tests.sites import accounts  # noqa: E402
from tests.sites.server import SandboxServer  # noqa: E402
from tests.support.environments import Isolated, RedisServer  # noqa: E402
from tests.support.websocket import WebSocketClient  # noqa: E402


def emit(name: str, value: float, floor: float, **extra: object) -> None:
    print(json.dumps({"bench": name, "value": round(value, 2), "floor": round(floor, 2),
                      "ratio": round(value / floor, 3) if floor else None, **extra}), flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Bench:
    def __init__(self, env: Isolated, sandbox: SandboxServer) -> None:
        self.env, self.sandbox, self.client = env, sandbox, env.client
        self.n = 0

    def connection(self, values: dict[str, str]) -> str:
        self.n += 1
        name = f"b{self.n}-{time.monotonic_ns()}"
        self.client.credentials.create(name=name, domain="classic.localhost", values=values)
        return self.client.auth.connections.create(
            domain="classic.localhost", profile_name=name, credential={"name": name},
            login_url=self.sandbox.url("classic.localhost", "/login"),
        ).id

    def sdk_login(self) -> float:
        started = time.perf_counter()
        connection_id = self.connection({"username": accounts.USERNAME, "password": accounts.PASSWORD})
        self.client.auth.connections.login(connection_id)
        last = None
        for event in self.client.auth.connections.follow(connection_id):
            if event.event == "managed_auth_state":
                last = event
        assert last is not None and last.flow_status == "SUCCESS", last
        return (time.perf_counter() - started) * 1000

    def hosted_socket(self, connection_id: str) -> WebSocketClient:
        code = self.client.auth.connections.login(connection_id).handoff_code
        token = httpx.post(f"{self.env.server.url}/auth/connections/{connection_id}/exchange", json={"code": code}).json()["jwt"]
        return WebSocketClient(f"{self.env.server.url.replace('http', 'ws')}/ws/auth/connections/{connection_id}?token={token}")

    def push_latencies(self) -> tuple[list[float], list[float], list[float]]:
        """(step pushes, submit-to-resume, submit call) in ms for one partial-credential login."""
        connection_id = self.connection({"username": accounts.USERNAME})
        ws = self.hosted_socket(connection_id)
        pushes, resume, submit_calls = [], [], []
        submitted_at = None
        try:
            while (message := ws.receive()) is not None:
                received = time.time()
                state = json.loads(message)
                written = self.env.latest_flow(connection_id)[1]
                pushes.append((received - written) * 1000)
                if submitted_at is not None and state["flow_step"] != "AWAITING_INPUT":
                    resume.append((received - submitted_at) * 1000)
                    submitted_at = None
                if state["flow_step"] == "AWAITING_INPUT":
                    submitted_at = time.time()
                    self.client.auth.connections.submit(connection_id, fields={"password": accounts.PASSWORD})
                    submit_calls.append((time.time() - submitted_at) * 1000)
        finally:
            ws.close()
        return pushes, resume, submit_calls

    def polling_floor(self) -> float:
        """How soon a client polling the API every 10 ms sees a step change: the direct-HTTP floor."""
        connection_id = self.connection({"username": accounts.USERNAME})
        self.client.auth.connections.login(connection_id)
        while True:
            state = self.client.auth.connections.retrieve(connection_id)
            if state.flow_step == "AWAITING_INPUT":
                latency = (time.time() - self.env.latest_flow(connection_id)[1]) * 1000
                self.client.auth.connections.submit(connection_id, fields={"password": accounts.PASSWORD})
                return latency
            time.sleep(0.01)  # the polling client's interval

    def api_latency(self, path: str, clients: int = 50, each: int = 20) -> list[float]:
        headers = {"Authorization": f"Bearer {self.env.key}"}

        def worker() -> list[float]:
            times = []
            with httpx.Client(base_url=self.env.server.url, headers=headers) as http:
                for _ in range(each):
                    started = time.perf_counter()
                    response = http.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
            return times

        with ThreadPoolExecutor(clients) as pool:
            return [t for result in pool.map(lambda _: worker(), range(clients)) for t in result]


def floor_login_ms(sandbox: SandboxServer, rounds: int) -> float:
    async def run() -> float:
        async with BrowserHost(EngineConfig()) as host:
            base = sandbox.url("classic.localhost", "").rstrip("/")
            await floor_classic(host.browser, base)
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                await floor_classic(host.browser, base)
                times.append((time.perf_counter() - started) * 1000)
            return statistics.median(times)

    return asyncio.run(run())


def main(rounds: int) -> None:
    sandbox = SandboxServer().start()
    work = Path(tempfile.mkdtemp(prefix="authhub-bench-"))
    env = Isolated(work / "default", {"AUTHHUB_SITE_PORTS": sandbox_ports(sandbox)})
    try:
        env.runner()
        bench = Bench(env, sandbox)
        bench.sdk_login()  # warm-up
        sdk = statistics.median(bench.sdk_login() for _ in range(rounds))
        emit("sdk_login_classic", sdk, floor_login_ms(sandbox, rounds), rounds=rounds,
             floor_is="hand-written Playwright login of the same site")

        for _ in range(30):
            bench.connection({"username": accounts.USERNAME})
        health = bench.api_latency("/healthz")
        for name, path in (("api_retrieve", f"/auth/connections/{bench.connection({'username': 'x'})}"),
                           ("api_list", "/auth/connections?limit=20")):
            times = bench.api_latency(path)
            emit(f"{name}_p50_50_clients", percentile(times, 50), percentile(health, 50), requests=len(times),
                 floor_is="GET /healthz under the same load")
            emit(f"{name}_p99_50_clients", percentile(times, 99), percentile(health, 99), requests=len(times))

        pushes, resumes, submits = [], [], []
        for _ in range(rounds):
            p, r, s = bench.push_latencies()
            pushes += p
            resumes += r
            submits += s
        floor = statistics.median(bench.polling_floor() for _ in range(3))
        emit("push_latency_default_p50", statistics.median(pushes), floor, samples=len(pushes),
             floor_is="a client polling the API every 10 ms")
        emit("push_latency_default_max", max(pushes), floor)
        emit("submit_to_resume_default_p50", statistics.median(resumes), statistics.median(submits),
             floor_is="the submit call alone")
    finally:
        env.stop()

    if shutil.which("redis-server"):
        redis = RedisServer()
        env = Isolated(work / "redis", {"AUTHHUB_SITE_PORTS": sandbox_ports(sandbox), "REDIS_URL": redis.url})
        try:
            env.runner()
            bench = Bench(env, sandbox)
            pushes, resumes, submits = [], [], []
            for _ in range(rounds):
                p, r, s = bench.push_latencies()
                pushes += p
                resumes += r
                submits += s
            emit("push_latency_redis_p50", statistics.median(pushes), floor, samples=len(pushes),
                 floor_is="a client polling the API every 10 ms (default setup)")
            emit("push_latency_redis_max", max(pushes), floor)
            emit("submit_to_resume_redis_p50", statistics.median(resumes), statistics.median(submits),
                 floor_is="the submit call alone")
        finally:
            env.stop()
            redis.stop()
    sandbox.stop()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=8)
    main(parser.parse_args().rounds)
