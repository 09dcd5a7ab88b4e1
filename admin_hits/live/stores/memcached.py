"""The memcached live store: one counter per path and day, on one or several servers.

Create-or-increment is atomic without a lock: ``incr`` (fails on a missing key), then ``add``
for the missing ones (only one client in the world can succeed), then ``incr`` again for keys
another web server created between the two. Commands are pipelined: one write and one read per
batch and server, not one round trip per path, so a flush of thousands of paths takes a few
milliseconds and leaves the pipe's reading thread alone (see ``pipelined``).

No Django import here: the pipe in memcached mode starts without Django.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from pymemcache.client.rendezvous import RendezvousHash
from pymemcache.exceptions import MemcacheError

from admin_hits.exceptions import StoreError
from admin_hits.live.stores import keys as k
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.cache_beats import CacheHeartbeats
from admin_hits.live.stores.errors import PartialAddError
from admin_hits.live.stores.pipelined import PipelinedClient

#: Commands per pipelined write; small enough that neither side's socket buffer fills up while
#: the other is still writing (which would deadlock until the timeout).
BATCH_SIZE = 500

_FAILURES = (OSError, MemcacheError)
_T = TypeVar("_T")


class _Unreachable(Exception):
    """A server is marked down or refused the connection: nothing was sent to it."""


class MemcachedStore(CacheHeartbeats, LiveStore):
    """Counters in memcached; several servers share keys by rendezvous hashing.

    Keys land on the same server as with pymemcache's ``HashClient`` over the same list. A
    server that fails is skipped for ``retry_after`` seconds; its keys are reported unapplied
    (the pipe keeps and retries them) while the other servers keep counting.
    """

    def __init__(
        self,
        servers: Sequence[tuple[str, int]],
        prefix: str = "hits",
        timeout: float = 0.5,
        *,
        expiry: int = k.EXPIRY_SECONDS,
        retry_after: float = 1.0,
    ) -> None:
        if not servers:
            raise StoreError("memcached store: no servers given")
        #: The servers the last ``get_many`` or ``day`` could not read: their share of the
        #: counts is missing from it (the admin shows the rest; ``hits_today`` says so).
        self.unread: list[str] = []
        self.prefix = k.check_prefix(prefix)
        self.expiry = k.check_expiry(expiry)
        self.retry_after = retry_after
        self._clients = {
            f"{host}:{port}": PipelinedClient(
                (host, port),
                timeout=timeout,
                connect_timeout=timeout,
                no_delay=True,
                default_noreply=False,
            )
            for host, port in servers
        }
        self._hasher = RendezvousHash()
        for name in self._clients:
            self._hasher.add_node(name)
        self._down_until: dict[str, float] = {}
        #: Paths counted whose index entry could not be written (``day()`` misses them).
        self.index_errors = 0

    # -- routing and failure bookkeeping -------------------------------------------------

    def _server_of(self, key: str) -> str:
        if len(self._clients) == 1:
            return next(iter(self._clients))
        node: str = self._hasher.get_node(key)  # pymemcache is untyped: a name added above
        return node

    def _by_server(self, names: Iterable[str]) -> dict[str, list[str]]:
        if len(self._clients) == 1:
            return {next(iter(self._clients)): list(names)}
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(self._server_of(name), []).append(name)
        return groups

    def _client(self, server: str) -> PipelinedClient:
        """The connected client of ``server``; ``_Unreachable`` when nothing can be sent."""
        if self._down_until.get(server, 0.0) > time.monotonic():
            raise _Unreachable(f"{server} is marked down")
        client = self._clients[server]
        try:
            client.connect()
        except _FAILURES as exc:
            self._mark_down(server)
            raise _Unreachable(f"{server}: {exc}") from exc
        return client

    def _mark_down(self, server: str) -> None:
        self._down_until[server] = time.monotonic() + self.retry_after
        self._clients[server].close()

    # -- writing -----------------------------------------------------------------------

    def add(self, day: datetime.date, deltas: Mapping[str, int]) -> None:
        paths = k.counter_keys(self.prefix, day, (p for p, n in deltas.items() if n > 0))
        unapplied: dict[str, int] = {}
        uncertain: dict[str, int] = {}
        created: list[str] = []
        errors: list[str] = []
        for server, names in self._by_server(paths).items():
            for batch in _batches(names, BATCH_SIZE):
                counts = {name: deltas[paths[name]] for name in batch}
                try:
                    new, vanished = self._create_or_incr(self._client(server), counts)
                except _Unreachable as exc:
                    errors.append(str(exc))
                    unapplied.update((paths[name], n) for name, n in counts.items())
                except _FAILURES as exc:
                    # The batch was sent: memcached may have applied any part of it.
                    self._mark_down(server)
                    errors.append(f"{server}: {exc!r}")
                    uncertain.update((paths[name], n) for name, n in counts.items())
                else:
                    created += new
                    unapplied.update((paths[name], n) for name, n in vanished.items())
        if created:
            self._index(day, [paths[name] for name in created])
        if unapplied or uncertain:
            raise PartialAddError(
                "memcached store: " + "; ".join(dict.fromkeys(errors)),
                unapplied=unapplied,
                uncertain=uncertain,
            )

    def _create_or_incr(
        self, client: PipelinedClient, counts: dict[str, int]
    ) -> tuple[list[str], dict[str, int]]:
        """Add ``counts`` atomically.

        Returns the keys this call created (new paths of the day) and the rare counts not
        applied because their key, created by someone else, vanished (evicted) before our
        ``incr``: those are safe to send again.
        """
        found = client.incr_many(counts)
        missing = {name: counts[name] for name, value in found.items() if value is None}
        if not missing:
            return [], {}
        stored = client.store_many(b"add", {n: b"%d" % v for n, v in missing.items()}, self.expiry)
        raced = {name: missing[name] for name, ok in stored.items() if not ok}
        again = client.incr_many(raced) if raced else {}
        vanished = {name: raced[name] for name, value in again.items() if value is None}
        return [name for name, ok in stored.items() if ok], vanished

    def _index(self, day: datetime.date, new_paths: list[str]) -> None:
        """Append paths to the day's index: reserve slots with one ``incr``, then fill them."""
        count_key, n = k.index_count_key(self.prefix, day), len(new_paths)
        try:
            first = self._bump(self._client(self._server_of(count_key)), count_key, n) - n + 1
            names = k.index_slot_keys(self.prefix, day, range(first, first + n))
            slots = {
                name: k.encode_path(path)
                for slot, name, path in zip(range(first, first + n), names, new_paths, strict=True)
                if 0 < slot <= k.INDEX_LIMIT
            }
            for server, names in self._by_server(slots).items():
                client = self._client(server)
                for batch in _batches(names, BATCH_SIZE):
                    client.store_many(b"set", {name: slots[name] for name in batch}, self.expiry)
        except (_Unreachable, *_FAILURES):
            self.index_errors += n

    def _bump(self, client: PipelinedClient, key: str, n: int) -> int:
        """Create-or-increment one counter; its new value."""
        value = client.incr_many({key: n})[key]
        if value is None:
            if client.store_many(b"add", {key: b"%d" % n}, self.expiry)[key]:
                return n
            value = client.incr_many({key: n})[key]
            if value is None:
                raise _Unreachable(f"{key} vanished while it was being created")
        return value

    # -- reading -----------------------------------------------------------------------

    def _get_values(self, names: Iterable[str]) -> dict[str, bytes]:
        """Values of ``names`` from their servers; raise ``StoreError`` only if none answered."""
        values: dict[str, bytes] = {}
        errors: list[str] = []
        groups = self._by_server(names)
        for server, server_names in groups.items():
            try:
                client = self._client(server)
                for batch in _batches(server_names, BATCH_SIZE):
                    values.update(client.get_many(batch))
            except _Unreachable as exc:
                errors.append(str(exc))
            except _FAILURES as exc:
                self._mark_down(server)
                errors.append(f"{server}: {exc!r}")
        if errors and len(errors) == len(groups):
            raise StoreError("memcached store unreachable: " + "; ".join(errors))
        self.unread.extend(errors)
        return values

    def get_many(self, day: datetime.date, paths: Iterable[str]) -> dict[str, int]:
        self.unread = []
        return self._counts(day, paths)

    def _counts(self, day: datetime.date, paths: Iterable[str]) -> dict[str, int]:
        by_key = k.counter_keys(self.prefix, day, paths)
        return {by_key[name]: int(v) for name, v in self._get_values(by_key).items()}

    def day(self, day: datetime.date) -> dict[str, int]:
        self.unread = []
        count_key = k.index_count_key(self.prefix, day)
        count = int(self._get_values([count_key]).get(count_key, 0))
        slots = k.index_slot_keys(self.prefix, day, range(1, min(count, k.INDEX_LIMIT) + 1))
        paths = {k.decode_path(v) for v in self._get_values(slots).values()} if slots else set()
        return self._counts(day, paths) if paths else {}

    # -- heartbeats (``cache_beats``) and the servers' start ---------------------------

    def _on_server_of(self, key: str, call: Callable[[PipelinedClient], _T]) -> _T:
        """``call`` with the client of ``key``'s server; ``StoreError`` when it fails."""
        server = self._server_of(key)
        try:
            return call(self._client(server))
        except _Unreachable as exc:
            raise StoreError(f"memcached store: {exc}") from exc
        except _FAILURES as exc:
            self._mark_down(server)
            raise StoreError(f"memcached store: {server}: {exc!r}") from exc

    def _bump_key(self, key: str, n: int) -> int:
        return self._on_server_of(key, lambda client: self._bump(client, key, n))

    def _set_value(self, key: str, value: str) -> None:
        data = {key: value.encode()}
        self._on_server_of(key, lambda client: client.store_many(b"set", data, self.expiry))

    def _replace_value(self, key: str, value: str) -> bool:
        data = {key: value.encode()}
        stored = self._on_server_of(
            key, lambda client: client.store_many(b"replace", data, self.expiry)
        )
        return stored[key]

    def _get_raw(self, keys: list[str]) -> dict[str, bytes]:
        return self._get_values(keys)

    def started(self) -> float | None:
        """When the most recently started server started (its counts begin then); None
        when no server answers."""
        starts = []
        for server in self._clients:
            try:
                uptime = self._client(server).stats().get(b"uptime")
            except (_Unreachable, *_FAILURES):
                continue
            if isinstance(uptime, int):
                starts.append(time.time() - uptime)
        return max(starts) if starts else None

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


def _batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
