"""Sending counts to the live store from a thread of its own, so reading never waits for it.

Deltas wait in a bounded dict (oldest first). A failed ``add`` puts back exactly what the store
reports as not applied; what it reports as uncertain (sent, no reply) is not sent again: a view
may be lost, never counted twice. Past ``max_pending`` paths the oldest deltas are dropped and
counted. Retries back off from ``retry_delay`` up to ``MAX_RETRY_DELAY`` seconds. The pipe's
heartbeat (``heartbeat``) is written from the same thread, after counts and when idle.

A store that stalls (a frozen or swapping memcached) keeps its connections open and answers
nothing: every batch sent into it times out and is uncertain. So after a timeout the writer
probes: it sends one path (the one with the fewest views) per try until the store answers, and
only then the rest. A stall costs the batch in flight when it began and a few views per retry,
not every view that arrives while it lasts (``docs/guarantees.md``).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any

from admin_hits.exceptions import StoreError
from admin_hits.live.hours import PREFIX as HOURS
from admin_hits.live.pipe.heartbeat import PipeHeartbeat
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.errors import PartialAddError

Key = tuple[datetime.date, str]


def _views(deltas: Mapping[Any, int]) -> int:
    """The views in ``deltas`` (keyed by (date, path) or by path): not the hour counters
    (``live.hours``), which count the same views again."""
    return sum(n for key, n in deltas.items() if not _path(key).startswith(HOURS))


def _path(key: Key | str) -> str:
    return key[1] if isinstance(key, tuple) else key


MAX_RETRY_DELAY = 8.0


class StoreWriter:
    def __init__(
        self,
        store: LiveStore,
        *,
        max_pending: int = 20_000,
        retry_delay: float = 1.0,
        on_exit: Callable[[], None] | None = None,
        heartbeat: PipeHeartbeat | None = None,
    ) -> None:
        self.store = store
        self.max_pending = max_pending
        self.retry_delay = retry_delay
        self.on_exit = on_exit
        self.heartbeat = heartbeat
        self.written = 0  # views the store confirmed
        self.dropped = 0  # views thrown away: over the bound, unexpected errors, left at exit
        self.uncertain = 0  # views sent without a reply: maybe counted, never sent again
        self.errors = 0  # failed store calls
        self.last_error = ""
        self._pending: dict[Key, int] = {}
        self._cond = threading.Condition()
        self._retry_at = 0.0
        self._delay = retry_delay
        self._closing = False
        self._probing = False  # a batch timed out: send one path until the store answers
        self._thread = threading.Thread(target=self._run, name="admin-hits-store", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def pending(self) -> int:
        """Views waiting to be written."""
        with self._cond:
            return _views(self._pending)

    def submit(self, views: Mapping[Key, int]) -> None:
        """Queue ``views`` ((date, path) -> views); never blocks on the store."""
        if not views:
            return
        with self._cond:
            pending = self._pending
            for key, n in views.items():
                pending[key] = pending.get(key, 0) + n
            self._trim()
            self._cond.notify()

    def close(self, timeout: float) -> None:
        """Write what is pending (one last try, even while backing off), then stop the thread.

        Views still pending after ``timeout`` seconds are counted as dropped.
        """
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join(timeout)
        with self._cond:
            self.dropped += _views(self._pending)
            self._pending.clear()

    def _trim(self) -> None:
        excess = len(self._pending) - self.max_pending
        if excess > 0:
            for key in list(islice(self._pending, excess)):
                n = self._pending.pop(key)
                self.dropped += n if not key[1].startswith(HOURS) else 0

    def _run(self) -> None:
        try:
            while True:
                batch = self._next_batch()
                errors, uncertain = self.errors, self.uncertain
                failed = self._write(batch) if batch else {}
                with self._cond:
                    if self.uncertain > uncertain:
                        self._probing = True
                    elif batch and not failed:
                        self._probing = False
                    if failed:
                        self._requeue(failed)
                    elif batch:
                        self._delay = self.retry_delay
                        if self.errors == errors:
                            self.last_error = ""  # the store answers again
                    closing = self._closing
                if batch and len(failed) < len(batch) and self.heartbeat is not None:
                    self.heartbeat.wrote()
                if closing and failed:
                    return  # the last try failed; close() counts what is left
                if closing and not batch:
                    self._beat(stopped=True)
                    return
                if not closing:
                    self._beat(stopped=False)
        finally:
            self.store.close()
            if self.on_exit is not None:
                self.on_exit()

    def _beat(self, *, stopped: bool) -> None:
        """Write the heartbeat when due (and at exit); a failure counts as a store error."""
        beat = self.heartbeat
        if beat is None or (beat.due_in() > 0 and not stopped):
            return
        try:
            beat.write(self.store, stopped=stopped)
        except Exception as exc:
            self._failed(exc)

    def _next_batch(self) -> dict[Key, int]:
        """The pending deltas once they may be sent; {} when a heartbeat is due or closing."""
        with self._cond:
            while not self._closing:
                now = time.monotonic()
                wait = self._retry_at - now if self._pending else None
                if wait is not None and wait <= 0:
                    break
                beat = None
                if self.heartbeat is not None and not self._pending:  # else: after the write
                    beat = self.heartbeat.due_in()
                    if beat <= 0:
                        break
                waits = [w for w in (wait, beat) if w is not None]
                self._cond.wait(min(waits) if waits else None)
            if self._probing and len(self._pending) > 1:
                probe = min(self._pending, key=self._pending.__getitem__)
                return {probe: self._pending.pop(probe)}
            batch, self._pending = self._pending, {}
            return batch

    def _requeue(self, failed: dict[Key, int]) -> None:
        """Put ``failed`` back in front of newer deltas (so it is the first to be dropped)."""
        for key, n in self._pending.items():
            failed[key] = failed.get(key, 0) + n
        self._pending = failed
        self._trim()
        self._retry_at = time.monotonic() + self._delay
        self._delay = min(self._delay * 2, MAX_RETRY_DELAY)

    def _write(self, batch: dict[Key, int]) -> dict[Key, int]:
        """Send ``batch`` day by day; return what must be sent again."""
        by_day: dict[datetime.date, dict[str, int]] = {}
        for (day, path), n in batch.items():
            by_day.setdefault(day, {})[path] = n
        failed: dict[Key, int] = {}
        for day, deltas in by_day.items():
            try:
                self.store.add(day, deltas)
            except PartialAddError as exc:
                self._failed(exc)
                self.written += _views(deltas) - _views(exc.unapplied)
                self.written -= _views(exc.uncertain)
                self.uncertain += _views(exc.uncertain)
                failed.update(((day, path), n) for path, n in exc.unapplied.items())
            except StoreError as exc:  # nothing was applied (the contract of LiveStore.add)
                self._failed(exc)
                failed.update(((day, path), n) for path, n in deltas.items())
            except Exception as exc:
                # Not a store outage but a bug or data the store refuses: sending the same
                # deltas again would fail the same way forever, so they are dropped.
                self._failed(exc)
                with self._cond:
                    self.dropped += _views(deltas)
            else:
                self.written += _views(deltas)
        return failed

    def _failed(self, exc: BaseException) -> None:
        self.errors += 1
        self.last_error = str(exc) or type(exc).__name__
