"""Auth connections through the kernel SDK: create, read, update, list, delete."""

from __future__ import annotations

import pytest
from kernel import BadRequestError, ConflictError, NotFoundError

from connections.models import Profile

pytestmark = pytest.mark.usefixtures("live_db")


def test_create_makes_the_profile_and_applies_kernels_defaults(client, tenant):
    created = client.auth.connections.create(domain="Example.COM", profile_name="work")
    assert created.id.startswith("ma_")
    assert (created.domain, created.profile_name, created.status) == ("example.com", "work", "NEEDS_AUTH")
    assert (created.health_checks, created.health_check_interval, created.auto_reauth) == (True, 3600, True)
    assert (created.save_credentials, created.record_session) == (True, False)
    assert created.flow_status is None and created.can_reauth is False and created.can_reauth_reason == "no_credential"
    assert Profile.objects.filter(project=tenant.project, name="work").exists()


def test_options_are_stored_and_echoed(client):
    client.credentials.create(name="sso-cred", domain="accounts.google.com", values={"email": "a@b.c"}, sso_provider="google")
    proxy = client.proxies.create(type="custom", name="office", config={"host": "p.example", "port": 3128})
    created = client.auth.connections.create(
        domain="app.example.com", profile_name="p", login_url="https://app.example.com/login",
        credential={"name": "sso-cred"}, allowed_domains=["*.Corp-IdP.net", "www.partner.org", "accounts.google.com"],
        health_check_interval=600, health_checks=False, auto_reauth=False, save_credentials=False,
        record_session=True, browser={"proxy": {"name": "office"}, "region": "eu-west", "stealth": False},
    )
    assert created.login_url == "https://app.example.com/login"
    assert created.credential.name == "sso-cred" and created.sso_provider == "google"
    assert created.allowed_domains == ["corp-idp.net", "partner.org", "accounts.google.com"]
    assert (created.health_check_interval, created.health_checks, created.auto_reauth) == (600, False, False)
    assert (created.save_credentials, created.record_session) == (False, True)
    assert created.browser.proxy.id == proxy.id and created.proxy_id == proxy.id
    assert created.browser.region == "eu-west" and created.browser.stealth is False


def test_the_deprecated_top_level_proxy_is_accepted(client):
    proxy = client.proxies.create(type="custom", config={"host": "p.example", "port": 3128})
    created = client.auth.connections.create(domain="old.example", profile_name="p", proxy={"id": proxy.id})
    assert created.proxy_id == proxy.id


def test_a_duplicate_domain_and_profile_is_a_conflict_sent_once(client):
    client.auth.connections.create(domain="dup.example", profile_name="p")
    with pytest.raises(ConflictError) as info:
        client.auth.connections.create(domain="dup.example", profile_name="p")
    assert info.value.response.headers["x-should-retry"] == "false"
    assert client.auth.connections.create(domain="dup.example", profile_name="other").profile_name == "other"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"credential": {"provider": "onepassword", "path": "Vault/Item"}}, "not available yet"),
        ({"credential": {"name": "missing"}}, "was not found"),
        ({"browser": {"proxy": {"name": "nope"}}}, "was not found"),
        ({"browser": {"proxy": {}}}, "exactly one"),
        ({"login_url": "ftp://x.example/"}, "http or https"),
        ({"health_check_interval": 10}, "greater than or equal to 300"),
        ({"profile_name": "bad name!"}, "profile_name"),
        ({"domain": "https://x.example/login"}, "not a URL"),
    ],
)
def test_bad_connections_are_refused_with_a_clear_message(client, kwargs, fragment):
    params = {"domain": "bad.example", "profile_name": "p"} | kwargs
    with pytest.raises((BadRequestError, NotFoundError)) as info:
        client.auth.connections.create(**params)
    assert fragment in info.value.body["message"]
    assert list(client.auth.connections.list(domain="bad.example")) == []


def test_a_malformed_login_url_on_update_is_a_400_not_a_500(client):
    created = client.auth.connections.create(domain="malformed.example", profile_name="p")
    with pytest.raises(BadRequestError) as info:
        client.auth.connections.update(created.id, login_url="http://[::1")
    assert info.value.body["code"] == "invalid_request" and "login_url" in info.value.body["message"]


def test_update_changes_only_what_is_sent(client):
    created = client.auth.connections.create(domain="upd.example", profile_name="p", record_session=True,
                                             allowed_domains=["idp.example"])
    updated = client.auth.connections.update(created.id, health_check_interval=900)
    assert updated.health_check_interval == 900 and updated.record_session is True
    assert updated.allowed_domains == ["idp.example"]
    replaced = client.auth.connections.update(created.id, allowed_domains=["other.example"], login_url="")
    assert replaced.allowed_domains == ["other.example"] and replaced.login_url is None


def test_list_filters_and_pages_and_delete(client):
    for i in range(5):
        client.auth.connections.create(domain=f"site{i}.example", profile_name="shared" if i % 2 else "solo")
    assert [c.domain for c in client.auth.connections.list(limit=2)] == [f"site{i}.example" for i in range(5)]
    assert [c.domain for c in client.auth.connections.list(profile_name="shared")] == ["site1.example", "site3.example"]
    assert [c.domain for c in client.auth.connections.list(domain="site2.example")] == ["site2.example"]
    assert [c.domain for c in client.auth.connections.list(query="te4")] == ["site4.example"]
    victim = client.auth.connections.list(domain="site0.example").items[0]
    client.auth.connections.delete(victim.id)
    with pytest.raises(NotFoundError):
        client.auth.connections.retrieve(victim.id)


def test_a_proxy_in_use_cannot_be_deleted(client):
    proxy = client.proxies.create(type="custom", name="busy", config={"host": "p.example", "port": 3128})
    connection = client.auth.connections.create(domain="px.example", profile_name="p", browser={"proxy": {"id": proxy.id}})
    with pytest.raises(BadRequestError) as info:
        client.proxies.delete(proxy.id)
    assert info.value.body["code"] == "resource_in_use"
    client.auth.connections.update(connection.id, browser={"proxy": {"mode": "direct"}})
    client.proxies.delete(proxy.id)


def test_deleting_a_credential_unlinks_it(client):
    client.credentials.create(name="linked", domain="cred.example", values={"username": "u"})
    connection = client.auth.connections.create(domain="cred.example", profile_name="p", credential={"name": "linked"})
    assert connection.credential.name == "linked"
    client.credentials.delete("linked")
    again = client.auth.connections.retrieve(connection.id)
    assert again.credential is None and again.can_reauth_reason == "no_credential"


def test_another_tenant_sees_no_connection(make_tenant):
    mine, theirs = make_tenant().client(), make_tenant().client()
    connection = mine.auth.connections.create(domain="private.example", profile_name="p")
    for call in (
        lambda: theirs.auth.connections.retrieve(connection.id),
        lambda: theirs.auth.connections.login(connection.id),
        lambda: theirs.auth.connections.submit(connection.id, fields={"password": "x"}),
        lambda: theirs.auth.connections.delete(connection.id),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert list(theirs.auth.connections.list()) == []
