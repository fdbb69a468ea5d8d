"""One browser, many logins: concurrency, cancellation and clean-up."""

from __future__ import annotations

import asyncio

from connections.engine import LoginRequest, Outcome, Pause, UserInput
from tests.sites import accounts

ALICE = {"username": accounts.USERNAME, "password": accounts.PASSWORD}


def test_many_logins_run_at_once_in_one_browser_and_leave_no_context_open(engine, sandbox, loop, browser_host):
    async def many():
        url = sandbox.url("classic.localhost", "/login")
        return await asyncio.gather(*(engine.login(LoginRequest("classic.localhost", url, ALICE)) for _ in range(6)))

    results = loop.run(many())
    assert [r.outcome for r in results] == [Outcome.SUCCESS] * 6
    assert browser_host.browser.contexts == []


def test_a_login_waiting_for_a_person_can_be_cancelled_and_closes_its_context(engine, sandbox, loop, browser_host):
    asked = asyncio.Event()

    async def never_answers(pause: Pause) -> UserInput:
        asked.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def scenario():
        request = LoginRequest("classic.localhost", sandbox.url("classic.localhost", "/login"), {"username": "alice"},
                               inputs=never_answers)
        task = asyncio.create_task(engine.login(request))
        await asyncio.wait_for(asked.wait(), 30)
        assert len(browser_host.browser.contexts) == 1
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            return True
        return False

    assert loop.run(scenario())
    assert browser_host.browser.contexts == []


def test_a_person_who_never_answers_ends_the_login_as_expired(engine, sandbox, loop, browser_host):
    async def silent(pause: Pause) -> UserInput:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    request = LoginRequest("classic.localhost", sandbox.url("classic.localhost", "/login"), {"username": "alice"},
                           inputs=silent, input_timeout=0.5)
    result = loop.run(engine.login(request))
    assert result.outcome == Outcome.EXPIRED
    assert browser_host.browser.contexts == []


def test_an_expired_session_is_logged_in_again(login, sandbox):
    first = login("classic.localhost", path="/login", values=ALICE)
    assert first.outcome == Outcome.SUCCESS
    sandbox.expire_sessions("classic.localhost")
    assert login.whoami("classic.localhost", first.storage_state) is None
    again = login("classic.localhost", path="/login", values=ALICE, storage_state=first.storage_state)
    assert again.outcome == Outcome.SUCCESS and "SUBMITTING" in again.steps
    assert login.whoami("classic.localhost", again.storage_state) == "alice"
