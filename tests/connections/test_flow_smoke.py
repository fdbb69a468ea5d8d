import time

import pytest

from tests.sites import accounts

pytestmark = pytest.mark.usefixtures("live_db")


def test_smoke(client, runner, sandbox):
    client.credentials.create(name="c", domain="classic.localhost", values={"username": "alice"})
    conn = client.auth.connections.create(domain="classic.localhost", profile_name="p1", credential={"name": "c"},
                                          login_url=sandbox.url("classic.localhost", "/login"))
    login = client.auth.connections.login(conn.id)
    print(login)
    deadline = time.time() + 30
    while time.time() < deadline:
        state = client.auth.connections.retrieve(conn.id)
        print(state.flow_status, state.flow_step)
        if state.flow_step == "AWAITING_INPUT":
            break
        time.sleep(0.2)
    assert [f.name for f in state.discovered_fields] == ["password"]
    client.auth.connections.submit(conn.id, fields={"password": accounts.PASSWORD})
    while time.time() < deadline:
        state = client.auth.connections.retrieve(conn.id)
        if state.flow_status != "IN_PROGRESS":
            break
        time.sleep(0.2)
    print(state)
    assert state.flow_status == "SUCCESS"
    assert state.status == "AUTHENTICATED"
