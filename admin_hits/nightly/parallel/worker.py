"""A ``parse_log --jobs`` worker process, and what its messages carry: it counts the ranges
and blocks it is sent, works out its part of the day's traffic, and the first worker builds
the detail tables.

Messages from a worker, in order: ``("ready", (lines, paths))`` per task, ``("readers",
(readers, paths))``, ``("part", Collected)``; the first worker then sends ``("paths", set)``
and ``("details", tables)``. Any failure is sent as ``("error", exception)``. To a worker:
tasks, then ``None``; everyone's robots.txt readers with whether it builds the detail tables;
that worker then gets the other processes' details and the objects of their paths."""

from __future__ import annotations

import datetime
import io
import signal
from collections.abc import Collection
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from admin_hits.exceptions import AdminHitsError
from admin_hits.logs import Aggregator, Counts, DayTraffic, days_of
from admin_hits.logs.counts import BOT_VIEWS
from admin_hits.logs.days import robots_readers
from admin_hits.logs.delivery import delivery_counters
from admin_hits.logs.paused_gc import paused_gc
from admin_hits.logs.visits import visit_counters
from admin_hits.nightly.logfiles import read_range
from admin_hits.nightly.resolvers import ObjectRef
from admin_hits.nightly.rollups import detail_tables
from admin_hits.nightly.sites import make_aggregator
from admin_hits.nightly.writing import KnownPaths, Table

Range = tuple[str, int, int]
RobotsReaders = dict[datetime.date, set[int]]  # visitor keys that asked for robots.txt, per date
Details = dict[datetime.date, DayTraffic]  # each date's referrers, searches, campaigns, 404s


@dataclass
class Collected:
    """What the processes found together. ``counts``: the lines, by what they were (no
    traffic detail: that is in ``traffic``). ``traffic``: each date's ``DayTraffic``, the
    robots.txt rule applied. ``known``: the wanted days' paths' URL matches and hashes,
    worked out while counting, and their objects, looked up while the workers finished.
    ``details``: each wanted day's detail tables, built by a worker while this process
    writes (``traffic`` then holds no referrers, searches, campaigns or 404s)."""

    counts: Counts = field(default_factory=Counts)
    traffic: dict[datetime.date, DayTraffic] = field(default_factory=dict)
    known: KnownPaths = field(default_factory=KnownPaths)
    details: DetailTables | None = None

    def add(self, other: Collected) -> None:
        self.counts.merge(other.counts)
        for day, traffic in other.traffic.items():
            if day in self.traffic:
                self.traffic[day].merge(traffic)
            else:
                self.traffic[day] = traffic
        self.known.update(other.known)


def view_paths(counts: Counts, days: Collection[datetime.date]) -> set[str]:
    """The wanted days' paths in ``counts``, viewed by people or bots."""
    paths = {path for day, path in counts.views if day in days}
    paths.update(path for day, path in counts.extra.get(BOT_VIEWS, ()) if day in days)
    return paths


def part_of(counts: Counts, readers: RobotsReaders) -> Collected:
    """One process's part: its traffic with everyone's robots.txt readers applied."""
    lines = Counts(lines=counts.lines, parsed=counts.parsed, skipped=counts.skipped,
                   ignored=counts.ignored, days=counts.days,
                   extra={**visit_counters(counts), **delivery_counters(counts)})  # fmt: skip
    return Collected(lines, days_of(counts, readers=readers))


def _detail_tables(
    days: Collection[datetime.date], mine: Details, theirs: Details, refs: dict[str, ObjectRef]
) -> dict[datetime.date, list[Table]]:
    """Each of ``days``'s detail tables, from this process's details and the others'."""
    tables = {}
    for day in days:
        traffic = mine.get(day) or DayTraffic()
        if day in theirs:
            traffic.merge(theirs[day])
        tables[day] = detail_tables(day, traffic, refs)
    return tables


def detail_paths(details: Details) -> set[str]:
    """The paths that have rows in the detail tables and may be an object's (not 404s)."""
    return {key[0] for traffic in details.values()
            for counter in (traffic.referrers, traffic.searches, traffic.campaigns)
            for key in counter}  # fmt: skip


def _feed(aggregator: Aggregator, task: Range | bytes) -> int:
    """Count one task (a byte range of a plain file, or a block of lines); how many lines."""
    aggregator.cut()  # it does not follow the last task: another process read between
    if isinstance(task, bytes):
        # Cut at "\n" only, as ``readlines`` cuts with ``--jobs 1``: ``bytes.splitlines``
        # also cuts at "\r", "\x0b", "\x1c", "\x85" ..., making two lines of one.
        lines = io.BytesIO(task).readlines()
        aggregator.feed(lines)
        return len(lines)
    read = 0
    for chunk in read_range(*task):
        aggregator.feed(chunk)
        read += len(chunk)
    return read


def serve(conn: Connection, options: dict[str, Any], days: frozenset[datetime.date]) -> None:
    """A worker: count each task it is sent (answering with the lines it read and the new
    paths of views: ready for more) until ``None``; send its robots.txt readers and the
    paths it has not sent yet; get everyone's readers; send its part. The worker told to
    build the detail tables keeps its details out of its part, gets everyone else's, and
    sends the tables."""
    try:
        with paused_gc():
            aggregator = make_aggregator(**options, days=days)
            sent: set[str] = set()
            while (task := conn.recv()) is not None:
                lines, paths = _feed(aggregator, task), aggregator.new_paths()
                sent |= paths
                conn.send(("ready", (lines, paths)))
            counts = aggregator.take()
            conn.send(("readers", (robots_readers(counts), view_paths(counts, days) - sent)))
            readers, builds_details = conn.recv()
            part = part_of(counts, readers)
            del counts
            if builds_details:
                mine = {day: traffic.take_details() for day, traffic in part.traffic.items()}
            conn.send(("part", part))
            if builds_details:
                del part
                conn.send(("paths", detail_paths(mine)))
                theirs, refs = conn.recv()
                conn.send(("details", _detail_tables(days, mine, theirs, refs)))
    except BaseException as exc:  # sent to the parent, which raises it as parse_log's error
        try:
            conn.send(("error", exc))
        except Exception:  # not picklable: its text then
            conn.send(("error", AdminHitsError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def stopped_text(exitcode: int | None) -> str:
    """Why a worker stopped, from its exit code (negative: the signal that killed it)."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return (
            f"A parse_log worker process was killed ({name}; SIGKILL is often the kernel's "
            "out-of-memory killer: try fewer --jobs)"
        )
    return f"A parse_log worker process stopped (exit code {exitcode})"


class Worker:
    """A forked worker and this process's end of its pipe."""

    def __init__(self, context: Any, options: dict[str, Any], days: frozenset) -> None:
        self.conn, there = context.Pipe()
        # fork: the worker inherits the loaded settings and starts at once. It never touches
        # the database connections it inherits (counting needs no query), and a forked child
        # leaves through os._exit, so they are not closed under this process.
        self.process: BaseProcess = context.Process(
            target=serve, args=(there, options, days), daemon=True
        )
        self.process.start()
        there.close()
        self.pending = 0  # tasks sent and not answered yet

    def send(self, task: Range | bytes | None) -> None:
        """Send a task, or ``None``: no more tasks."""
        try:
            self.conn.send(task)
        except OSError:  # it has stopped: say why, if it could
            self.receive("why it stopped")
        self.pending += task is not None

    def receive(self, expected: str) -> Any:
        """The worker's next message, of kind ``expected``; its error raised here."""
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(5)
            raise AdminHitsError(stopped_text(self.process.exitcode)) from None
        if kind == "error":
            raise value
        if kind != expected:
            raise AdminHitsError(f"A parse_log worker sent {kind!r}, not {expected!r}")
        if kind == "ready":
            self.pending -= 1
        return value


class DetailTables:
    """Each wanted day's detail tables (``rollups.detail_tables``), built by a worker while
    this process builds and writes the others; the first call waits for them."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.tables: dict[datetime.date, list[Table]] | None = None

    def __call__(self, day: datetime.date) -> list[Table]:
        if self.tables is None:
            try:
                self.tables = self.worker.receive("details")
            finally:
                self.close()
        return self.tables[day]

    def close(self) -> None:
        """Done with the worker (once the tables are in, or if they are not wanted)."""
        if not self.worker.conn.closed:
            self.worker.conn.close()
            if self.tables is None:
                self.worker.process.terminate()
