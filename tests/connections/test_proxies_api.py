"""Proxies through the kernel SDK, checked against a real local forward proxy."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from django.conf import settings
from django.utils import timezone
from kernel import BadRequestError, Kernel, NotFoundError

from connections import flows, services
from connections.models import AuthConnection, LoginFlow, Proxy
from connections.services import CHECK_PROXY_AUTH_REFUSED, CHECK_PROXY_UNREACHABLE, CHECK_TARGET_FAILED
from tests.authhub.test_outbound import Listener, RecordingServer
from tests.support.servers import AuthHubServer, ForwardProxy, free_port

pytestmark = pytest.mark.usefixtures("live_db")
UNSPECIFIED = "0.0.0.0"  # noqa: S104 - an address these tests expect refused, never one bound


@pytest.fixture
def forward_proxy():
    proxy = ForwardProxy(credentials="alice:s3cret-proxy")
    yield proxy
    proxy.stop()


@pytest.fixture
def listener() -> Iterator[Listener]:
    sock = Listener()
    yield sock
    sock.close()


@pytest.fixture(scope="module")
def answers() -> Iterator[RecordingServer]:
    """A target answering what the path asks (``/status/503``), recording what reached it."""
    server = RecordingServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def babbler() -> Iterator[int]:
    """A port where something that is not HTTP or TLS answers at once and hangs up (an SSH banner)."""
    sock = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield sock.getsockname()[1]
    sock.close()


def custom(port: int, password: str = "s3cret-proxy", host: str = "127.0.0.1", **extra) -> dict:
    return {"type": "custom", "protocol": "http",
            "config": {"host": host, "port": port, "username": "alice", "password": password}, **extra}


def test_it_creates_a_custom_proxy_and_never_returns_its_secrets(client):
    created = client.proxies.create(
        type="custom", name="office", bypass_hosts=["Internal.Example.com", "*.corp.example"],
        config={"host": "proxy.example.net", "port": 3128, "username": "bob", "password": "hunter2-proxy"},
    )
    assert created.id.startswith("proxy_") and created.protocol == "https"
    assert created.config.to_dict() == {"host": "proxy.example.net", "port": 3128, "username": "bob",
                                        "has_password": True, "has_ca_bundle": False}
    assert created.bypass_hosts == ["internal.example.com", "*.corp.example"]
    assert "hunter2-proxy" not in created.to_json()


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"type": "custom"}, "needs config.host"),
        ({"type": "custom", "config": {"host": "h.example", "port": 70000}}, "port"),
        ({"type": "custom", "config": {"host": "http://h.example", "port": 80}}, "hostname or an IP"),
        ({"type": "custom", "config": {"host": "fe80::1%eth0", "port": 80}}, "zone index"),
        ({"type": "custom", "config": {"host": "h.example", "port": 80, "password": "abc"}}, "at least 5"),
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


@pytest.mark.parametrize("bundle", ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "nope"])
def test_a_ca_bundle_is_refused_with_the_reason_and_nothing_is_stored(client, tenant, bundle):
    with pytest.raises(BadRequestError) as info:
        client.proxies.create(type="custom", config={"host": "mitm.example.net", "port": 8080, "ca_bundle": bundle})
    assert info.value.body["code"] == "ca_bundle_unsupported"
    message = info.value.body["message"]
    assert "per browser" in message and "NSS" in message and "without ca_bundle" in message
    assert not Proxy.objects.filter(project=tenant.project).exists()


def test_the_schema_explains_ca_bundle_and_the_network_rules(server):
    schema = httpx.get(f"{server.url}/openapi.json", timeout=10).json()["components"]["schemas"]
    config_help = schema["ProxyCreateInputRequest"]["properties"]["config"]["description"]
    assert "ca_bundle_unsupported" in config_help and "NSS" in config_help and "address_not_allowed" in config_help
    assert "address_not_allowed" in schema["ProxyCheckInputRequest"]["properties"]["url"]["description"]


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


@pytest.mark.parametrize("stage", ["queued", "running"])
def test_a_proxy_used_by_a_login_in_progress_cannot_be_deleted(client, listener, stage):
    # The proxy accepts TCP and never answers: should a runner take the login, it stays in progress.
    proxy = client.proxies.create(type="custom", protocol="http", config={"host": "127.0.0.1", "port": listener.port})
    connection = client.auth.connections.create(domain="proxied-login.example", profile_name="p")
    client.auth.connections.login(connection.id, browser={"proxy": {"id": proxy.id}})
    flow = LoginFlow.objects.get(connection_id=connection.id, status=LoginFlow.Status.IN_PROGRESS)
    assert flow.options["proxy_id"] == proxy.id
    if stage == "running":
        now = timezone.now()
        LoginFlow.objects.filter(pk=flow.pk, runner_id="").update(runner_id="runner-elsewhere", claimed_at=now,
                                                                  heartbeat_at=now)
    with pytest.raises(BadRequestError) as info:
        client.proxies.delete(proxy.id)
    assert info.value.body["code"] == "resource_in_use" and connection.id in info.value.body["message"]
    assert client.proxies.retrieve(proxy.id).id == proxy.id, "still there"

    flows.flow_cancel(connection=AuthConnection.objects.get(pk=connection.id))
    client.proxies.delete(proxy.id)
    assert Proxy.objects.get(pk=proxy.id).deleted_at is not None, "a finished login no longer holds the proxy"


def test_check_reaches_the_target_through_the_proxy_and_stores_the_status(client, forward_proxy, http_target):
    created = client.proxies.create(**custom(forward_proxy.port))
    hits = http_target.hits
    checked = client.proxies.check(created.id)
    assert checked.status == "available" and checked.last_checked is not None
    assert http_target.hits == hits + 1
    assert forward_proxy.requests[-1][0] == "GET", "the request went through the proxy"
    assert client.proxies.retrieve(created.id).status == "available"


@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_an_ipv6_proxy_is_accepted_and_checks_go_through_it(client, http_target, host):
    forward = ForwardProxy(credentials="alice:s3cret-proxy", host="::1")
    try:
        created = client.proxies.create(**custom(forward.port, host=host))
        assert created.config.host == "::1"
        checked = client.proxies.check(created.id)
        assert checked.status == "available", checked.check_error
        assert forward.requests and forward.requests[-1][0] == "GET"
    finally:
        forward.stop()
    assert client.proxies.create(type="custom", config={"host": "2001:db8::1", "port": 3128}).config.host == "2001:db8::1"


def test_check_reports_a_proxy_that_is_down(client):
    down = client.proxies.create(type="custom", protocol="http", config={"host": "127.0.0.1", "port": free_port()})
    checked = client.proxies.check(down.id)
    assert checked.status == "unavailable" and checked.check_error == CHECK_PROXY_UNREACHABLE


def test_check_with_a_wrong_password_is_unavailable_and_never_echoes_it(client, forward_proxy):
    created = client.proxies.create(**custom(forward_proxy.port, password="wrong-password-77"))
    for url in (None, f"https://127.0.0.1:{free_port()}/"):  # a plain request, then a CONNECT
        checked = client.proxies.check(created.id, **({"url": url} if url else {}))
        assert checked.status == "unavailable" and checked.check_error == CHECK_PROXY_AUTH_REFUSED
        assert "wrong-password-77" not in checked.to_json()


def test_check_with_a_url_does_not_change_the_stored_status(client, forward_proxy, http_target):
    created = client.proxies.create(**custom(forward_proxy.port))
    url = f"http://127.0.0.1:{http_target.server_address[1]}/elsewhere"
    assert client.proxies.check(created.id, url=url).status == "available"
    assert client.proxies.retrieve(created.id).status is None
    for bad in ("ftp://example.com/", "http://exa mple.com/", "http://[::1/"):
        with pytest.raises(BadRequestError):
            client.proxies.check(created.id, url=bad)


def test_every_failure_behind_the_proxy_reads_the_same(client, forward_proxy, answers, babbler):
    """A closed port, a refused tunnel, another protocol, a TLS failure and an error status all give one
    message: the check does not tell a caller what is listening behind the proxy."""
    created = client.proxies.create(**custom(forward_proxy.port))
    urls = [
        f"http://127.0.0.1:{free_port()}/",  # nothing listens: the proxy answers 502
        f"https://127.0.0.1:{free_port()}/",  # CONNECT refused by the proxy
        f"http://127.0.0.1:{babbler}/",  # something else answers: the proxy hangs up
        f"https://127.0.0.1:{babbler}/",  # a tunnel to something that does not speak TLS
        f"http://127.0.0.1:{answers.port}/status/503",  # the target answers an error
        f"http://127.0.0.1:{answers.port}/status/500",
    ]
    errors = {client.proxies.check(created.id, url=url).check_error for url in urls}
    assert errors == {CHECK_TARGET_FAILED}
    assert client.proxies.check(created.id, url=f"http://127.0.0.1:{answers.port}/status/404").status == "available"


def test_timeouts_read_the_same_as_other_failures_on_their_side(tenant, forward_proxy, listener):
    """In-process, with a short check timeout: a target that never answers is a target failure like any
    other; a proxy that never accepts, or never finishes TLS, is the proxy's one message."""
    short = dataclasses.replace(settings.AUTHHUB, proxy_check_timeout=0.5)
    full = Listener()
    full.sock.listen(0)  # backlog of one: after the filler below, connects hang (SYNs are dropped)
    filler = socket.create_connection(("127.0.0.1", full.port), timeout=5)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "AUTHHUB", short)
            proxy = services.proxy_create(project=tenant.project, **custom(forward_proxy.port))
            _, error = services.proxy_check(proxy=proxy, url=f"http://127.0.0.1:{listener.port}/")
            assert error == CHECK_TARGET_FAILED
            hanging = services.proxy_create(project=tenant.project, type="custom", protocol="http",
                                            config={"host": "127.0.0.1", "port": full.port})
            assert services.proxy_check(proxy=hanging)[1] == CHECK_PROXY_UNREACHABLE
            silent_tls = services.proxy_create(project=tenant.project, type="custom", protocol="https",
                                               config={"host": "127.0.0.1", "port": listener.port})
            assert services.proxy_check(proxy=silent_tls)[1] == CHECK_PROXY_UNREACHABLE
    finally:
        filler.close()
        full.close()


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://2852039166/", "http://[::ffff:169.254.169.254]/",
     "http://0xa9fea9fe/", "http://metadata.google.internal/", "http://intranet/", "http://0.0.0.0:{port}/",
     "http://%31%32%37.0.0.1:{port}/"],
)
def test_check_refuses_metadata_and_local_names_before_any_connection_even_in_development(
        client, forward_proxy, listener, url):
    created = client.proxies.create(**custom(forward_proxy.port))
    with pytest.raises(BadRequestError) as info:
        client.proxies.check(created.id, url=url.format(port=listener.port))
    assert info.value.body["code"] == "address_not_allowed"
    assert forward_proxy.requests == [] and listener.connections() == 0


@pytest.mark.parametrize("host", ["intranet", UNSPECIFIED, "::", "169.254.169.254", "metadata.google.internal",
                                  "[::ffff:169.254.169.254]"])
def test_proxy_hosts_that_are_never_reachable_are_refused_even_in_development(client, tenant, host):
    with pytest.raises(BadRequestError) as info:
        client.proxies.create(type="custom", config={"host": host, "port": 3128})
    assert info.value.body["code"] == "address_not_allowed"
    assert not Proxy.objects.filter(project=tenant.project).exists()


# --- production network policy ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def production(django_db_setup, http_target) -> Iterator[AuthHubServer]:  # noqa: ANN001
    """A second live server on this worker's database with the production network policy: private networks
    refused, only ``*.allowed.localhost`` listed (the sandbox's stand-in for an in-house proxy)."""
    live = AuthHubServer(
        settings.AUTHHUB.data_dir,
        env={
            "AUTHHUB_ALLOW_PRIVATE_NETWORK": "0",
            "AUTHHUB_PRIVATE_NETWORK_ALLOW": "*.allowed.localhost",
            "AUTHHUB_PROXY_CHECK_URL": f"http://check.allowed.localhost:{http_target.server_address[1]}/generate_204",
        },
    ).start()
    yield live
    live.stop()


@pytest.fixture
def prod_client(production, tenant) -> Kernel:
    return Kernel(api_key=tenant.key, base_url=production.url)


LOOPBACK_HOSTS = ["127.0.0.1", "2130706433", "0x7f000001", "017700000001", "0177.0.0.1", "0x7f.0.0.1", "127.1",
                  "::1", "[::1]", "::ffff:127.0.0.1", "[::ffff:7f00:1]", "localhost", "proxy.localhost"]
PRIVATE_HOSTS = ["10.0.0.5", "167772165", "172.16.0.1", "192.168.1.1", "0300.0250.1.1", "100.64.0.1", "169.254.1.1",
                 "169.254.169.254", "fe80::1", "fd00::1", "224.0.0.1", UNSPECIFIED, "intranet", "proxy", "printer.local",
                 "proxy.internal", "metadata.google.internal", "nas.home.arpa"]


@pytest.mark.parametrize("host", LOOPBACK_HOSTS + PRIVATE_HOSTS)
def test_production_refuses_proxy_hosts_in_the_hosts_own_network(prod_client, tenant, host):
    with pytest.raises(BadRequestError) as info:
        prod_client.proxies.create(type="custom", protocol="http", config={"host": host, "port": 3128})
    assert info.value.body["code"] == "address_not_allowed", info.value.body
    assert not Proxy.objects.filter(project=tenant.project).exists()


CHECK_URLS = [f"{scheme}://{host}:{{port}}/" for scheme in ("http", "https") for host in (
    "127.0.0.1", "2130706433", "0x7f000001", "017700000001", "0177.0.0.1", "0x7f.0.0.1", "127.1", "[::1]",
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost", "target.localhost", "10.0.0.5", "192.168.1.1")] + [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "http://2852039166/",
    "http://[::ffff:169.254.169.254]/", "http://metadata.google.internal/computeMetadata/v1/", "http://intranet/",
]


@pytest.mark.parametrize("url", CHECK_URLS)
def test_production_refuses_check_urls_into_the_hosts_own_network_before_any_connection(
        prod_client, forward_proxy, listener, url):
    created = prod_client.proxies.create(**custom(forward_proxy.port, host="proxy.allowed.localhost"))
    with pytest.raises(BadRequestError) as info:
        prod_client.proxies.check(created.id, url=url.format(port=listener.port))
    assert info.value.body["code"] == "address_not_allowed"
    assert forward_proxy.requests == [], "nothing reached the proxy"
    assert listener.connections() == 0, "nothing reached the target"


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "::1", "localhost"])
def test_production_refuses_to_check_a_stored_proxy_in_the_hosts_own_network(prod_client, tenant, listener, host):
    """A proxy stored before the policy was tightened is refused when checked, before connecting to it."""
    stored = services.proxy_create(project=tenant.project, type="custom", protocol="http",
                                   config={"host": host, "port": listener.port})  # this process allows private
    with pytest.raises(BadRequestError) as info:
        prod_client.proxies.check(stored.pk)
    assert info.value.body["code"] == "address_not_allowed" and "This proxy cannot be used" in info.value.body["message"]
    assert listener.connections() == 0
    assert Proxy.objects.get(pk=stored.pk).status == "", "a refused check stores nothing"


def test_production_allows_listed_hosts_and_public_names(prod_client, forward_proxy, http_target):
    public = prod_client.proxies.create(type="custom", config={"host": "proxy.example.net", "port": 3128})
    assert public.config.host == "proxy.example.net"
    listed = prod_client.proxies.create(**custom(forward_proxy.port, host="proxy.allowed.localhost"))
    hits = http_target.hits
    checked = prod_client.proxies.check(listed.id)
    assert checked.status == "available", checked.check_error
    assert http_target.hits == hits + 1 and forward_proxy.requests[-1][1].startswith("http://check.allowed.localhost:")
