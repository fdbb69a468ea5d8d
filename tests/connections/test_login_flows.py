"""Login flows end to end: the kernel SDK drives the API, a real runner drives Chromium through the sandbox."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from kernel import BadRequestError, ConflictError

from connections.models import AuthConnection, LoginFlow, Profile
from credentials.models import Credential
from tests.connections.flow_helpers import PASSWORD, awaiting_input, connect, wait_for, wait_until_finished
from tests.sites import accounts

pytestmark = [pytest.mark.usefixtures("live_db", "runner"), pytest.mark.slow]


def test_the_programmatic_flow_from_the_docs(client, sandbox, tenant):
    # A credential without the password; the person types it once and it is saved for next time.
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    login = client.auth.connections.login(connection.id)
    assert login.id == connection.id and login.flow_type == "LOGIN" and login.handoff_code
    assert login.hosted_url.endswith(f"/login/{connection.id}?code={login.handoff_code}")

    state = wait_for(client, connection.id, awaiting_input)
    assert [f.name for f in state.discovered_fields] == ["password"]
    assert [(f.ref, f.type, f.reason) for f in state.fields] == [("password", "password", "missing")]
    assert client.auth.connections.submit(connection.id, fields={"password": PASSWORD}).accepted is True

    done = wait_until_finished(client, connection.id)
    assert done.flow_status == "SUCCESS" and done.flow_step == "COMPLETED"
    assert done.status == "AUTHENTICATED" and done.post_login_url.endswith("/account")
    stored = Credential.objects.get(project=tenant.project, name="classic.localhost-p")
    assert stored.values == {"username": "alice", "password": PASSWORD}, "save_credentials merged what was typed"
    assert done.can_reauth is True and done.can_reauth_reason == "viable_plans_found"


def test_a_totp_code_is_submitted_from_the_credential(client, sandbox):
    connection = connect(client, sandbox, "totp.localhost", "/login", values={"email": accounts.EMAIL, "password": PASSWORD},
                         totp_secret=accounts.TOTP_SECRET)
    client.auth.connections.login(connection.id)
    done = wait_until_finished(client, connection.id)
    assert done.flow_status == "SUCCESS", done.error_message


def test_follow_streams_every_state_and_closes_after_the_terminal_one(client, sandbox):
    connection = connect(client, sandbox, "steps.localhost", "/signin", values={"email": accounts.EMAIL})
    client.auth.connections.login(connection.id)
    seen = []
    for event in client.auth.connections.follow(connection.id):
        if event.event != "managed_auth_state":
            continue
        seen.append((event.flow_status, event.flow_step))
        if event.flow_step == "AWAITING_INPUT" and event.fields:
            client.auth.connections.submit(
                connection.id, interaction_id=event.interaction_id, field_values={event.fields[0].id: PASSWORD}
            )
    assert seen[-1] == ("SUCCESS", "COMPLETED")
    assert ("IN_PROGRESS", "AWAITING_INPUT") in seen


def test_follow_on_a_finished_flow_sends_its_state_and_closes_at_once(client, sandbox):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice", "password": PASSWORD})
    client.auth.connections.login(connection.id)
    wait_until_finished(client, connection.id)
    started = time.monotonic()
    events = [e for e in client.auth.connections.follow(connection.id) if e.event == "managed_auth_state"]
    assert [e.flow_status for e in events] == ["SUCCESS"]
    assert time.monotonic() - started < 5


def test_an_already_logged_in_profile_finishes_without_typing(client, sandbox):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice", "password": PASSWORD})
    client.auth.connections.login(connection.id)
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    proof = AuthConnection.objects.get(pk=connection.id).fingerprint
    assert proof is not None and "Log out" in proof.controls and "ledgerly_session" in proof.cookies
    assert proof.path == "classic.localhost/account", "what proved the login is kept on the connection"
    before = len(sandbox.login_attempts("classic.localhost"))
    client.auth.connections.login(connection.id)
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    assert len(sandbox.login_attempts("classic.localhost")) == before


def test_submit_refuses_what_the_flow_did_not_ask(client, sandbox):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    with pytest.raises(BadRequestError) as info:
        client.auth.connections.submit(connection.id, fields={"password": PASSWORD})
    assert info.value.body["code"] == "no_flow_in_progress"

    client.auth.connections.login(connection.id)
    state = wait_for(client, connection.id, awaiting_input)
    with pytest.raises(BadRequestError) as info:
        client.auth.connections.submit(connection.id, fields={"pin": "1234"})
    assert info.value.body["code"] == "unknown_field" and "password" in info.value.body["message"]
    with pytest.raises(BadRequestError) as info:
        client.auth.connections.submit(connection.id, interaction_id="int_stale", field_values={"fld_password": "x"})
    assert info.value.body["code"] == "stale_interaction"
    with pytest.raises(BadRequestError) as info:
        client.auth.connections.submit(connection.id, mfa_option_id="sms")
    assert info.value.body["code"] == "unknown_choice"

    client.auth.connections.submit(connection.id, interaction_id=state.interaction_id, field_values={"fld_password": PASSWORD})
    # Answering the same pause again: 409 while the runner has not taken the first answer, 400 once it has.
    with pytest.raises((ConflictError, BadRequestError)) as info:
        client.auth.connections.submit(connection.id, interaction_id=state.interaction_id, field_values={"fld_password": PASSWORD})
    assert info.value.body["code"] in ("already_answered", "stale_interaction")
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"


def test_two_logins_at_once_share_one_flow(client, sandbox, tenant, server):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    results = []
    threads = [threading.Thread(target=lambda: results.append(client.auth.connections.login(connection.id))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r.flow_expires_at for r in results}) == 1
    assert results[0].handoff_code != results[1].handoff_code
    assert LoginFlow.objects.filter(connection_id=connection.id).count() == 1
    httpx.post(f"{server.url}/auth/connections/{connection.id}/cancel", headers={"Authorization": f"Bearer {tenant.key}"})


def test_a_flow_can_be_canceled(client, sandbox, tenant, server):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    client.auth.connections.login(connection.id)
    wait_for(client, connection.id, awaiting_input)
    response = httpx.post(f"{server.url}/auth/connections/{connection.id}/cancel", headers={"Authorization": f"Bearer {tenant.key}"})
    assert response.status_code == 200 and response.json()["flow_status"] == "CANCELED"
    state = client.auth.connections.retrieve(connection.id)
    assert state.flow_status == "CANCELED" and state.status == "NEEDS_AUTH"
    assert Profile.objects.get(pk=AuthConnection.objects.get(pk=connection.id).profile_id).state is None


def test_two_connections_sharing_a_profile_keep_both_sessions(client, sandbox, tenant):
    first = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice", "password": PASSWORD}, profile="shared")
    second = connect(client, sandbox, "steps.localhost", "/signin", values={"email": accounts.EMAIL, "password": PASSWORD}, profile="shared")
    client.auth.connections.login(first.id)
    client.auth.connections.login(second.id)
    assert wait_until_finished(client, first.id).flow_status == "SUCCESS"
    assert wait_until_finished(client, second.id).flow_status == "SUCCESS"
    state = Profile.objects.get(project=tenant.project, name="shared").state
    assert sandbox.whoami_with("classic.localhost", state) == "alice"
    assert sandbox.whoami_with("steps.localhost", state) == "alice"


def test_no_plaintext_flow_input_is_left_in_the_database(client, sandbox):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    client.auth.connections.login(connection.id)
    wait_for(client, connection.id, awaiting_input)
    client.auth.connections.submit(connection.id, fields={"password": PASSWORD})
    wait_until_finished(client, connection.id)
    from connections.models import FlowInput

    assert not FlowInput.objects.filter(flow__connection_id=connection.id).exists(), "consumed input is deleted"


def test_the_login_goes_through_the_connections_proxy(client, sandbox):
    from tests.support.servers import ForwardProxy, free_port

    forward = ForwardProxy(credentials="bob:proxy-pass-9")
    try:
        proxy = client.proxies.create(type="custom", protocol="http", config={
            "host": "127.0.0.1", "port": forward.port, "username": "bob", "password": "proxy-pass-9"})
        connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice", "password": PASSWORD})
        client.auth.connections.update(connection.id, browser={"proxy": {"id": proxy.id}})
        client.auth.connections.login(connection.id)
        assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
        assert any("classic.localhost" in target for _, target in forward.requests), "the browser went through the proxy"
    finally:
        forward.stop()

    down = client.proxies.create(type="custom", protocol="http", config={"host": "127.0.0.1", "port": free_port()})
    client.auth.connections.update(connection.id, browser={"proxy": {"id": down.id}})
    Profile.objects.filter(pk=AuthConnection.objects.get(pk=connection.id).profile_id).update(state=None)
    client.auth.connections.login(connection.id)
    failed = wait_until_finished(client, connection.id)
    assert (failed.flow_status, failed.error_code) == ("FAILED", "navigation_confused")
    assert "the proxy" in failed.error_message and "could not be reached" in failed.error_message


def test_what_a_person_types_becomes_a_new_credential_linked_to_the_connection(client, sandbox, tenant):
    connection = client.auth.connections.create(domain="classic.localhost", profile_name="fresh",
                                                login_url=sandbox.url("classic.localhost", "/login"))
    client.auth.connections.login(connection.id)
    state = wait_for(client, connection.id, awaiting_input)
    assert sorted(f.ref for f in state.fields) == ["password", "username"]
    client.auth.connections.submit(connection.id, fields={"username": "alice", "password": PASSWORD})
    done = wait_until_finished(client, connection.id)
    assert done.flow_status == "SUCCESS" and done.credential is not None
    saved = Credential.objects.get(project=tenant.project, name=done.credential.name)
    assert saved.values == {"username": "alice", "password": PASSWORD} and saved.domain == "classic.localhost"


def test_save_credentials_off_keeps_nothing_typed(client, sandbox, tenant):
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice"})
    client.auth.connections.update(connection.id, save_credentials=False)
    client.auth.connections.login(connection.id)
    wait_for(client, connection.id, awaiting_input)
    client.auth.connections.submit(connection.id, fields={"password": PASSWORD})
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    assert Credential.objects.get(project=tenant.project, name="classic.localhost-p").values == {"username": "alice"}


def test_no_secret_reaches_the_server_or_runner_logs(client, sandbox, server, runner):
    secret = "flow-log-secret-" + str(time.monotonic_ns())
    connection = connect(client, sandbox, "classic.localhost", "/login", values={"username": "alice", "password": secret})
    client.auth.connections.login(connection.id)
    state = wait_for(client, connection.id, awaiting_input)
    assert state.website_error and secret not in state.to_json()
    client.auth.connections.submit(connection.id, fields={"password": PASSWORD})
    assert wait_until_finished(client, connection.id).flow_status == "SUCCESS"
    logs = server.log_text() + runner.log_text()
    assert "flow_" in logs and "DEBUG" in logs, "sanity: both logs are there, at debug level"
    assert secret not in logs
    assert PASSWORD not in logs



def test_a_link_that_breaks_the_domain_rules_fails_the_login_before_a_browser_opens(client, sandbox, tenant, runner):
    # Made around the API (which refuses it with credential_domain_mismatch), as rows from before the rule are.
    bank = Credential.objects.create(organization=tenant.organization, project=tenant.project, name="bank",
                                     domain="bank.localhost")
    bank.set_values({"username": "alice", "password": "bank-only-secret"})
    bank.save()
    connection = client.auth.connections.create(domain="classic.localhost", profile_name="p",
                                                login_url=sandbox.url("classic.localhost", "/login"))
    AuthConnection.objects.filter(pk=connection.id).update(credential=bank)
    before = len(sandbox.received("classic.localhost"))
    client.auth.connections.login(connection.id)
    done = wait_until_finished(client, connection.id)
    assert (done.flow_status, done.error_code) == ("FAILED", "credential_domain_mismatch")
    assert "bank.localhost" in done.error_message
    assert sandbox.received("classic.localhost")[before:] == [], "a browser went to the site"


def test_a_credential_for_an_allowed_domain_is_never_typed_on_the_connections_own_site(client, sandbox, tenant, server):
    # Linkable (bank.localhost is allowed), but its password belongs to bank.localhost alone: the runner
    # tells the engine the credential's domain, so on classic.localhost a person is asked instead.
    client.credentials.create(name="bank", domain="bank.localhost", values={"password": "bank-only-secret"})
    connection = client.auth.connections.create(
        domain="classic.localhost", profile_name="p", credential={"name": "bank"}, allowed_domains=["bank.localhost"],
        login_url=sandbox.url("classic.localhost", "/login"),
    )
    before = len(sandbox.received("classic.localhost"))
    client.auth.connections.login(connection.id)
    state = wait_for(client, connection.id, awaiting_input)
    assert "password" in [f.ref for f in state.fields]
    canceled = httpx.post(f"{server.url}/auth/connections/{connection.id}/cancel",
                          headers={"Authorization": f"Bearer {tenant.key}"})
    assert canceled.status_code == 200
    assert not any("bank-only-secret" in r["body"] or "bank-only-secret" in str(r["query"])
                   for r in sandbox.received("classic.localhost")[before:])
