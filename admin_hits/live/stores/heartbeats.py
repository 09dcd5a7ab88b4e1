"""The pipe's heartbeat: who counts into a live store, and since when the store holds the day.

Each pipe writes one small record per day into the store it counts into, with each flush (and
every ``IDLE_SECONDS`` without traffic): its host, pid and version, the lines and views it
counted since it started, and when it last wrote counts. The admin and ``hits_today`` read them
back, so a pipe that counts into another store than the admin reads (Apache does not pass the
shell's environment to the pipe) shows as "no pipe has written to this store today".

A heartbeat the store has lost (memcached restarted, the cache was flushed or evicted it) is
how a pipe finds out that the store lost the day's counts: it records ``lost_at``, and the
admin says the live counts begin then.

In a cache the records live in slots of a per-day index, as the paths do (see ``keys``)::

    hits:20261129:pipes          how many pipes wrote a heartbeat that day
    hits:20261129:pipe:2         the second one's record (JSON)

No Django import here: the pipe in memcached mode starts without Django.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, fields
from typing import Any

#: A pipe writes its heartbeat at least this often, even without a line to count.
IDLE_SECONDS = 30.0
#: A pipe whose last heartbeat is older than this has stopped (or hangs).
RUNNING_WITHIN = 3 * IDLE_SECONDS
#: Heartbeats remembered per day (every worker restart of every web server adds one).
PIPE_LIMIT = 1000


@dataclass(frozen=True)
class Heartbeat:
    """One pipe's record of a day; times are Unix times of the pipe's clock."""

    host: str
    pid: int
    version: str
    started: float
    lines: int = 0
    views: int = 0
    last_write: float | None = None  # counts last written to the store
    beat: float = 0.0  # this record written
    lost_at: float | None = None  # the store was found to have lost the day's counts
    stopped: bool = False  # the pipe exited

    @property
    def pipe_id(self) -> str:
        return f"{self.host}:{self.pid}:{self.started:.0f}"

    def encode(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def decode(cls, raw: bytes | str | None) -> Heartbeat | None:
        """The record stored as ``raw``; None for anything that is not one."""
        if raw is None:
            return None
        try:
            data: Any = json.loads(raw)
            known = {f.name for f in fields(cls)}
            return cls(**{key: value for key, value in data.items() if key in known})
        except (ValueError, TypeError, AttributeError):
            return None


def _day_part(prefix: str, day: datetime.date) -> str:
    return f"{prefix}:{day.year:04d}{day.month:02d}{day.day:02d}"


def count_key(prefix: str, day: datetime.date) -> str:
    """How many heartbeat slots the day holds."""
    return f"{_day_part(prefix, day)}:pipes"


def slot_keys(prefix: str, day: datetime.date, slots: range) -> list[str]:
    head = _day_part(prefix, day) + ":pipe:"
    return [f"{head}{slot}" for slot in slots]


def probe_key(prefix: str, token: str) -> str:
    """A key ``admin-hits-pipe --check`` writes and reads back."""
    return f"{prefix}:probe:{token}"
