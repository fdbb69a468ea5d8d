"""Deleting stops work at once (issue 7, section 5).

Each case catches the engine mid-login on slow.localhost — its identifier POST is held by the server —
deletes what the login depends on, and checks what the site saw: the page's heartbeat stops within a
second (the browser context closed), the password is never posted, and the runner's log shows the
flow stopped without an error.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from kernel import Kernel

from connections.models import AuthConnection, LoginFlow
from tests.conftest import Tenant
from tests.connections.flow_helpers import PASSWORD, wait_until_finished
from tests.sites import accounts
from tests.sites.slow import SlowSite
from tests.support.servers import wait_until

pytestmark = [pytest.mark.usefixtures("live_db"), pytest.mark.slow]

HOST = "slow.localhost"


@dataclass
class MidLogin:
    run: str
    connection_id: str
    flow_id: str
    log_offset: int


@pytest.fixture
def site(sandbox) -> SlowSite:  # noqa: ANN001
    found = sandbox.site(HOST)
    assert isinstance(found, SlowSite)
    return found


@pytest.fixture
def mid_login(client, sandbox, runner, site) -> Any:  # noqa: ANN001
    """Start a login through the SDK and return once the site holds its identifier POST."""
    runs: list[str] = []

    def start() -> MidLogin:
        run = secrets.token_hex(6)
        runs.append(run)
        client.credentials.create(name="slow", domain=HOST, values={"email": accounts.EMAIL, "password": PASSWORD})
        connection = client.auth.connections.create(
            domain=HOST, profile_name="p", credential={"name": "slow"}, login_url=sandbox.url(HOST, f"/login?run={run}"),
        )
        offset = len(runner.log_text())
        client.auth.connections.login(connection.id)
        wait_until(lambda: site.events(run, "identifier"), 30, what="the identifier POST")
        held_at = site.events(run, "identifier")[0].at
        # The page keeps beating while its POST is held: the measure below is live, not vacuous.
        wait_until(lambda: any(e.at > held_at for e in site.events(run, "ping")), 5, what="a heartbeat during the hold")
        flow_id = LoginFlow.objects.get(connection_id=connection.id).pk
        return MidLogin(run, connection.id, flow_id, offset)

    yield start
    for run in runs:
        site.release(run)  # never leave a server thread holding a POST


def delete_connection(client: Kernel, tenant: Tenant, login: MidLogin) -> None:
    client.auth.connections.delete(login.connection_id)


def delete_profile(client: Kernel, tenant: Tenant, login: MidLogin) -> None:
    client.profiles.delete("p")


def delete_project(client: Kernel, tenant: Tenant, login: MidLogin) -> None:
    tenant.project.delete()


def delete_organization(client: Kernel, tenant: Tenant, login: MidLogin) -> None:
    tenant.organization.delete()


def delete_credential(client: Kernel, tenant: Tenant, login: MidLogin) -> None:
    client.credentials.delete("slow")


def unlink_credential(client: Kernel, tenant: Tenant, login: MidLogin) -> None:
    client.auth.connections.update(login.connection_id, credential=None)


# (action, whether the connection survives it, the reason its canceled flow gives)
CASES: dict[str, tuple[Callable[..., None], bool, str]] = {
    "connection": (delete_connection, False, ""),
    "profile": (delete_profile, False, ""),
    "project": (delete_project, False, ""),
    "organization": (delete_organization, False, ""),
    "credential": (delete_credential, True, "credential was deleted"),
    "credential-unlinked": (unlink_credential, True, "credential was changed"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_delete_mid_login_closes_the_browser_within_a_second_and_nothing_more_is_typed(
    case, client, tenant, runner, site, mid_login  # noqa: ANN001
):
    action, survives, reason = CASES[case]
    login = mid_login()

    deleted_at = time.monotonic()
    action(client, tenant, login)
    # The runner's task ends by cancellation only once the engine closed the browser context.
    wait_until(lambda: f"flow {login.flow_id} stopped" in runner.log_text()[login.log_offset:], 10,
               what="the runner to stop the flow")

    pings = [e.at for e in site.events(login.run, "ping")]
    assert any(deleted_at - 1.0 < at <= deleted_at for at in pings), "the heartbeat was alive when the delete came"
    assert max(pings) - deleted_at < 1.0, f"heartbeats went on {max(pings) - deleted_at:.2f}s after the delete"

    # Now let the held POST answer: a browser still alive would go on to the password page and post it.
    site.release(login.run)
    wait_until(lambda: site.events(login.run, "identifier-answered"), 10, what="the held POST to answer")
    assert site.events(login.run, "password") == [], "the password was posted after the delete"

    log = runner.log_text()[login.log_offset:]
    assert f"flow {login.flow_id} crashed" not in log and "Traceback" not in log and "never retrieved" not in log, log

    if survives:
        flow = LoginFlow.objects.get(pk=login.flow_id)
        assert flow.status == LoginFlow.Status.CANCELED and reason in flow.error_message, flow.error_message
        assert AuthConnection.objects.get(pk=login.connection_id).credential_id is None
    else:
        assert not LoginFlow.objects.filter(pk=login.flow_id).exists()


def test_released_without_a_delete_the_same_login_goes_on_to_type_the_password(client, site, mid_login):  # noqa: ANN001
    """The control for the test above: on this site the engine does post the password once the hold ends."""
    login = mid_login()
    site.release(login.run)
    assert wait_until_finished(client, login.connection_id).flow_status == "SUCCESS"
    assert len(site.events(login.run, "password")) == 1
