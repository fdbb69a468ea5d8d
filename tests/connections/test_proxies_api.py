"""Proxies through the kernel SDK, checked against a real local forward proxy."""

from __future__ import annotations

import pytest
from kernel import BadRequestError, NotFoundError

from connections.models import Proxy
from tests.support.servers import ForwardProxy, free_port

pytestmark = pytest.mark.usefixtures("live_db")


@pytest.fixture
def forward_proxy():
    proxy = ForwardProxy(credentials="alice:s3cret-proxy")
    yield proxy
    proxy.stop()


def custom(port: int, password: str = "s3cret-proxy", **extra) -> dict:
    return {"type": "custom", "protocol": "http",
            "config": {"host": "127.0.0.1", "port": port, "username": "alice", "password": password}, **extra}


def test_it_creates_a_custom_proxy_and_never_returns_its_secrets(client):
    created = client.proxies.create(
        type="custom", name="office", bypass_hosts=["Internal.Example.com", "*.corp.example"],
        config={"host": "proxy.example.net", "port": 3128, "username": "bob", "password": "hunter2-proxy",
                "ca_bundle": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"},
    )
    assert created.id.startswith("proxy_") and created.protocol == "https"
    assert created.config.to_dict() == {"host": "proxy.example.net", "port": 3128, "username": "bob",
                                        "has_password": True, "has_ca_bundle": True}
    assert created.bypass_hosts == ["internal.example.com", "*.corp.example"]
    assert "hunter2-proxy" not in created.to_json() and "BEGIN CERTIFICATE" not in created.to_json()


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"type": "custom"}, "needs config.host"),
        ({"type": "custom", "config": {"host": "h.example", "port": 70000}}, "port"),
        ({"type": "custom", "config": {"host": "http://h.example", "port": 80}}, "hostname or an IP"),
        ({"type": "custom", "config": {"host": "h.example", "port": 80, "password": "abc"}}, "at least 5"),
        ({"type": "custom", "config": {"host": "h.example", "port": 80, "ca_bundle": "nope"}}, "PEM"),
        ({"type": "custom", "config": {"host": "h.example", "port": 80, "colour": "red"}}, "Unknown field"),
        ({"type": "custom", "config": {"host": "h.example", "port": 80}, "bypass_hosts": ["h.example:80"]}, "no scheme, port"),
        ({"type": "residential", "config": {"country": "US"}}, "AUTHHUB_PROXY_UPSTREAMS"),
        ({"type": "mobile"}, "does not have"),
        ({"type": "isp", "config": {"city": "paris"}}, "cannot be set on a isp proxy"),
    ],
)
def test_it_rejects_bad_proxies_with_a_clear_message(client, tenant, kwargs, fragment):
    with pytest.raises(BadRequestError) as info:
        client.proxies.create(**kwargs)
    assert fragment in info.value.body["message"]
    assert not Proxy.objects.filter(project=tenant.project).exists()


def test_pool_types_work_when_the_operator_maps_them_to_an_upstream(client, upstream_proxy, http_target):
    created = client.proxies.create(type="isp", name="pool", config={"country": "gb"})
    assert created.config.to_dict() == {"country": "GB"}
    checked = client.proxies.check(created.id)
    assert checked.status == "available"
    assert any(method == "GET" for method, _ in upstream_proxy.requests)


def test_it_retrieves_by_name_and_refuses_an_ambiguous_name(client):
    first = client.proxies.create(type="custom", name="twin", config={"host": "a.example", "port": 1})
    assert client.proxies.retrieve("twin").id == first.id
    client.proxies.create(type="custom", name="twin", config={"host": "b.example", "port": 2})
    with pytest.raises(BadRequestError) as info:
        client.proxies.retrieve("twin")
    assert info.value.body["code"] == "ambiguous_proxy_name"
    assert client.proxies.retrieve(first.id).config.host == "a.example"


def test_it_renames_lists_filters_and_soft_deletes(client, tenant):
    a = client.proxies.create(type="custom", name="Zürich Office", config={"host": "zurich.example", "port": 1})
    client.proxies.create(type="custom", name="Berlin", config={"host": "berlin.example", "port": 2})
    assert [p.id for p in client.proxies.list(name="zurich office")] == [a.id], "case- and accent-insensitive"
    assert [p.name for p in client.proxies.list(query="berlin.exa")] == ["Berlin"]
    assert client.proxies.update(a.id, name="Geneva").name == "Geneva"
    client.proxies.delete(a.id)
    with pytest.raises(NotFoundError):
        client.proxies.retrieve(a.id)
    assert [p.name for p in client.proxies.list()] == ["Berlin"]
    assert Proxy.objects.get(pk=a.id).deleted_at is not None, "deletion is soft"


def test_check_reaches_the_target_through_the_proxy_and_stores_the_status(client, forward_proxy, http_target):
    created = client.proxies.create(**custom(forward_proxy.port))
    hits = http_target.hits
    checked = client.proxies.check(created.id)
    assert checked.status == "available" and checked.last_checked is not None
    assert http_target.hits == hits + 1
    assert forward_proxy.requests[-1][0] == "GET", "the request went through the proxy"
    assert client.proxies.retrieve(created.id).status == "available"


def test_check_reports_a_proxy_that_is_down(client):
    down = client.proxies.create(type="custom", protocol="http", config={"host": "127.0.0.1", "port": free_port()})
    checked = client.proxies.check(down.id)
    assert checked.status == "unavailable" and "cannot connect to the proxy" in checked.check_error


def test_check_with_a_wrong_password_is_unavailable_and_never_echoes_it(client, forward_proxy):
    created = client.proxies.create(**custom(forward_proxy.port, password="wrong-password-77"))
    checked = client.proxies.check(created.id)
    assert checked.status == "unavailable" and "407" in checked.check_error
    assert "wrong-password-77" not in checked.to_json()


def test_check_with_a_url_does_not_change_the_stored_status(client, forward_proxy, http_target):
    created = client.proxies.create(**custom(forward_proxy.port))
    url = f"http://127.0.0.1:{http_target.server_address[1]}/elsewhere"
    assert client.proxies.check(created.id, url=url).status == "available"
    assert client.proxies.retrieve(created.id).status is None
    with pytest.raises(BadRequestError):
        client.proxies.check(created.id, url="ftp://example.com/")
