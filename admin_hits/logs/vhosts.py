"""Which site a line belongs to, from the virtual host it logs (``%v``, or ``%{Host}i``).

Only a project that counts several sites (``ADMIN_HITS_SITES``) reads the host: the lines of
each site are picked out here before the counting starts, so the counting itself knows
nothing of sites and a single-site configuration pays nothing.

A host is read as the web server logged it, then lowered, its port and a final dot dropped:
``WWW.Example.com.:443`` is ``www.example.com``, ``[2001:db8::1]:80`` is ``[2001:db8::1]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from admin_hits.logs.aggregator import Aggregator
from admin_hits.logs.counts import Counts
from admin_hits.logs.formats import Directive, resolve, tokenize

ANY_HOST = "*"  # the key of ADMIN_HITS_SITES that takes the hosts no other key names
OTHER_SITE = "other_site"  # the reason lines of hosts mapped to no site are not counted
# A flood of forged Host headers (``%{Host}i``) must not grow the cache without end.
_CACHE_LIMIT = 10_000
_QUOTED = rb'(?:[^"\\]|\\.)*'
_FIELD = rb"[^ ]*"


def host_directive(token: object) -> bool:
    """Whether ``token`` logs the virtual host: ``%v``, or the ``Host`` request header."""
    if not isinstance(token, Directive):
        return False
    return token.letter == "v" or (token.letter == "i" and (token.param or "").lower() == "host")


def logs_host(log_format: str) -> bool:
    """Whether lines of ``log_format`` (a nickname or a LogFormat string) log the host."""
    return any(host_directive(t) for t in tokenize(resolve(log_format)))


def normal_host(raw: bytes) -> str:
    """A logged host as it is looked up: lowered, without port, without a final dot."""
    host = raw.decode("ascii", "replace").strip().lower()
    # An IPv6 address is bracketed, maybe with a port after "]".
    bracket = host.find("]") + 1 if host.startswith("[") else 0
    return (host[:bracket] if bracket else host.partition(":")[0]).rstrip(".")


def host_reader(log_format: str) -> Callable[[bytes], bytes | None]:
    """A function that gives the raw host of a line of ``log_format`` (``None`` when the line
    does not start as the format says). Only the part of the format up to the host is
    matched. Raises ``ValueError`` when the format logs no host."""
    tokens = tokenize(resolve(log_format))
    place = next((i for i, t in enumerate(tokens) if host_directive(t)), None)
    if place is None:
        raise ValueError(f"The log format {log_format!r} logs no host (%v or %{{Host}}i).")
    if place == 0:
        # The usual case (vhost_combined, vhost_common: "%v:%p %h ..."): no regex needed.
        after = tokens[1] if len(tokens) > 1 and isinstance(tokens[1], str) else " "
        stop = b":" if after.startswith(":") else b" "

        def first(line: bytes) -> bytes | None:
            return line.partition(stop)[0].partition(b" ")[0] or None

        return first
    parts = []
    for token in tokens[:place]:
        if isinstance(token, str):
            parts.append(re.escape(token.encode()))
        elif token.letter == "t" and token.param is None:
            parts.append(rb"\[[^\]]*\]")
        else:
            parts.append(_QUOTED if token.quoted else _FIELD)
    host = tokens[place]
    assert isinstance(host, Directive)
    parts.append(rb"(" + (_QUOTED if host.quoted else rb'[^ "]*') + rb")")
    pattern = re.compile(b"".join(parts))

    def found(line: bytes) -> bytes | None:
        match = pattern.match(line)
        return match[1] if match is not None else None

    return found


class SiteLines:
    """Picks out the lines of one site: ``keep(lines)`` gives the lines whose host ``hosts``
    maps to ``site`` (``hosts``: normal host -> site id; the key ``"*"`` takes any other
    host). Lines whose host is mapped to no site are dropped, and counted in ``other`` by the
    ``takes_unread`` site's ``SiteLines`` (so once over all the sites' passes). Lines
    whose host can not be read (they do not match the format) go to the ``takes_unread`` site
    alone, whose counting then skips them once, with the reason it finds."""

    def __init__(
        self, log_format: str, hosts: Mapping[str, int], site: int, *, takes_unread: bool
    ) -> None:
        self.read_host = host_reader(log_format)
        self.hosts = dict(hosts)
        self.site = site
        self.takes_unread = takes_unread
        self.other = 0
        self._sites: dict[bytes, int | None] = {}

    def site_of(self, raw: bytes) -> int | None:
        """The site of a raw logged host, ``None`` when no key of ``hosts`` takes it."""
        found = self._sites.get(raw, -1)
        if found != -1:
            return found
        host = normal_host(raw)
        site = self.hosts.get(host, self.hosts.get(ANY_HOST))
        if len(self._sites) >= _CACHE_LIMIT:
            self._sites.clear()
        self._sites[raw] = site
        return site

    def keep(self, lines: Iterable[bytes | str]) -> list[bytes | str]:
        kept: list[bytes | str] = []
        read_host, site_of, site = self.read_host, self.site_of, self.site
        for line in lines:
            data = line if isinstance(line, bytes) else str(line).encode("utf-8", "replace")
            raw = read_host(data)
            if raw is None:
                if self.takes_unread:
                    kept.append(line)
                continue
            mine = site_of(raw)
            if mine == site:
                kept.append(line)
            elif mine is None and self.takes_unread:  # counted in one site's pass only
                self.other += 1
        return kept


def site_entry(value: Any) -> tuple[Any, Any]:
    """``(site id, urlconf)`` of one value of ``ADMIN_HITS_SITES``, as given (unchecked)."""
    if isinstance(value, dict):
        return value.get("site"), value.get("urlconf")
    return value, None


def host_key(host: str) -> str:
    """A key of ``ADMIN_HITS_SITES`` in the form lines' hosts are looked up in (a name in
    Unicode as its ASCII form, which web servers log)."""
    if host == ANY_HOST:
        return host
    try:
        return normal_host(host.encode("idna"))
    except UnicodeError:  # not a name IDNA takes: as given (the check reports it)
        return normal_host(host.encode("ascii", "replace"))


def host_sites(sites: Mapping[Any, Any]) -> dict[str, int]:
    """Normal host -> site id, from a value of ``ADMIN_HITS_SITES``."""
    return {host_key(str(h)): int(site_entry(v)[0]) for h, v in sites.items()}


class SiteAggregator(Aggregator):
    """Counts the lines ``site_lines`` keeps; its ``take`` adds the lines of hosts mapped to
    no site as ignored (``other_site``)."""

    def __init__(self, *args: Any, site_lines: SiteLines, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site_lines = site_lines

    def feed(self, lines: Iterable[bytes | str]) -> None:
        super().feed(self.site_lines.keep(lines))

    def take(self) -> Counts:
        counts = super().take()
        other, self.site_lines.other = self.site_lines.other, 0
        if other:
            counts.lines += other
            counts.parsed += other
            counts.ignored[OTHER_SITE] += other
        return counts
