"""Which network addresses AuthHub may reach: one policy for every outbound connection it makes.

Django-free on purpose: the login engine's egress guard, the outbound HTTP client and the API's input
checks all ask the same ``NetworkPolicy``. It refuses the host's own network — loopback, private,
link-local, multicast, reserved and unspecified addresses, however the address is written (dotted,
decimal, hex, octal, IPv4-mapped IPv6) — unless the operator allowed private networks
(``AUTHHUB_ALLOW_PRIVATE_NETWORK``, on in development) or listed the address or host
(``AUTHHUB_PRIVATE_NETWORK_ALLOW``). Cloud metadata addresses are refused always: nothing legitimate
lives there, and they hand out credentials.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud instance-metadata endpoints (AWS, GCP, Azure, OpenStack, ECS task metadata, Alibaba, Oracle).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.169.253", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
)
METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"})
# Names that only ever mean the local network.
PRIVATE_SUFFIXES = ("localhost", "local", "internal", "localdomain", "home.arpa", "lan", "intranet", "corp")

_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)
_HOST_NAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
# Local-use NAT64 (RFC 8215): whatever IPv4 it translates to is the operator's own network.
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


class AddressRefused(Exception):
    """A destination AuthHub will not connect to. The message names the host, never a secret."""

    code = "address_not_allowed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes when it is an IP literal in any notation, else None.

    ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``, ``[::ffff:127.0.0.1]`` are all 127.0.0.1,
    as browsers and ``inet_aton`` read them. IPv4-mapped and IPv4-compatible IPv6 give their IPv4.
    """
    raw = host.strip().lower().rstrip(".")
    if raw.startswith("[") and raw.endswith("]"):
        raw = raw[1:-1]
    raw = raw.split("%", 1)[0]  # IPv6 zone index
    address: IPAddress | None = None
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        if _NUMERIC_HOST.match(raw) and any(ch.isdigit() for ch in raw):
            try:
                address = ipaddress.IPv4Address(socket.inet_aton(raw))
            except OSError:
                return None
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return mapped
        # NAT64 (64:ff9b::/96) and IPv4-translated (::ffff:0:a.b.c.d) addresses reach the embedded IPv4.
        if address in _NAT64 or address in _TRANSLATED:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        # IPv4-compatible (::a.b.c.d, deprecated) still reaches a.b.c.d on some stacks.
        if int(address) >> 32 == 0 and int(address) > 1:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_localhost_name(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def _is_public(address: IPAddress) -> bool:
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class NetworkPolicy:
    allow_private: bool = False
    # Operator's exceptions: networks (CIDR) and host names (exact, or "*.suffix").
    allow_networks: tuple[IPNetwork, ...] = ()
    allow_hosts: tuple[str, ...] = ()

    @classmethod
    def from_entries(cls, *, allow_private: bool, entries: Iterable[str] = ()) -> NetworkPolicy:
        """Build from ``AUTHHUB_PRIVATE_NETWORK_ALLOW`` entries; ValueError names a bad one."""
        networks: list[IPNetwork] = []
        hosts: list[str] = []
        for entry in entries:
            item = entry.strip().lower()
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
                continue
            except ValueError:
                pass
            bare = item[2:] if item.startswith("*.") else item
            if not bare or "/" in bare or ":" in bare or " " in bare:
                raise ValueError(f"{entry!r} is neither a CIDR network nor a host name")
            hosts.append(item)
        return cls(allow_private=allow_private, allow_networks=tuple(networks), allow_hosts=tuple(hosts))

    # --- names ------------------------------------------------------------------------------------

    def host_listed(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        for entry in self.allow_hosts:
            if entry.startswith("*.") and host.endswith(entry[1:]):
                return True
            if host == entry:
                return True
        return False

    def check_host(self, host: str, *, allow_ip_literal: bool = True, what: str = "host") -> None:
        """Refuse, before any connection, a host that names the local network by its form alone.

        IP literals are checked as addresses (or refused outright when ``allow_ip_literal`` is off);
        single-label names, ``*.localhost`` and private-only suffixes need private networks allowed or
        an allow-list entry. Names that resolve to a refused address are caught when connecting.
        """
        raw = host.strip().lower().rstrip(".")
        if not raw:
            raise AddressRefused(f"{what} is empty")
        if raw in METADATA_HOSTS:
            raise AddressRefused(f"{what} {raw} is a cloud metadata service, which AuthHub never reaches")
        literal = parse_ip_literal(raw)
        if literal is not None:
            if not allow_ip_literal:
                raise AddressRefused(f"{what} must be a host name, not an IP address")
            self.check_address(literal, host=raw, what=what)
            return
        if not _HOST_NAME.match(raw):
            # %-escapes, "@", spaces, odd Unicode: whatever a later parser makes of them is not checked here.
            raise AddressRefused(f"{what} {raw[:100]!r} is not a plain host name")
        if self.host_listed(raw):
            return
        if "." not in raw and raw != "localhost":
            raise AddressRefused(f"{what} {raw!r} is a single-label name; use a fully qualified host name")
        if any(raw == s or raw.endswith("." + s) for s in PRIVATE_SUFFIXES) and not self.allow_private:
            raise AddressRefused(f"{what} {raw} is a local-network name, which this AuthHub may not reach")

    # --- addresses --------------------------------------------------------------------------------

    def address_allowed(self, address: IPAddress, *, host: str | None = None) -> bool:
        if isinstance(address, ipaddress.IPv6Address):
            mapped = parse_ip_literal(str(address))
            if mapped is not None:
                address = mapped
        if address in METADATA_ADDRESSES:
            return False
        if _is_public(address) and address not in _LOCAL_NAT64:
            return True
        if address.is_unspecified:
            return False  # 0.0.0.0 and :: reach the host itself on most stacks
        if any(address in network for network in self.allow_networks):
            return True
        if host is not None and self.host_listed(host):
            return True
        return self.allow_private

    def check_address(self, address: IPAddress, *, host: str | None = None, what: str = "host") -> None:
        if not self.address_allowed(address, host=host):
            # A name is reported as itself: echoing what it resolved to would map the internal DNS.
            label = host if host else str(address)
            if address in METADATA_ADDRESSES:
                raise AddressRefused(f"{what} {label} is a cloud metadata address, which AuthHub never reaches")
            raise AddressRefused(f"{what} {label} is in a private or reserved network, which this AuthHub may not reach")

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every address ``host`` stands for, checked: one refused address refuses the host (a name that
        mixes public and private answers is how rebinding starts). ``*.localhost`` is loopback (RFC 6761),
        as Chromium treats it."""
        self.check_host(host)
        literal = parse_ip_literal(host)
        if literal is not None:
            return [literal]
        name = host.strip().lower().rstrip(".")
        if is_localhost_name(name):
            addresses: list[IPAddress] = [ipaddress.ip_address("127.0.0.1")]
        else:
            try:
                infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                raise AddressRefused(f"{name} could not be resolved") from exc
            addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos))
        for address in addresses:
            self.check_address(address, host=name)
        return addresses


DEVELOPMENT = NetworkPolicy(allow_private=True)
PRODUCTION = NetworkPolicy(allow_private=False)
