"""The live store on a Django cache (``CACHES[alias]``) with an atomic ``incr``, such as Redis.

Create-or-increment: ``incr`` (raises ValueError on a missing key), else ``add`` (only one
client can succeed), else ``incr`` again because another web server created the key in between.
With Django's ``RedisCache`` both are single atomic Redis commands (``INCRBY``, ``SET NX``). A
cache without an atomic ``incr`` (the database and file caches) can lose counts under
concurrency: use Redis, memcached or the ``db`` store instead.

Timeouts are the cache's own: for Redis set ``OPTIONS = {"socket_timeout": 0.5,
"socket_connect_timeout": 0.5}`` in the ``CACHES`` entry, so a dead server fails fast.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from django.core.cache import InvalidCacheBackendError, caches

from admin_hits.exceptions import ConfigurationError, StoreError
from admin_hits.live.stores import keys as k
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.cache_beats import CacheHeartbeats
from admin_hits.live.stores.errors import PartialAddError

_READ_BATCH = 1000


class _Outcome(Enum):
    INCREMENTED = 1
    CREATED = 2
    VANISHED = 3  # created by someone else, evicted before our incr: not applied


class _NotSent(Exception):
    """The cache answered without sending the command (a client that marked its server down)."""


class DjangoCacheStore(CacheHeartbeats, LiveStore):
    """Counters in a Django cache; keys are ``prefix:YYYYMMDD:<path hash>`` (see ``keys``)."""

    def __init__(
        self, alias: str = "default", prefix: str = "hits", *, expiry: int = k.EXPIRY_SECONDS
    ) -> None:
        try:
            self.cache = caches[alias]
        except InvalidCacheBackendError as exc:
            raise ConfigurationError(f"django-cache store: no cache {alias!r} in CACHES") from exc
        self.alias = alias
        self.prefix = k.check_prefix(prefix)
        self.expiry = k.check_expiry(expiry)
        #: Paths counted whose index entry could not be written (``day()`` misses them).
        self.index_errors = 0

    def _fail(self, reason: BaseException | str) -> str:
        """The message of a failure: an exception as its repr, a reason as it reads."""
        said = reason if isinstance(reason, str) else repr(reason)
        return f"django-cache store {self.alias!r}: {said}"

    def add(self, day: datetime.date, deltas: Mapping[str, int]) -> None:
        items = [(k.counter_key(self.prefix, day, p), p, n) for p, n in deltas.items() if n > 0]
        if not items:
            return
        try:
            # One cheap read first: a cache that is down fails here, before any count is sent.
            self.cache.get(k.index_count_key(self.prefix, day))
        except Exception as exc:
            raise PartialAddError(self._fail(exc), unapplied=dict(deltas)) from exc
        created: list[str] = []
        vanished: dict[str, int] = {}
        for done, (key, path, n) in enumerate(items):
            try:
                outcome, _ = self._create_or_incr(key, n)
            except _NotSent as exc:
                raise PartialAddError(
                    self._fail(exc),
                    unapplied={**vanished, **{p: m for _, p, m in items[done:]}},
                ) from exc
            except Exception as exc:
                # The command for ``path`` was sent; whether it was applied is unknown.
                raise PartialAddError(
                    self._fail(exc),
                    uncertain={path: n},
                    unapplied={**vanished, **{p: m for _, p, m in items[done + 1 :]}},
                ) from exc
            if outcome is _Outcome.CREATED:
                created.append(path)
            elif outcome is _Outcome.VANISHED:
                vanished[path] = n
        if created:
            self._index(day, created)
        if vanished:
            raise PartialAddError(self._fail("counters vanished; retry"), unapplied=vanished)

    def _create_or_incr(self, key: str, delta: int) -> tuple[_Outcome, int]:
        """Add ``delta`` to ``key``; the outcome and the counter's new value."""
        try:
            return _Outcome.INCREMENTED, self._incr(key, delta)
        except ValueError:
            pass
        if self.cache.add(key, delta, timeout=self.expiry):
            return _Outcome.CREATED, delta
        try:
            return _Outcome.INCREMENTED, self._incr(key, delta)
        except ValueError:
            return _Outcome.VANISHED, 0

    def _incr(self, key: str, delta: int) -> int:
        value = self.cache.incr(key, delta)
        # pymemcache's HashClient (Django's PyMemcacheCache with several servers, or one) sends
        # nothing to a server it marked dead a moment ago and returns a default instead: False
        # for ``incr``. Taken for a number, those counts would be lost yet reported written.
        if isinstance(value, bool) or not isinstance(value, int):
            raise _NotSent(f"incr returned {value!r}, not a count; server marked down?")
        return value

    def _index(self, day: datetime.date, new_paths: list[str]) -> None:
        """Reserve slots with one atomic increment of the day's path count, then fill them."""
        n = len(new_paths)
        try:
            outcome, end = self._create_or_incr(k.index_count_key(self.prefix, day), n)
            if outcome is _Outcome.VANISHED:
                raise StoreError("index counter vanished")
            slot_range = range(end - n + 1, end + 1)
            names = k.index_slot_keys(self.prefix, day, slot_range)
            slots = {
                name: path
                for slot, name, path in zip(slot_range, names, new_paths, strict=True)
                if 0 < slot <= k.INDEX_LIMIT
            }
            self.cache.set_many(slots, timeout=self.expiry)
        except Exception:
            self.index_errors += n

    def _get(self, names: list[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        try:
            for start in range(0, len(names), _READ_BATCH):
                values.update(self.cache.get_many(names[start : start + _READ_BATCH]))
        except Exception as exc:
            raise StoreError(self._fail(exc)) from exc
        return values

    def get_many(self, day: datetime.date, paths: Iterable[str]) -> dict[str, int]:
        by_key = {k.counter_key(self.prefix, day, p): p for p in paths}
        return {by_key[key]: int(v) for key, v in self._get(list(by_key)).items()}

    def day(self, day: datetime.date) -> dict[str, int]:
        count_key = k.index_count_key(self.prefix, day)
        count = int(self._get([count_key]).get(count_key) or 0)
        slots = k.index_slot_keys(self.prefix, day, range(1, min(count, k.INDEX_LIMIT) + 1))
        paths = set(self._get(slots).values()) if slots else set()
        return self.get_many(day, paths) if paths else {}

    # -- heartbeats (``cache_beats``) ----------------------------------------------------

    def _bump_key(self, key: str, n: int) -> int:
        try:
            outcome, value = self._create_or_incr(key, n)
        except Exception as exc:
            raise StoreError(self._fail(exc)) from exc
        if outcome is _Outcome.VANISHED:
            raise StoreError(self._fail(f"{key} vanished while it was being created"))
        return value

    def _set_value(self, key: str, value: str) -> None:
        try:
            self.cache.set(key, value, timeout=self.expiry)
        except Exception as exc:
            raise StoreError(self._fail(exc)) from exc

    def _replace_value(self, key: str, value: str) -> bool:
        try:
            # ``touch`` is False for a missing key; Django's caches have no "replace".
            if not self.cache.touch(key, timeout=self.expiry):
                return False
            self.cache.set(key, value, timeout=self.expiry)
        except Exception as exc:
            raise StoreError(self._fail(exc)) from exc
        return True

    def _get_raw(self, keys: list[str]) -> dict[str, Any]:
        return self._get(keys)
