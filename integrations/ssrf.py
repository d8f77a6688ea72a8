"""The SSRF guard of outgoing calls: a receiver's URL must resolve to public addresses only.

Refused: loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the cloud metadata
address, fe80::/10), CGNAT (100.64/10), multicast, reserved, unspecified and benchmark ranges:
everything `ipaddress` does not call global. An IPv4-mapped, 6to4 or Teredo IPv6 address is
judged by the IPv4 address inside it (`::ffff:127.0.0.1` is loopback). Every address a name
resolves to must pass, and the call connects to the address that was checked (no second
lookup between the check and the connection, so DNS rebinding gains nothing). The check runs
when an endpoint is saved and again before every delivery.

`SCRM_WEBHOOK_ALLOWED_NETWORKS` (comma-separated CIDRs, empty by default) allows chosen
networks, e.g. `127.0.0.0/8` for a test receiver or `10.1.2.0/24` for an on-premises CRM.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from scrm.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(Exception):
    """The URL may not be called; the message says why, for the operator."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written in the URL (the Host header and the TLS server name)
    port: int
    path: str  # path and query
    address: str  # the checked address to connect to

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(cidr.strip(), strict=False)
        for cidr in settings.SCRM_WEBHOOK_ALLOWED_NETWORKS
        if cidr.strip()
    ]


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
    return None


def address_refusal(address: IPAddress, networks=None) -> str | None:
    """Why `address` may not be called, or None if it may."""
    networks = allowed_networks() if networks is None else networks
    if any(address in net for net in networks if net.version == address.version):
        return None
    inner = _embedded_ipv4(address)
    if inner is not None:
        reason = address_refusal(inner, networks)
        return f"{reason} (inside {address})" if reason else None
    if address.is_global and not address.is_multicast:
        return None
    for label, flag in (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ):
        if flag:
            return f"{address} is a {label} address"
    return f"{address} is not a public address"


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path and query) of an http(s) URL, or UnsafeTarget."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"Not a valid URL: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeTarget("Use an http:// or https:// URL.")
    if scheme == "http" and settings.SCRM_WEBHOOK_REQUIRE_HTTPS:
        raise UnsafeTarget("Use an https:// URL: signed events are not sent in the clear.")
    if parts.username or parts.password:
        raise UnsafeTarget("Credentials in the URL are not allowed; put a token in the path.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeTarget("The URL has no host.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port or (443 if scheme == "https" else 80), path


def resolve(url: str) -> Target:
    """Resolve `url` and check every address it resolves to; the target connects to the first.

    Raises UnsafeTarget with the reason (a refused address, or a name that does not resolve).
    """
    scheme, host, port, path = parse(url)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise UnsafeTarget(f"{host} does not resolve: {exc}.") from exc
        addresses = []
        for info in infos:
            address = ipaddress.ip_address(info[4][0].split("%")[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise UnsafeTarget(f"{host} does not resolve.")
        addresses.sort(key=lambda a: a.version)  # IPv4 first: it is routed more often
    networks = allowed_networks()
    for address in addresses:
        reason = address_refusal(address, networks)
        if reason:
            shown = "" if literal is not None else f"{host} resolves to "
            raise UnsafeTarget(
                f"{shown}{reason}; webhooks go to public addresses only "
                "(SCRM_WEBHOOK_ALLOWED_NETWORKS allows chosen networks)."
            )
    return Target(scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))


def check_url(url: str, *, field: str = "url") -> str:
    """`url` if it may be called; otherwise a 400 naming `field`."""
    try:
        resolve(url)
    except UnsafeTarget as exc:
        raise InvalidInput(errors={field: [str(exc)]}) from None
    return url
