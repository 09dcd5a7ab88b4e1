"""The live store interface: add a day's per-path deltas; read a day's counts for paths."""

from __future__ import annotations

import abc
import datetime
from collections.abc import Iterable, Mapping

from admin_hits.live.stores.heartbeats import Heartbeat


class LiveStore(abc.ABC):
    """Per-day, per-path view counters that the pipe increments and the admin reads.

    Implementations are best-effort and fast: every operation gives up within the configured
    timeout and raises ``admin_hits.exceptions.StoreError``; they never retry on their own (the
    pipe decides what to keep and retry).
    """

    @abc.abstractmethod
    def add(self, day: datetime.date, deltas: Mapping[str, int]) -> None:
        """Atomically add ``deltas`` (path -> views) to the day's counters."""

    @abc.abstractmethod
    def get_many(self, day: datetime.date, paths: Iterable[str]) -> dict[str, int]:
        """Counts of ``paths`` on ``day`` in one round trip; paths never seen are left out."""

    @abc.abstractmethod
    def day(self, day: datetime.date) -> dict[str, int]:
        """Every path counted on ``day`` with its views."""

    # Health (see ``heartbeats``). A store of its own that does not keep heartbeats works; the
    # admin then says nothing about the pipes that write into it.

    def beat(self, day: datetime.date, heartbeat: Heartbeat) -> bool:
        """Write a pipe's heartbeat of ``day``; False when the one this store object wrote
        earlier that day is gone (the store lost the day's data)."""
        return True

    def heartbeats(self, day: datetime.date) -> list[Heartbeat] | None:
        """The heartbeats of ``day``; None when the store keeps none."""
        return None

    def started(self) -> float | None:
        """The Unix time the store's server started, when it keeps its data only while it
        runs (memcached); None otherwise."""
        return None

    def probe(self) -> None:  # noqa: B027  (optional: the store's own add() is the proof)
        """Write something and read it back; ``StoreError`` saying why that failed."""

    def close(self) -> None:  # noqa: B027  (optional hook: most stores hold nothing to close)
        """Release connections."""
