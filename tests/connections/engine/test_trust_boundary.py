"""The engine's own trust rules, under real-world names the egress guard maps to the sandbox:
tenants of a shared identity-provider root are separate sites, and secrets never go over plain http
unless that was chosen."""

from __future__ import annotations

from dataclasses import replace

import pytest

from connections.engine import ErrorCode, LoginEngine, LoginRequest, Outcome
from tests.connections.flow_helpers import assert_no_secret_received
from tests.sites import accounts

STATIC = {"acme.okta.com": "127.0.0.1", "evil.okta.com": "127.0.0.1", "bank.example.com": "127.0.0.1"}
BANK = {"username": accounts.USERNAME, "password": accounts.PASSWORD}


@pytest.fixture(scope="module")
def real_names(browser_host, sandbox_config, sandbox) -> LoginEngine:
    config = replace(sandbox_config, static_hosts=STATIC,
                     site_ports={**sandbox_config.site_ports, **{host: sandbox.port for host in STATIC}})
    return LoginEngine(browser_host.browser, config)


def test_another_tenant_of_the_same_identity_provider_root_is_another_site(real_names, loop, sandbox):
    before = len(sandbox.received("evil.okta.com"))
    result = loop.run(real_names.login(LoginRequest(
        domain="acme.okta.com", login_url=sandbox.url("acme.okta.com", "/login?skim=beacon"), values=BANK,
    )))
    assert (result.outcome, result.error_code) == (Outcome.FAILED, ErrorCode.DOMAIN_NOT_ALLOWED)
    assert "evil.okta.com" in result.error_message
    assert_no_secret_received(sandbox.received("evil.okta.com")[before:])


def test_a_secret_is_never_typed_into_a_plain_http_page_it_was_redirected_to(real_names, loop, sandbox):
    # The explicit http:// login_url is on bank.localhost; the redirect lands on http://bank.example.com.
    attempts = len(sandbox.login_attempts("bank.example.com"))
    target = sandbox.url("bank.example.com", "/login")
    result = loop.run(real_names.login(LoginRequest(
        domain="bank.example.com", allowed_domains=["bank.localhost"], values=BANK,
        login_url=sandbox.url("bank.localhost", f"/go?to={target}"),
    )))
    assert (result.outcome, result.error_code) == (Outcome.FAILED, ErrorCode.DOMAIN_NOT_ALLOWED)
    assert "plain http" in result.error_message
    assert len(sandbox.login_attempts("bank.example.com")) == attempts


def test_an_explicit_http_login_url_is_honoured(real_names, loop, sandbox):
    result = loop.run(real_names.login(LoginRequest(
        domain="bank.example.com", login_url=sandbox.url("bank.example.com", "/login"), values=BANK,
    )))
    assert result.outcome == Outcome.SUCCESS, result.error_message


def test_discovery_from_a_bare_domain_tries_https_only(real_names, loop, sandbox):
    before = len(sandbox.received("bank.example.com"))
    result = loop.run(real_names.login(LoginRequest(domain="bank.example.com", values=BANK)))
    assert result.outcome == Outcome.FAILED
    assert sandbox.received("bank.example.com")[before:] == [], "no plain-http request was made"


def test_the_site_lock_ends_with_the_sites_documents_so_the_next_site_can_post(login, sandbox):
    # The password is typed on the bank; the bank then sends the browser to another site, which must
    # POST to start its session before it shows the person as signed in.
    before = len(sandbox.received("portal.localhost"))
    welcome = sandbox.url("portal.localhost", "/welcome")
    result = login("bank.localhost", path=f"/login?return_to={welcome}", values=BANK, allowed_domains=["portal.localhost"])
    assert result.outcome == Outcome.SUCCESS, result.error_message
    posts = [r for r in sandbox.received("portal.localhost")[before:] if r["method"] == "POST"]
    # Once, on the landing; the session is proved on a fresh page of the bank, the connection's own site.
    assert [(r["path"], r["body"]) for r in posts] == [("/api/session", "start")]
