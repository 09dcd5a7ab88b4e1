"""Heartbeats and the probe of the stores that live in a cache (memcached, a Django cache).

Both keep them the same way, in the slots of a per-day index (see ``heartbeats``), through
four small operations each backend provides. No Django import here.
"""

from __future__ import annotations

import abc
import datetime
import os
import time
from collections.abc import Mapping

from admin_hits.exceptions import StoreError
from admin_hits.live.stores import heartbeats as hb


class CacheHeartbeats(abc.ABC):
    """``beat``, ``heartbeats`` and ``probe`` over a cache's ``_bump_key``, ``_set_value``,
    ``_replace_value`` and ``_get_raw`` (each raises ``StoreError`` when the cache fails)."""

    prefix: str

    @abc.abstractmethod
    def _bump_key(self, key: str, n: int) -> int:
        """Add ``n`` to the counter ``key`` (made when missing); its new value."""

    @abc.abstractmethod
    def _set_value(self, key: str, value: str) -> None:
        """Write ``value`` under ``key``."""

    @abc.abstractmethod
    def _replace_value(self, key: str, value: str) -> bool:
        """Overwrite ``key`` only if it exists; False when it does not."""

    @abc.abstractmethod
    def _get_raw(self, keys: list[str]) -> Mapping[str, bytes | str]:
        """The values of ``keys`` that exist."""

    def beat(self, day: datetime.date, heartbeat: hb.Heartbeat) -> bool:
        """Write ``heartbeat`` into its slot of ``day``; False when the slot this store object
        wrote before that day is gone: the cache lost the day's data since."""
        slots: dict[str, tuple[datetime.date, str]] = self.__dict__.setdefault("_beat_slots", {})
        value = heartbeat.encode()
        written = slots.get(heartbeat.pipe_id)
        name = written[1] if written is not None and written[0] == day else None
        if name == "":
            return True  # the day's slots were all taken: this pipe's is not kept
        if name is not None and self._replace_value(name, value):
            return True
        number = self._bump_key(hb.count_key(self.prefix, day), 1)
        slot = hb.slot_keys(self.prefix, day, range(number, number + 1))[0]
        if number > hb.PIPE_LIMIT:
            slot = ""
        else:
            self._set_value(slot, value)
        slots[heartbeat.pipe_id] = (day, slot)  # only the current day's is written again
        return name is None

    def heartbeats(self, day: datetime.date) -> list[hb.Heartbeat]:
        key = hb.count_key(self.prefix, day)
        count = int(self._get_raw([key]).get(key) or 0)
        names = hb.slot_keys(self.prefix, day, range(1, min(count, hb.PIPE_LIMIT) + 1))
        found = self._get_raw(names).values() if names else ()
        return [beat for raw in found if (beat := hb.Heartbeat.decode(raw)) is not None]

    def probe(self) -> None:
        """Write a key and read it back; ``StoreError`` saying what failed."""
        key = hb.probe_key(self.prefix, f"{os.getpid()}-{time.time_ns()}")
        value = str(time.time_ns())
        self._set_value(key, value)
        read = self._get_raw([key]).get(key)
        if isinstance(read, bytes):
            read = read.decode("ascii", "replace")
        if read != value:
            raise StoreError(f"wrote {key!r} but read back {read!r}")
