"""A stored secret is typed only on its own site and leaves the browser only toward it.

The owner stores a bank credential; a second API key of the same project (a colleague, a leaked key,
a confused agent) then tries every route to make AuthHub type or send it elsewhere. The collecting
sandbox site must receive nothing of it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from kernel import BadRequestError, Kernel

from authhub import services
from connections.models import AuthConnection, LoginFlow
from tests.connections.flow_helpers import (
    PASSWORD,
    assert_no_secret_received,
    awaiting_input,
    wait_for,
    wait_until_finished,
)
from tests.sites import accounts

pytestmark = [pytest.mark.usefixtures("live_db", "runner"), pytest.mark.slow]

COLLECTOR = "collector.localhost"


def assert_collector_got_no_secret(sandbox, before: int) -> list[dict]:
    received = sandbox.received(COLLECTOR)[before:]
    assert_no_secret_received(received)
    return received


def login_once(client: Kernel, **connection: Any) -> tuple[Any, Any]:
    """Create a connection, start its login and wait for the end: (connection, final state)."""
    created = client.auth.connections.create(**connection)
    client.auth.connections.login(created.id)
    return created, wait_until_finished(client, created.id)


@pytest.fixture
def bank(client, tenant) -> str:
    """The owner's bank credential."""
    client.credentials.create(name="bank", domain="bank.localhost",
                              values={"username": accounts.USERNAME, "password": PASSWORD})
    return "bank"


@pytest.fixture
def intruder(tenant) -> Kernel:
    """A second key of the same project."""
    _, key = services.apikey_create(organization=tenant.organization, project=tenant.project)
    return Kernel(api_key=key, base_url=tenant.base_url)


def test_a_connection_for_another_site_cannot_link_the_bank_credential(intruder, bank, sandbox, tenant):
    with pytest.raises(BadRequestError) as refused:
        intruder.auth.connections.create(domain=COLLECTOR, profile_name="x", credential={"name": bank},
                                         login_url=sandbox.url(COLLECTOR, "/login"))
    assert refused.value.body["code"] == "credential_domain_mismatch"
    assert not AuthConnection.objects.filter(project=tenant.project).exists()

    plain = intruder.auth.connections.create(domain=COLLECTOR, profile_name="x")
    with pytest.raises(BadRequestError) as refused:
        intruder.auth.connections.update(plain.id, credential={"name": bank})
    assert refused.value.body["code"] == "credential_domain_mismatch"
    assert AuthConnection.objects.get(pk=plain.id).credential_id is None


def test_an_identity_provider_credential_links_only_where_its_host_is_listed(intruder, client):
    # Google is a built-in identity provider, but a connection must name it to use the project's account.
    client.credentials.create(name="google", domain="accounts.google.com", sso_provider="google",
                              values={"email": accounts.EMAIL, "password": PASSWORD})
    with pytest.raises(BadRequestError) as refused:
        intruder.auth.connections.create(domain=COLLECTOR, profile_name="g", credential={"name": "google"})
    assert refused.value.body["code"] == "credential_domain_mismatch"
    listed = intruder.auth.connections.create(domain="target-site.com", profile_name="g", credential={"name": "google"},
                                              allowed_domains=["accounts.google.com"])
    assert listed.credential.name == "google"


def test_dropping_the_allowed_domain_a_linked_credential_needs_is_refused(intruder, client, sandbox):
    client.credentials.create(name="idp", domain="idp.localhost", values={"email": accounts.EMAIL, "password": PASSWORD})
    connection = intruder.auth.connections.create(domain="sso-app.localhost", profile_name="s", credential={"name": "idp"},
                                                  allowed_domains=["idp.localhost"])
    with pytest.raises(BadRequestError) as refused:
        intruder.auth.connections.update(connection.id, allowed_domains=[])
    assert refused.value.body["code"] == "credential_domain_mismatch"
    assert AuthConnection.objects.get(pk=connection.id).allowed_domains == ["idp.localhost"]


@pytest.mark.parametrize("domain", ["com", "github.io", "okta.com", "auth0.com"])
def test_public_suffixes_and_multi_tenant_roots_are_too_broad_for_any_domain_field(intruder, domain):
    for attempt in (
        lambda: intruder.credentials.create(name=f"c-{domain}", domain=domain, values={"password": PASSWORD}),
        lambda: intruder.auth.connections.create(domain=domain, profile_name="b"),
        lambda: intruder.auth.connections.create(domain="bank.localhost", profile_name="b", allowed_domains=[domain]),
    ):
        with pytest.raises(BadRequestError) as refused:
            attempt()
        assert refused.value.body["code"] == "domain_too_broad"


def test_a_collecting_page_on_the_connections_own_domain_never_gets_the_bank_password(intruder, bank, sandbox):
    # The link is allowed (the bank is an allowed domain), but the page asking is the collector's.
    before = len(sandbox.received(COLLECTOR))
    connection = intruder.auth.connections.create(
        domain=COLLECTOR, profile_name="c", credential={"name": bank}, allowed_domains=["bank.localhost"],
        login_url=sandbox.url(COLLECTOR, "/login"),
    )
    intruder.auth.connections.login(connection.id)
    state = wait_for(intruder, connection.id, awaiting_input)
    # The username is an identifier and may be typed on the connection's own site; the password is asked.
    assert [(f.ref, f.reason) for f in state.fields] == [("password", "missing")]
    intruder.auth.connections.delete(connection.id)
    assert_collector_got_no_secret(sandbox, before)


def test_a_foreign_allowed_domain_gets_nothing_of_the_bank_credential(intruder, bank, sandbox):
    before = len(sandbox.received(COLLECTOR))
    connection = intruder.auth.connections.create(
        domain="bank.localhost", profile_name="f", credential={"name": bank}, allowed_domains=[COLLECTOR],
        login_url=sandbox.url(COLLECTOR, "/login"),
    )
    intruder.auth.connections.login(connection.id)
    state = wait_for(intruder, connection.id, awaiting_input)
    assert sorted(f.ref for f in state.fields) == ["password", "username"], "neither is the collector's to get"
    intruder.auth.connections.delete(connection.id)
    assert_collector_got_no_secret(sandbox, before)


def test_a_redirect_to_another_host_types_nothing_there(intruder, bank, sandbox):
    before = len(sandbox.received(COLLECTOR))
    target = sandbox.url(COLLECTOR, "/login")
    _, done = login_once(
        intruder,
        domain="bank.localhost", profile_name="r", credential={"name": bank},
        login_url=sandbox.url("bank.localhost", f"/go?to={quote(target, safe='')}"),
    )
    assert (done.flow_status, done.error_code) == ("FAILED", "domain_not_allowed")
    assert COLLECTOR in done.error_message
    assert_collector_got_no_secret(sandbox, before)


def test_a_skimming_script_on_the_bank_page_sends_nothing_out(intruder, bank, sandbox):
    before = len(sandbox.received(COLLECTOR))
    connection, done = login_once(
        intruder,
        domain="bank.localhost", profile_name="skim", credential={"name": bank},
        login_url=sandbox.url("bank.localhost", "/login?skim=beacon"),
    )
    assert (done.flow_status, done.error_code) == ("FAILED", "domain_not_allowed"), done.error_message
    assert "collector.localhost" in done.error_message
    assert_collector_got_no_secret(sandbox, before)
    # The flow keeps where each value was typed (never the values).
    flow = LoginFlow.objects.get(connection_id=connection.id)
    assert flow.typed_hosts == {"username": "bank.localhost", "password": "bank.localhost"}


def test_a_websocket_to_a_foreign_host_never_connects(intruder, bank, sandbox):
    # The page opens it before anything is typed and sends the password down it as it is typed.
    before = len(sandbox.received(COLLECTOR))
    _, done = login_once(
        intruder,
        domain="bank.localhost", profile_name="ws", credential={"name": bank},
        login_url=sandbox.url("bank.localhost", "/login?skim=ws"),
    )
    assert done.flow_status == "SUCCESS", done.error_message  # nothing secret was attempted: the login goes on
    received = assert_collector_got_no_secret(sandbox, before)
    assert not [r for r in received if r["path"] == "/ws"], "not even the handshake reached the collector"


def test_a_skimming_script_cannot_send_even_to_an_allowed_domain_of_another_site(intruder, bank, sandbox):
    # The collector is allowed (the intruder listed it), so only the site lock stands between them.
    before = len(sandbox.received(COLLECTOR))
    _, done = login_once(
        intruder,
        domain="bank.localhost", profile_name="lock", credential={"name": bank}, allowed_domains=[COLLECTOR],
        login_url=sandbox.url("bank.localhost", "/login?skim=beacon"),
    )
    assert (done.flow_status, done.error_code) == ("FAILED", "domain_not_allowed"), done.error_message
    assert_collector_got_no_secret(sandbox, before)


def test_another_tenant_of_the_identity_provider_gets_nothing(intruder, client, sandbox):
    # acme.okta.com and evil.okta.com share a root, but each tenant is a site of its own.
    client.credentials.create(name="okta", domain="acme.okta.com",
                              values={"username": accounts.USERNAME, "password": PASSWORD})
    before = len(sandbox.received("evil.okta.com"))
    _, done = login_once(
        intruder,
        domain="acme.okta.com", profile_name="t", credential={"name": "okta"},
        login_url=sandbox.url("acme.okta.com", "/login?skim=beacon"),
    )
    assert (done.flow_status, done.error_code) == ("FAILED", "domain_not_allowed"), done.error_message
    assert "evil.okta.com" in done.error_message
    assert_no_secret_received(sandbox.received("evil.okta.com")[before:])
