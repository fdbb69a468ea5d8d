"""Fixtures for the login engine: the sandbox sites, one Chromium on a background event loop, and
helpers to run a login and answer its pauses the way a person would."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from connections.engine import (
    BrowserHost,
    EngineConfig,
    LoginEngine,
    LoginRequest,
    LoginResult,
    Pause,
    StepEvent,
    UserInput,
)

T = TypeVar("T")


class Loop:
    """An asyncio loop in a thread: the browser lives there, tests submit coroutines to it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Awaitable[T], timeout: float = 120) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self.loop)  # type: ignore[arg-type]
        return future.result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture(scope="session")
def loop() -> Iterator[Loop]:
    runner = Loop()
    yield runner
    runner.stop()


@pytest.fixture(scope="session")
def engine_config(tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    return EngineConfig(recordings_dir=tmp_path_factory.mktemp("recordings"))


@pytest.fixture(scope="session")
def sandbox_config(engine_config: EngineConfig, sandbox: Any) -> EngineConfig:
    """Discovery from a bare sandbox domain goes to the sandbox's port."""
    from tests.sites.server import SITE_CLASSES

    engine_config.site_ports.update({host: sandbox.port for cls in SITE_CLASSES for host in cls.hosts})
    return engine_config


@pytest.fixture(scope="session")
def browser_host(loop: Loop, engine_config: EngineConfig) -> Iterator[BrowserHost]:
    host = BrowserHost(engine_config)
    loop.run(host.start())
    yield host
    loop.run(host.stop())


@pytest.fixture(scope="session")
def engine(browser_host: BrowserHost, sandbox_config: EngineConfig) -> LoginEngine:
    assert browser_host.browser is not None
    return LoginEngine(browser_host.browser, sandbox_config)


@dataclass
class Person:
    """Answers pauses from a script of (check, answer) steps and keeps every pause and step it saw."""

    answers: list[Callable[[Pause], UserInput | Awaitable[UserInput]]] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    events: list[StepEvent] = field(default_factory=list)

    async def __call__(self, pause: Pause) -> UserInput:
        self.pauses.append(pause)
        if not self.answers:
            raise AssertionError(f"unexpected pause: {pause}")
        answer = self.answers.pop(0)(pause)
        if asyncio.iscoroutine(answer):
            answer = await answer
        return answer  # type: ignore[return-value]

    def on_step(self, event: StepEvent) -> None:
        self.events.append(event)

    @property
    def steps(self) -> list[str]:
        return [e.step.value for e in self.events]


@dataclass
class Login:
    sandbox: Any
    engine: LoginEngine
    loop: Loop

    def __call__(self, host: str, *, person: Person | None = None, path: str | None = None, **kwargs: Any) -> LoginResult:
        person = person or Person()
        kwargs.setdefault("on_step", person.on_step)
        login_url = kwargs.pop("login_url", None) or (self.sandbox.url(host, path) if path else None)
        request = LoginRequest(
            domain=host,
            login_url=login_url,
            inputs=person,
            **kwargs,
        )
        return self.loop.run(self.engine.login(request))

    def whoami(self, host: str, state: dict[str, Any] | None) -> str | None:
        return self.sandbox.whoami_with(host, state)


@pytest.fixture
def login(sandbox: Any, engine: LoginEngine, loop: Loop) -> Login:
    return Login(sandbox, engine, loop)


