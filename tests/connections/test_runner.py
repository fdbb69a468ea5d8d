"""The browser runner under stress and failure, each test in an AuthHub of its own (data dir, server, runners)."""

from __future__ import annotations

import statistics
import time

import pytest
from kernel import Kernel

from tests.conftest import sandbox_ports
from tests.connections.flow_helpers import PASSWORD, awaiting_input, wait_for, wait_until_finished
from tests.support.environments import Isolated

pytestmark = pytest.mark.slow


@pytest.fixture
def isolated(tmp_path, sandbox):  # noqa: ANN001
    env = Isolated(tmp_path, {"AUTHHUB_SITE_PORTS": sandbox_ports(sandbox), "AUTHHUB_RUNNER_DEAD_AFTER": "3"})
    yield env
    env.stop()


def partial_connection(client: Kernel, sandbox, name: str):  # noqa: ANN001
    client.credentials.create(name=name, domain="classic.localhost", values={"username": "alice"})
    return client.auth.connections.create(domain="classic.localhost", profile_name=name, credential={"name": name},
                                          login_url=sandbox.url("classic.localhost", "/login"))


def test_a_runner_that_dies_leaves_its_flows_expired_not_in_progress(isolated, sandbox):
    doomed = isolated.runner()
    connection = partial_connection(isolated.client, sandbox, "c1")
    isolated.client.auth.connections.login(connection.id)
    wait_for(isolated.client, connection.id, awaiting_input)
    doomed.kill()
    isolated.runner()  # a surviving runner notices the silence and sweeps
    started = time.monotonic()
    state = wait_until_finished(isolated.client, connection.id, timeout=60)
    assert state.flow_status == "EXPIRED" and "runner running this login stopped" in state.error_message
    assert time.monotonic() - started < 60


def test_with_twenty_flows_waiting_a_new_login_starts_quickly_and_answers_arrive_fast(isolated, sandbox):
    isolated.runner()
    client = isolated.client
    waiting = [partial_connection(client, sandbox, f"w{i}") for i in range(20)]
    for connection in waiting:
        client.auth.connections.login(connection.id)
    for connection in waiting:
        wait_for(client, connection.id, awaiting_input, timeout=120)

    fresh = partial_connection(client, sandbox, "fresh")
    started = time.monotonic()
    client.auth.connections.login(fresh.id)
    wait_for(client, fresh.id, lambda s: s.progress_message != "Waiting for a browser" or s.flow_step != "DISCOVERING")
    first_step = time.monotonic() - started
    assert first_step < 5, f"first step after {first_step:.2f}s"

    # From the submit call to the runner's engine moving on (the step it writes when the answer arrives),
    # both on this machine's clock.
    delays = []
    for target in waiting[:5]:
        state = client.auth.connections.retrieve(target.id)
        submitted = time.time()
        client.auth.connections.submit(target.id, interaction_id=state.interaction_id, field_values={"fld_password": PASSWORD})
        delays.append(_resumed_at(isolated, target.id) - submitted)
    assert statistics.median(delays) < 0.2, f"answers reached their flows after {delays}"
    assert wait_until_finished(client, waiting[0].id).flow_status == "SUCCESS"


def _resumed_at(env: Isolated, connection_id: str, timeout: float = 10) -> float:
    """When the flow left AWAITING_INPUT, by the runner's own write."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        step, updated = env.latest_flow(connection_id)
        if step != "AWAITING_INPUT":
            return updated
        time.sleep(0.005)
    raise TimeoutError("the flow never resumed")


def test_beyond_the_runners_limit_logins_queue_and_say_so(tmp_path, sandbox):
    env = Isolated(tmp_path, {"AUTHHUB_SITE_PORTS": sandbox_ports(sandbox), "AUTHHUB_RUNNER_MAX_FLOWS": "1"})
    try:
        env.runner()
        client = env.client
        first, second = partial_connection(client, sandbox, "q1"), partial_connection(client, sandbox, "q2")
        client.auth.connections.login(first.id)
        wait_for(client, first.id, awaiting_input)
        client.auth.connections.login(second.id)
        queued = client.auth.connections.retrieve(second.id)
        assert (queued.flow_status, queued.flow_step, queued.progress_message) == ("IN_PROGRESS", "DISCOVERING", "Waiting for a browser")
        client.auth.connections.submit(first.id, fields={"password": PASSWORD})
        assert wait_until_finished(client, first.id).flow_status == "SUCCESS"
        wait_for(client, second.id, awaiting_input)  # the freed slot took the queued login
    finally:
        env.stop()
