"""Who sent a request: excluded networks, and the visitor key that counts unique visitors.

A visitor is (IP address, user agent), the way privacy-friendly analytics count them: the pair
is hashed with a random salt that lives only as long as the run, together with the day, and
only the 64-bit hash is kept while counting. What is stored is counts alone, so the figures
can not be tied back to an address, and the same visitor on two days gives unrelated keys.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable
from datetime import date

from admin_hits.exceptions import ConfigurationError

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
    """``key(day, host, user_agent)``: an integer per visitor and day.

    ``host`` and ``user_agent`` as logged (bytes, ``-`` for none) or as text (``""`` for
    none): both give the same key. The key is Python's own hash of (salt, day, host, user
    agent): SipHash, keyed by a secret Python draws at random when the process starts, of a
    tuple that also holds ``salt`` (random when not given; the default is made when the
    process starts). It is computed in C, so the log core's fast path hashes every human
    view without a Python call (``day_key`` gives the first item). Keys only live in memory
    for the run: forked workers of a parallel parse inherit both the secret and the salt, so
    they give a visitor the same key; nothing derived from an address is ever stored.
    """

    def __init__(self, salt: bytes | None = None) -> None:
        self._salt = salt if salt is not None else _PROCESS_SALT

    def day_key(self, day: date) -> int:
        """What every key of ``day`` is hashed with: ``hash((day_key, host, agent))``."""
        return hash((self._salt, day.toordinal()))

    def key(self, day: date, host: bytes | str | None, user_agent: bytes | str | None) -> int:
        return hash((self.day_key(day), _raw(host), _raw(user_agent)))


def _raw(value: bytes | str | None) -> bytes | None:
    """``value`` as the bytes it was logged as, so a field read as bytes (the fast path
    hashes them as they are) and the same field read as text give the same visitor;
    ``None`` (a format that does not log it) as the fast path has it too."""
    if value is None or isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogatepass") if value else b"-"
