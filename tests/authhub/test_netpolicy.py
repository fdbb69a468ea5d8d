"""The network policy on its own: which hosts and addresses AuthHub may reach, however they are written."""

from __future__ import annotations

import ipaddress

import pytest

from authhub.netpolicy import AddressRefused, NetworkPolicy, parse_ip_literal

PRODUCTION = NetworkPolicy(allow_private=False)
DEVELOPMENT = NetworkPolicy(allow_private=True)
UNSPECIFIED = "0.0.0.0"  # noqa: S104 - an address these tests expect refused, never one bound

# Every way of writing 127.0.0.1 that some parser (inet_aton, a browser, an HTTP library) accepts.
LOOPBACK_NOTATIONS = [
    "127.0.0.1", "2130706433", "0x7f000001", "0X7F000001", "017700000001", "0177.0.0.1", "0x7f.0.0.1",
    "0177.1", "127.1", "127.0.1", "127.0.0.1.", "[::ffff:127.0.0.1]", "::ffff:7f00:1", "0:0:0:0:0:ffff:127.0.0.1",
    "::127.0.0.1", "2002:7f00:1::",
]


@pytest.mark.parametrize("host", LOOPBACK_NOTATIONS)
def test_every_notation_of_loopback_is_read_as_loopback(host):
    assert parse_ip_literal(host) == ipaddress.ip_address("127.0.0.1")


@pytest.mark.parametrize("host", ["example.com", "1.2.3.example", "0x7g.0.0.1", "", "deadbeef", "1.2.3.4.5"])
def test_names_are_not_ip_literals(host):
    assert parse_ip_literal(host) is None


@pytest.mark.parametrize(
    "host",
    [*LOOPBACK_NOTATIONS, "::1", "[::1]", "10.0.0.1", "167772161", "0xa000001", "172.16.0.1", "192.168.1.1",
     "0300.0250.0.1", "100.64.0.1", "169.254.1.1", "fe80::1", "fd00::1", "fc00::1", "224.0.0.1", "ff02::1",
     UNSPECIFIED, "0", "::", "240.0.0.1", "198.18.0.1", "192.0.2.1", "2001:db8::1",
     # NAT64 and IPv4-translated forms of private addresses, and local-use NAT64.
     "64:ff9b::a00:1", "64:ff9b::7f00:1", "::ffff:0:a00:1", "64:ff9b:1::a00:1"],
)
def test_production_refuses_the_hosts_own_networks_by_address(host):
    with pytest.raises(AddressRefused) as info:
        PRODUCTION.check_host(host, allow_ip_literal=True)
    assert info.value.code == "address_not_allowed"
    assert "private or reserved" in info.value.message


def test_nat64_of_a_public_address_is_public():
    PRODUCTION.check_host("64:ff9b::808:808")


def test_a_refused_name_is_reported_without_what_it_resolved_to():
    with pytest.raises(AddressRefused) as info:
        PRODUCTION.check_address(ipaddress.ip_address("10.1.2.3"), host="vault.example.com")
    assert "vault.example.com" in info.value.message and "10.1.2.3" not in info.value.message


@pytest.mark.parametrize(
    ("host", "fragment"),
    [("intranet", "single-label"), ("localhost", "local-network"), ("site.localhost", "local-network"),
     ("printer.local", "local-network"), ("db.internal", "local-network"), ("nas.home.arpa", "local-network"),
     ("metadata.google.internal", "metadata"), ("metadata", "metadata"), ("instance-data", "metadata")],
)
def test_production_refuses_local_network_names_by_their_form(host, fragment):
    with pytest.raises(AddressRefused) as info:
        PRODUCTION.check_host(host)
    assert fragment in info.value.message


@pytest.mark.parametrize(
    "host",
    ["169.254.169.254", "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "[::ffff:169.254.169.254]",
     "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "metadata.google.internal"],
)
def test_metadata_is_refused_even_with_private_networks_and_an_allow_list(host):
    generous = NetworkPolicy.from_entries(allow_private=True, entries=["169.254.0.0/16", "0.0.0.0/0", "::/0"])
    with pytest.raises(AddressRefused) as info:
        generous.check_host(host)
    assert "metadata" in info.value.message


def test_development_allows_private_networks_but_not_single_labels_or_the_unspecified_address():
    for host in ("127.0.0.1", "::1", "10.1.2.3", "2130706433", "site.localhost", "printer.local"):
        DEVELOPMENT.check_host(host)
    for host in ("intranet", UNSPECIFIED, "::"):
        with pytest.raises(AddressRefused):
            DEVELOPMENT.check_host(host)


def test_the_allow_list_admits_exactly_its_networks_and_hosts():
    policy = NetworkPolicy.from_entries(
        allow_private=False, entries=["10.20.0.0/16", "fd12::/16", "vault.corp", "*.proxies.corp", ""]
    )
    for host in ("10.20.3.4", "fd12::5", "vault.corp", "eu.proxies.corp", "proxies.corp.example.com"):
        policy.check_host(host)
    for host in ("10.21.0.1", "fd13::1", "gitlab.corp", "vault.corp.evil.corp", "127.0.0.1"):
        with pytest.raises(AddressRefused):
            policy.check_host(host)
    # A listed name may resolve to a private address; an unlisted one may not.
    assert policy.address_allowed(ipaddress.ip_address("10.99.0.1"), host="vault.corp")
    assert not policy.address_allowed(ipaddress.ip_address("10.99.0.1"), host="gitlab.corp")


def test_ip_literals_can_be_refused_outright():
    with pytest.raises(AddressRefused) as info:
        DEVELOPMENT.check_host("8.8.8.8", allow_ip_literal=False)
    assert "host name, not an IP address" in info.value.message


@pytest.mark.parametrize("entry", ["http://x", "a b", "host:80", "*."])
def test_a_bad_allow_list_entry_is_named(entry):
    with pytest.raises(ValueError, match="neither a CIDR network nor a host name"):
        NetworkPolicy.from_entries(allow_private=False, entries=[entry])


def test_resolve_checks_every_address_and_treats_localhost_names_as_loopback():
    assert DEVELOPMENT.resolve("app.localhost", 80) == [ipaddress.ip_address("127.0.0.1")]
    assert PRODUCTION.resolve("93.184.216.34", 443) == [ipaddress.ip_address("93.184.216.34")]
    with pytest.raises(AddressRefused):
        PRODUCTION.resolve("localhost", 80)
    with pytest.raises(AddressRefused, match="could not be resolved"):
        PRODUCTION.resolve("no-such-host.invalid", 80)
