"""Production settings refuse every route into the host's own network.

An AuthHub of its own runs with AUTHHUB_ENV=production (private networks off by default); every input
that names a destination — connection domain, allowed_domains, login_url, proxy host, proxy-check
URL — is refused with a 4xx and nothing stored, however the address is written; and a login whose
site resolves into that network reaches nothing, because the browser leaves through the egress guard.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
from kernel import BadRequestError

from tests.connections.flow_helpers import wait_until_finished
from tests.sites import accounts
from tests.support.environments import Isolated
from tests.support.servers import ROOT, child_env

pytestmark = pytest.mark.slow

LOOPBACK_SPELLINGS = ["127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "[::1]"]
LOCAL_NAMES = ["localhost", "bank.localhost", "intranet", "vault.internal", "printer.local", "metadata.google.internal"]


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory, sandbox) -> Iterator[Isolated]:
    data = tmp_path_factory.mktemp("production")
    master = data / "master-key.json"
    env = {**child_env(), "DJANGO_SETTINGS_MODULE": "authhub.settings", "AUTHHUB_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "manage.py", "rotatekeys", "--create-master-key", str(master)], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    instance = Isolated(data, {
        "AUTHHUB_ENV": "production", "AUTHHUB_SECRET_KEY": "p" * 48, "AUTHHUB_MASTER_KEY_FILE": str(master),
        # A public-looking name that resolves into the host's own network (the sandbox on loopback).
        "AUTHHUB_EGRESS_HOSTS": json.dumps({"bank.example.com": "127.0.0.1"}),
    })
    yield instance
    instance.stop()


def refused(call, code: str = "address_not_allowed") -> dict:
    with pytest.raises(BadRequestError) as error:
        call()
    assert error.value.body["code"] == code, error.value.body
    return error.value.body


@pytest.mark.parametrize("host", LOCAL_NAMES)
def test_a_connection_for_a_local_network_name_is_refused(production, host):
    client = production.client
    refused(lambda: client.auth.connections.create(domain=host, profile_name="p"))
    refused(lambda: client.auth.connections.create(domain="example.com", profile_name="p", allowed_domains=[host]))
    assert list(client.auth.connections.list()) == [], "nothing was stored"


# URLs that are not even valid URLs to DRF fail as invalid_request; the others reach the address check.
NOT_URLS = {"2130706433", "0x7f000001", "0177.0.0.1", "127.1", "intranet"}


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + ["169.254.169.254", "10.0.0.8", "intranet"])
def test_a_login_url_into_the_local_network_is_refused(production, host):
    refused(lambda: production.client.auth.connections.create(
        domain="example.com", profile_name="p", login_url=f"http://{host}/login"),
        "invalid_request" if host in NOT_URLS else "address_not_allowed")


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + ["169.254.169.254", "192.168.1.1", "fd00::1", "intranet", "localhost"])
def test_a_proxy_into_the_local_network_is_refused(production, host):
    refused(lambda: production.client.proxies.create(type="custom", config={"host": host.strip("[]"), "port": 3128}))


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + ["169.254.169.254", "localhost", "metadata.google.internal"])
def test_a_proxy_check_never_targets_the_local_network(production, host):
    proxy = production.client.proxies.create(type="custom", name=f"c{abs(hash(host))}",
                                             config={"host": "93.184.216.34", "port": 3128})
    refused(lambda: production.client.proxies.check(proxy.id, url=f"http://{host}:8000/"))


def test_a_login_whose_site_resolves_into_the_local_network_reaches_nothing(production, sandbox):
    # The browser goes through the egress guard, which resolves the name and refuses the address:
    # the same rule catches a DNS-rebinding name, since Chromium never resolves names itself.
    client = production.client
    client.credentials.create(name="bank", domain="bank.example.com",
                              values={"username": accounts.USERNAME, "password": accounts.PASSWORD})
    connection = client.auth.connections.create(domain="bank.example.com", profile_name="p", credential={"name": "bank"},
                                                login_url=sandbox.url("bank.example.com", "/login"))
    production.runner()
    before = len(sandbox.received("bank.example.com"))
    client.auth.connections.login(connection.id)
    done = wait_until_finished(client, connection.id)
    assert (done.flow_status, done.error_code) == ("FAILED", "domain_not_allowed"), done.error_message
    assert "bank.example.com" in done.error_message and "private" in done.error_message
    assert sandbox.received("bank.example.com")[before:] == []
