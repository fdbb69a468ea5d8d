"""Proxies are never bypassed (issue 7, section 4), through the kernel SDK and the live runner.

A login's ``browser.proxy.mode: direct`` is honoured over the connection's proxy; a per-login proxy
that is gone by the time the runner claims the flow fails it ``proxy_unavailable`` instead of running
direct; a proxy on an IPv6 address works.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.utils import timezone

from connections.models import AuthConnection, Proxy
from connections.runner import playwright_proxy
from tests.connections.flow_helpers import PASSWORD, connect, wait_until_finished
from tests.support.servers import BrowserRunnerProcess, ForwardProxy

pytestmark = [pytest.mark.usefixtures("live_db", "runner"), pytest.mark.slow]

HOST = "classic.localhost"


@pytest.fixture
def forward() -> Iterator[ForwardProxy]:
    proxy = ForwardProxy()
    yield proxy
    proxy.stop()


def custom_proxy(client, forward: ForwardProxy):  # noqa: ANN001, ANN201
    return client.proxies.create(type="custom", protocol="http", config={"host": forward.host, "port": forward.port})


@contextmanager
def runner_paused(runner: BrowserRunnerProcess) -> Iterator[None]:
    """Hold the runner (SIGSTOP) so what the test does next happens before it claims anything."""
    assert runner.process is not None
    os.kill(runner.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(runner.process.pid, signal.SIGCONT)


def went_through(forward: ForwardProxy, host: str) -> bool:
    return any(host in target for _, target in forward.requests)


@pytest.mark.parametrize("form", ["browser.proxy", "deprecated proxy"])
def test_mode_direct_on_a_login_runs_it_without_the_connections_proxy(client, sandbox, forward, form):  # noqa: ANN001
    connection = connect(client, sandbox, HOST, "/login", values={"username": "alice", "password": PASSWORD})
    client.auth.connections.update(connection.id, browser={"proxy": {"id": custom_proxy(client, forward).id}})

    direct = {"browser": {"proxy": {"mode": "direct"}}} if form == "browser.proxy" else {"proxy": {"mode": "direct"}}
    client.auth.connections.login(connection.id, **direct)
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    assert forward.requests == [], "a direct login went through the connection's proxy"

    # The control: without the override the same connection's next login does use its proxy.
    client.auth.connections.login(connection.id)
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    assert went_through(forward, HOST)


def test_mode_default_on_a_login_keeps_the_connections_proxy(client, sandbox, forward):  # noqa: ANN001
    connection = connect(client, sandbox, HOST, "/login", values={"username": "alice", "password": PASSWORD})
    client.auth.connections.update(connection.id, browser={"proxy": {"id": custom_proxy(client, forward).id}})
    client.auth.connections.login(connection.id, browser={"proxy": {"mode": "default"}})
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    assert went_through(forward, HOST), "mode default dropped the connection's proxy"


def test_a_per_login_proxy_deleted_before_the_runner_claims_the_flow_fails_it_and_never_runs_direct(
    client, sandbox, forward, runner  # noqa: ANN001
):
    connection = connect(client, sandbox, HOST, "/login", values={"username": "alice", "password": PASSWORD})
    proxy = custom_proxy(client, forward)
    before = len(sandbox.received(HOST))
    with runner_paused(runner):
        client.auth.connections.login(connection.id, browser={"proxy": {"id": proxy.id}})
        # Soft-deleted in the database, as a delete racing the login would leave it: the runner must not
        # count on the API having refused the delete.
        Proxy.objects.filter(pk=proxy.id).update(deleted_at=timezone.now())
    done = wait_until_finished(client, connection.id)
    assert (done.flow_status, done.error_code) == ("FAILED", "proxy_unavailable")
    assert proxy.id in done.error_message and "deleted" in done.error_message
    assert sandbox.received(HOST)[before:] == [], "the login ran direct"
    assert forward.requests == []
    assert AuthConnection.objects.get(pk=connection.id).status == "NEEDS_AUTH"


def test_a_connection_whose_own_proxy_was_deleted_around_the_api_fails_instead_of_running_direct(
    client, sandbox, forward  # noqa: ANN001
):
    connection = connect(client, sandbox, HOST, "/login", values={"username": "alice", "password": PASSWORD})
    proxy = custom_proxy(client, forward)
    client.auth.connections.update(connection.id, browser={"proxy": {"id": proxy.id}})
    # The API refuses to delete a proxy a connection uses (resource_in_use); a row edited around it must
    # still never turn into a direct login.
    Proxy.objects.filter(pk=proxy.id).update(deleted_at=timezone.now())
    before = len(sandbox.received(HOST))
    client.auth.connections.login(connection.id)
    done = wait_until_finished(client, connection.id)
    assert (done.flow_status, done.error_code) == ("FAILED", "proxy_unavailable")
    assert sandbox.received(HOST)[before:] == [] and forward.requests == []


def test_a_proxy_on_an_ipv6_address_carries_the_login(client, sandbox):  # noqa: ANN001
    forward = ForwardProxy(host="::1")
    try:
        connection = connect(client, sandbox, HOST, "/login", values={"username": "alice", "password": PASSWORD})
        client.auth.connections.update(connection.id, browser={"proxy": {"id": custom_proxy(client, forward).id}})
        client.auth.connections.login(connection.id)
        done = wait_until_finished(client, connection.id)
        assert done.flow_status == "SUCCESS", done.error_message
        assert went_through(forward, HOST)
    finally:
        forward.stop()


@pytest.mark.parametrize(
    ("host", "expected"),
    [("::1", "http://[::1]:3128"), ("2001:db8::7", "http://[2001:db8::7]:3128"), ("10.0.0.7", "http://10.0.0.7:3128")],
)
def test_playwright_gets_ipv6_proxy_hosts_in_brackets(host, expected):
    proxy = Proxy(type=Proxy.Type.CUSTOM, protocol=Proxy.Protocol.HTTP, config={"host": host, "port": 3128})
    assert playwright_proxy(proxy)["server"] == expected
