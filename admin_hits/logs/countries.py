"""The country of a client address: an ISO 3166-1 alpha-2 code, never the address itself.

Two sources, the first that is set:

- a MaxMind-format database (GeoLite2 Country or City, DB-IP Lite; read with ``geoip2``, the
  ``geoip`` extra) at ``ADMIN_HITS_GEOIP_DATABASE``: where the address is used, as well as the
  vendor could locate it (country-level accuracy is commonly quoted at about 99%);
- otherwise ``iptocc`` (a dependency): the country each block was *registered* to at its
  Regional Internet Registry, with the data in the wheel (no file, no network at run time),
  refreshed by its releases. The registry country agrees with the location for about 95% of
  IPv4 addresses; it is wrong for a block registered in one country and used in others
  (multinational clouds, mobile carriers, VPNs).

An address without a country (private, reserved, documentation ranges, a host name) is
``""``. Each distinct address is looked up once per run (a bounded cache).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from admin_hits.exceptions import ConfigurationError

UNKNOWN = ""
_CACHE_LIMIT = 100_000
# An IPv4 address written as ``ipaddress`` writes it (no leading zeros, each part up to 255),
# nearly every logged client: taken as it is, 20 times faster than parsing it (the text is
# the same either way; anything else goes through ``ipaddress``).
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
                   r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])")  # fmt: skip


def client_address(host: str) -> str | None:
    """The address of a logged client field as text (``[2001:db8::1]`` and a zone cut,
    IPv4-mapped IPv6 as IPv4), or ``None`` when it is no IP address."""
    if _IPV4.fullmatch(host):
        return host
    try:
        address = ipaddress.ip_address(host.strip().strip("[]").split("%")[0])
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped if mapped is not None else address)


def registry_lookup() -> Callable[[str], str | None]:
    from iptocc import country_code

    lookup: Callable[[str], str | None] = country_code
    return lookup


def _maxminddb() -> Any:
    try:
        import maxminddb
    except ImportError as exc:
        raise ConfigurationError(
            "ADMIN_HITS_GEOIP_DATABASE needs the geoip extra: pip install "
            "'django-admin-hits[geoip]'"
        ) from exc
    return maxminddb


def _open(maxminddb: Any, path: str) -> Any:
    try:
        return maxminddb.open_database(path)
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        # A missing or unreadable file (OSError), or not a MaxMind DB (the others).
        raise ConfigurationError(
            f"ADMIN_HITS_GEOIP_DATABASE: {path!r} can not be read as a MaxMind database: {exc}"
        ) from exc


def check_database(path: str) -> str:
    """Raises ``ConfigurationError`` when the database at ``path`` can not be read; gives a
    warning's text when it looks like no country database (an ASN database, say), else ""."""
    reader = _open(_maxminddb(), path)
    try:
        kind = str(reader.metadata().database_type)
    finally:
        reader.close()
    # MaxMind's and DB-IP's other products: networks' owners, connection types, proxies.
    if not any(word in kind.lower() for word in ("asn", "isp", "domain", "connection", "anon")):
        return ""
    return (
        f"ADMIN_HITS_GEOIP_DATABASE: {path!r} is a {kind!r} database, which may hold no "
        "countries: every address would be counted under an unknown country."
    )


def database_lookup(path: str) -> Callable[[str], str | None]:
    """A look-up in the MaxMind-format database at ``path`` (Country or City)."""
    maxminddb = _maxminddb()
    reader = _open(maxminddb, path)

    def lookup(address: str) -> str | None:
        record: Any = reader.get(address)
        if not isinstance(record, dict):
            return None
        for key in ("country", "registered_country"):
            code = (record.get(key) or {}).get("iso_code")
            if code:
                return str(code)
        return None

    return lookup


class Countries:
    """``of(raw client address)``: its country code, or ``unknown``; bytes as logged or text."""

    def __init__(
        self, database: str = "", limit: int = _CACHE_LIMIT, unknown: str = UNKNOWN
    ) -> None:
        self.database = database
        self.unknown = unknown
        self.limit = limit
        self.known: dict[Any, str] = {}
        self._lookup: Callable[[str], str | None] | None = None

    def of(self, raw: bytes | str | None) -> str:
        found = self.known.get(raw)
        if found is None:
            if len(self.known) >= self.limit:
                self.known.clear()
            found = self.known[raw] = self._find(raw)
        return found

    def _find(self, raw: bytes | str | None) -> str:
        if not raw:
            return self.unknown
        host = raw.decode("ascii", "replace") if isinstance(raw, bytes) else raw
        address = client_address(host)
        if address is None:
            return self.unknown
        if self._lookup is None:
            self._lookup = database_lookup(self.database) if self.database else registry_lookup()
        code = self._lookup(address)
        return code.upper() if code else self.unknown
