"""Who sent a request: excluded networks, and the visitor key that counts unique visitors.

A visitor is (IP address, user agent), the way privacy-friendly analytics count them: the pair
is hashed with BLAKE2b keyed by a random salt that lives only as long as the run (never
stored), personalised by the day, and only the 64-bit hash is kept, so the stored figures can
not be tied back to an address, and the same visitor on two days gives unrelated keys.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from collections.abc import Iterable
from datetime import date
from typing import Any

from admin_hits.exceptions import ConfigurationError
from admin_hits.logs.parser import text

_CACHE_LIMIT = 25_000
# The default salt: made when the process starts, never stored or logged. Worker processes
# forked by a parallel parse inherit it, so they give the same visitor the same key.
_PROCESS_SALT = os.urandom(32)
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(entries: Iterable[str]) -> tuple[IPNetwork, ...]:
    """The networks of ``entries`` (``"10.0.0.0/8"``, ``"2001:db8::/32"``, ``"192.0.2.7"``);
    ``ConfigurationError`` names a bad entry."""
    found = []
    for entry in entries:
        try:
            found.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as exc:
            raise ConfigurationError(
                f"{entry!r} is no IP address or network (e.g. '192.0.2.0/24'): {exc}"
            ) from exc
    return tuple(found)


class NetworkFilter:
    """``excluded(host)``: whether a logged client address is in one of ``entries``.

    Decided once per distinct address (a bounded cache); a host that is no IP address (a
    name, with ``HostnameLookups On``) is never excluded. IPv4-mapped IPv6 addresses
    (``::ffff:192.0.2.1``) count as their IPv4 address.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.networks = networks(entries)
        self._cache: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.networks)

    def excluded(self, host: str) -> bool:
        known = self._cache.get(host)
        if known is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            known = self._cache[host] = self._judge(host)
        return known

    def _judge(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host.strip("[]").split("%")[0])
        except ValueError:
            return False
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        return any(address in network for network in self.networks)


class VisitorKeys:
    """``key(day, host, user_agent)``: a 64-bit integer per visitor and day.

    ``host`` and ``user_agent`` as logged (bytes, ``-`` for none) or as text (``""`` for
    none): both give the same key. ``salt`` (random when not given; parallel workers of one
    run must share it; the default is made when the process starts, and forked workers share
    it) keys the hash.
    """

    def __init__(self, salt: bytes | None = None) -> None:
        self._salt = salt if salt is not None else _PROCESS_SALT
        self._hashes: dict[date, Any] = {}

    def key(self, day: date, host: bytes | str | None, user_agent: bytes | str | None) -> int:
        base = self._hashes.get(day)
        if base is None:
            if len(self._hashes) > 8:
                self._hashes.clear()
            # Keyed once per day; copying a keyed state is cheaper than keying it again.
            base = self._hashes[day] = hashlib.blake2b(
                digest_size=8, key=self._salt, person=day.isoformat().encode()
            )
        digest = base.copy()
        digest.update(_raw(host) + b"\0" + _raw(user_agent))
        return int.from_bytes(digest.digest(), "big")


def _raw(value: bytes | str | None) -> bytes:
    """``value`` as the bytes of its text (``parser.text``), so a field read as bytes and the
    same field read as text give the same visitor."""
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if value == b"-":
        return b""
    if value.isascii():
        return value
    return text(value).encode("utf-8", "surrogatepass")
