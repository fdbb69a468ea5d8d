"""The host rules on their own: sites, too-broad domains, and the one predicate behind linking and typing."""

from __future__ import annotations

import itertools

import pytest

from connections.engine.hosts import HostPolicy, site_of, too_broad


@pytest.mark.parametrize(
    ("host", "site"),
    [("login.example.co.uk", "example.co.uk"), ("alice.github.io", "alice.github.io"), ("a.b.example.com", "example.com"),
     ("app.localhost", "app.localhost"), ("acme.okta.com", "acme.okta.com"), ("acme.us.auth0.com", "acme.us.auth0.com"),
     ("acme.atlassian.net", "acme.atlassian.net")],
)
def test_a_site_is_the_registrable_domain_except_local_names_and_tenants(host, site):
    assert site_of(host) == site


@pytest.mark.parametrize("domain", ["com", "co.uk", "github.io", "herokuapp.com", "okta.com", "auth0.com", "atlassian.net"])
def test_public_suffixes_and_multi_tenant_roots_are_too_broad(domain):
    assert too_broad(domain)


@pytest.mark.parametrize("domain", ["example.com", "alice.github.io", "acme.okta.com", "bank.localhost", "localhost"])
def test_one_owners_domains_are_not_too_broad(domain):
    assert too_broad(domain) is None


def test_a_tenant_never_covers_another_tenant_of_its_root():
    policy = HostPolicy("acme.okta.com", credential_domain="acme.okta.com")
    assert policy.may_type_stored("password", "acme.okta.com")
    assert not policy.allows_host("evil.okta.com") and not policy.allows_host("okta.com")


def test_identifiers_may_go_to_the_connections_site_and_secrets_only_to_the_credentials():
    policy = HostPolicy("app.example.com", ["idp.example.net"], credential_domain="idp.example.net")
    assert policy.may_type_stored("email", "app.example.com") and policy.may_type_stored("email", "idp.example.net")
    assert policy.may_type_stored("password", "login.idp.example.net")
    assert not policy.may_type_stored("password", "app.example.com")
    assert not policy.may_type_stored("totp_code", "app.example.com")


def test_a_built_in_identity_provider_does_not_make_a_stored_credential_usable():
    assert not HostPolicy("evil.example", credential_domain="accounts.google.com").credential_usable()
    assert HostPolicy("app.example", ["accounts.google.com"], credential_domain="accounts.google.com").credential_usable()


HOSTS = ["example.com", "login.example.com", "app.example.com", "idp.example.net", "accounts.google.com",
         "acme.okta.com", "evil.okta.com", "bank.localhost", "collector.localhost"]


@pytest.mark.parametrize(("domain", "allowed", "credential"), [
    (d, a, c) for d, a, c in itertools.product(
        ["app.example.com", "example.com", "collector.localhost", "acme.okta.com"],
        [[], ["idp.example.net"], ["bank.localhost"], ["accounts.google.com"], ["evil.okta.com"]],
        ["example.com", "login.example.com", "idp.example.net", "bank.localhost", "accounts.google.com", "acme.okta.com"],
    )
])
def test_linking_is_allowed_exactly_when_some_host_would_take_the_credentials_secrets(domain, allowed, credential):
    # One predicate: a link is refused iff no host the connection may type on takes the password.
    policy = HostPolicy(domain, allowed, credential_domain=credential)
    typable = [h for h in HOSTS + [domain, credential, *allowed] if policy.may_type_stored("password", h)]
    assert policy.credential_usable() is bool(typable), typable
