"""The worker: read lines as they come, count them with the log core, flush to the store.

One thread reads and counts; a ``StoreWriter`` thread talks to the store, so a slow or dead
store never stops stdin from draining (Apache blocks on a full pipe). The loop wakes at least
every ``flush_interval`` even without input, and at once on SIGTERM, SIGHUP or SIGINT (through
a wake-up pipe), then flushes and exits 0. EOF does the same.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import sys
import time
from typing import Any, TextIO

from admin_hits.live.hours import hour_deltas
from admin_hits.live.pipe.config import PipeConfig
from admin_hits.live.pipe.heartbeat import PipeHeartbeat
from admin_hits.live.pipe.sites import SitesAggregator
from admin_hits.live.pipe.sources import Source, open_source
from admin_hits.live.pipe.status import Totals, escape, status_line
from admin_hits.live.pipe.writer import StoreWriter
from admin_hits.logs import Aggregator

#: Counts are taken from the log core at least every this many lines, so a flood of distinct
#: paths within one flush interval can not grow its counters without bound.
TAKE_EVERY = 20_000
#: Seconds a stopping worker keeps reading what is already in the pipe.
DRAIN_READING = 0.5
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
_PR_SET_PDEATHSIG = 1


def die_with_parent(supervisor: int | None) -> bool:
    """Ask Linux for SIGTERM when the supervisor dies, so Apache's respawned pipe is alone.

    False when the supervisor (its pid, passed by it) is already gone: the signal is only sent
    for a death after the request, and a supervisor SIGKILLed while this process started up
    would leave it reading Apache's pipe beside the new pipe's worker forever.
    """
    # Elsewhere than Linux the loop notices the new parent id within a second instead.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    return supervisor is None or os.getppid() == supervisor


class Worker:
    def __init__(self, config: PipeConfig, *, stderr: TextIO = sys.stderr, fd: int = 0) -> None:
        self.config = config
        self.stderr = stderr
        self.fd = fd
        self.totals = Totals()
        options: dict[str, Any] = {
            "tz": config.tz, "rules": config.rules, "max_line_length": config.max_line_length,
            "visits": False,  # the live store keeps human views only
        }  # fmt: skip
        self.aggregator: Aggregator | SitesAggregator = (
            SitesAggregator(config.log_format, config.sites, **options)
            if config.sites
            else Aggregator(config.log_format, **options)
        )
        self.heartbeat = PipeHeartbeat(config.tz, say=self._say)
        self.stopping = False
        self._lines_since_take = 0
        self._too_long_seen = 0

    def run(self, *, parent: int | None = None) -> int:
        """Count until EOF or a stop signal; 0 when it ended as asked."""
        source = open_source(self.config.listen, self.config.max_line_length, self.fd)
        try:
            store = self.config.make_store()
        except BaseException:
            source.close()
            raise
        on_exit = _close_django_connections if self.config.needs_django else None
        writer = StoreWriter(
            store, max_pending=self.config.max_pending, on_exit=on_exit, heartbeat=self.heartbeat
        )
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        previous = signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
        handlers = {sig: signal.signal(sig, self._stop) for sig in _STOP_SIGNALS}
        writer.start()
        try:
            self._loop(source, writer, wake_read, parent)
        finally:
            self._flush(source, writer)
            writer.close(self.config.drain_timeout)
            self._status(writer, final=True)
            source.close()
            signal.set_wakeup_fd(previous)
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            os.close(wake_read)
            os.close(wake_write)
        return 0

    def _stop(self, signum: int, frame: object) -> None:
        self.stopping = True

    def _loop(self, source: Source, writer: StoreWriter, wake: int, parent: int | None) -> None:
        poller = select.poll()
        poller.register(source.fileno(), select.POLLIN)
        poller.register(wake, select.POLLIN)
        interval, status_every = self.config.flush_interval, self.config.status_interval
        now = time.monotonic()
        next_flush, next_status = now + interval, now + (status_every or float("inf"))
        while not self.stopping:
            timeout = max(0.0, min(next_flush, next_status) - time.monotonic())
            for fd, _ in poller.poll(timeout * 1000):
                if fd == wake:
                    os.read(wake, 512)
                elif not self._read(source):
                    return  # end of input
            now = time.monotonic()
            if now >= next_flush or self._lines_since_take >= TAKE_EVERY:
                self._flush(source, writer)
                next_flush = now + interval
                if parent is not None and os.getppid() != parent:
                    return  # the supervisor is gone; Apache starts a new one
            if now >= next_status:
                self._status(writer)
                next_status = now + status_every
        self._drain(source, poller)

    def _read(self, source: Source) -> bool:
        """Count what can be read now; False at the end of the input."""
        lines = source.read()
        if lines is None:
            return False
        self.aggregator.feed(lines)
        self._lines_since_take += len(lines)
        return True

    def _drain(self, source: Source, poller: select.poll) -> None:
        """Asked to stop: count the lines already waiting in the pipe, for a moment at most."""
        deadline = time.monotonic() + DRAIN_READING
        while time.monotonic() < deadline:
            ready = [fd for fd, _ in poller.poll(0) if fd == source.fileno()]
            if not ready or not self._read(source):
                return

    def _flush(self, source: Source, writer: StoreWriter) -> None:
        counts = self.aggregator.take()
        self._lines_since_take = 0
        self.totals.add(counts)
        too_long, self._too_long_seen = source.too_long - self._too_long_seen, source.too_long
        self.totals.add_too_long(too_long)
        self.heartbeat.counted(self.totals.lines, self.totals.views)
        deltas = {**counts.views, **hour_deltas(counts.extra)}  # paths and hours
        if isinstance(self.aggregator, SitesAggregator):
            deltas.update(self.aggregator.site_deltas)  # and each site's paths
        writer.submit(deltas)

    def _status(self, writer: StoreWriter, *, final: bool = False) -> None:
        line = status_line(
            self.totals,
            store_errors=writer.errors,
            dropped=writer.dropped,
            uncertain=writer.uncertain,
            pending=writer.pending,
            last_error=writer.last_error,
            final=final,
        )
        self._say(line)

    def _say(self, line: str) -> None:
        """One line on stderr (Apache's error log), escaped."""
        try:
            self.stderr.write(escape(line) + "\n")
            self.stderr.flush()
        except (OSError, ValueError):
            pass  # nobody reads stderr any more; counting goes on


def _close_django_connections() -> None:
    from django.db import connections

    connections.close_all()
