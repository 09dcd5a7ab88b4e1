"""The live store interface: add a day's per-path deltas; read a day's counts for paths."""

from __future__ import annotations

import abc
import datetime
from collections.abc import Iterable, Mapping


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

    def close(self) -> None:  # noqa: B027  (optional hook: most stores hold nothing to close)
        """Release connections."""
