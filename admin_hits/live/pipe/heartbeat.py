"""The worker's heartbeat: written into the store with each flush, by the writer's thread.

It tells the admin which pipes count into the store it reads, and finds out when the store has
lost the day's counts (a memcached restart): then the pipe says so once on stderr (Apache's
error log) and records when, so the admin can say since when its live figures count.
"""

from __future__ import annotations

import datetime
import os
import socket
import time
from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from admin_hits import __version__
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.heartbeats import IDLE_SECONDS, Heartbeat

#: Heartbeats written after counts are at most this often (a busy pipe flushes more often).
MIN_SECONDS = 1.0


def lost_message(when: float, tz: ZoneInfo) -> str:
    since = datetime.datetime.fromtimestamp(when, tz).strftime("%H:%M")
    return (
        "admin-hits-pipe: the live store lost today's counts (its heartbeat vanished: the "
        f"server restarted, or was flushed); live counts since {since}; the nightly count is "
        "unaffected"
    )


class PipeHeartbeat:
    """What the pipe has done, written as a ``Heartbeat``; not thread-safe beyond the two
    integers the reading thread sets with ``counted``."""

    def __init__(self, tz: ZoneInfo, say: Callable[[str], None]) -> None:
        self.tz = tz
        self.say = say
        self.record = Heartbeat(
            host=socket.gethostname(), pid=os.getpid(), version=__version__, started=time.time()
        )
        self.lines = self.views = 0
        self.last_write: float | None = None
        self.lost_at: float | None = None
        self._last = -IDLE_SECONDS  # monotonic time of the last heartbeat
        self._fresh = False  # counts written since it

    def counted(self, lines: int, views: int) -> None:
        """The totals since the start (from the reading thread)."""
        self.lines, self.views = lines, views

    def wrote(self) -> None:
        """Counts were written to the store just now."""
        self.last_write = time.time()
        self._fresh = True

    def due_in(self) -> float:
        """Seconds until a heartbeat is due: ``MIN_SECONDS`` after the last one when counts
        were written since, ``IDLE_SECONDS`` when none were."""
        return self._last + (MIN_SECONDS if self._fresh else IDLE_SECONDS) - time.monotonic()

    def write(self, store: LiveStore, *, stopped: bool = False) -> None:
        """Write the heartbeat; raises what the store raises."""
        now = time.time()
        day = datetime.datetime.fromtimestamp(now, self.tz).date()
        lost_today = self.lost_at is not None and self._day(self.lost_at) == day
        record = replace(
            self.record, lines=self.lines, views=self.views, last_write=self.last_write,
            beat=now, lost_at=self.lost_at if lost_today else None, stopped=stopped,
        )  # fmt: skip
        self._last, self._fresh = time.monotonic(), False
        if store.beat(day, record):
            return
        self.lost_at = now
        store.beat(day, replace(record, lost_at=now))
        self.say(lost_message(now, self.tz))

    def _day(self, when: float) -> datetime.date:
        return datetime.datetime.fromtimestamp(when, self.tz).date()
