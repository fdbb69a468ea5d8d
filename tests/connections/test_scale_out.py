"""Scale-out parts for real: Redis carries the runner's updates to the hosted page's WebSocket."""

from __future__ import annotations

import json
import shutil
import statistics
import time

import pytest

from tests.conftest import sandbox_ports
from tests.connections.flow_helpers import PASSWORD
from tests.support.environments import Isolated, RedisServer
from tests.support.websocket import WebSocketClient

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server (make test installs it)")]


@pytest.fixture
def redis():
    server = RedisServer()
    yield server
    server.stop()


def hosted_token(env: Isolated, connection_id: str, code: str) -> str:
    import httpx

    return httpx.post(f"{env.server.url}/auth/connections/{connection_id}/exchange", json={"code": code}).json()["jwt"]


def test_with_redis_the_runner_pushes_every_step_to_the_page_at_once(tmp_path, sandbox, redis):
    env = Isolated(tmp_path, {"AUTHHUB_SITE_PORTS": sandbox_ports(sandbox), "REDIS_URL": redis.url})
    try:
        env.runner()
        client = env.client
        client.credentials.create(name="c", domain="classic.localhost", values={"username": "alice"})
        connection = client.auth.connections.create(domain="classic.localhost", profile_name="p", credential={"name": "c"},
                                                    login_url=sandbox.url("classic.localhost", "/login"))
        login = client.auth.connections.login(connection.id)
        token = hosted_token(env, connection.id, login.handoff_code)
        ws = WebSocketClient(f"{env.server.url.replace('http', 'ws')}/ws/auth/connections/{connection.id}?token={token}")
        delays, states = [], []
        try:
            while True:
                message = ws.receive()
                if message is None:
                    break
                received = time.time()
                state = json.loads(message)
                states.append((state["flow_status"], state["flow_step"]))
                # When the runner wrote this state, by its own clock (same machine), to when the page had it.
                delays.append(received - env.latest_flow(connection.id)[1])
                if state["flow_step"] == "AWAITING_INPUT":
                    client.auth.connections.submit(connection.id, fields={"password": PASSWORD})
        finally:
            ws.close()
        assert states[-1] == ("SUCCESS", "COMPLETED")
        assert ("IN_PROGRESS", "AWAITING_INPUT") in states
        # Pushed, not reconciled: the reconcile interval with Redis is 2 s.
        assert statistics.median(delays) < 0.5, delays
    finally:
        env.stop()

