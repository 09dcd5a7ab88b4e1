"""``parse_log --jobs N``: one day's files counted by N processes, the day's traffic worked
out by them too.

Counting: plain files are cut into byte ranges that this process and N-1 forked workers take
one at a time, so all of them finish together. Compressed files and stdin are decompressed
here and handed out in blocks of whole lines to N workers. Every process counts with the same
``Aggregator``. With each range done, a worker sends the paths of the views it has not sent
yet (``Aggregator.new_paths``), and this process matches them to URL lookups between two
blocks of its own (``PathResolver.match``: no database); as the work is shared by taking
ranges, this matching is shared too, and all but a few paths are matched when counting ends.

Then each process turns its own counts into its part of each day's traffic (``days_of``), so
that this work runs in parallel too and what travels back is per path (counts, visitor sets),
not an entry per visitor and path or per visitor and referrer. One rule needs all the lines:
a client that asked for robots.txt is a bot for the whole day, whichever process read that
request. So the processes first swap the (small) sets of those clients, and each applies
everyone's. The parts then add up (counts sum, each path's visitor sets unite) to exactly what
a single process computes."""

from __future__ import annotations

import datetime
import multiprocessing
from collections import deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from admin_hits.exceptions import AdminHitsError
from admin_hits.logfiles import byte_ranges, is_seekable, read_blocks, read_range
from admin_hits.logs import Aggregator, Counts, DayTraffic, ViewRules, days_of
from admin_hits.logs.counts import BOT_VIEWS
from admin_hits.logs.days import robots_readers
from admin_hits.models import path_hash
from admin_hits.parsing import Source, collect, paused_gc
from admin_hits.resolvers import PathResolver
from admin_hits.services import KnownPaths

Range = tuple[str, int, int]
RobotsReaders = dict[datetime.date, set[int]]  # visitor keys that asked for robots.txt, per date
# This process reads its own ranges in blocks of this size, and answers the workers between.
_ANSWER_BYTES = 2 << 20


@dataclass
class Collected:
    """What the processes found together. ``counts``: the lines, by what they were (no
    traffic detail: that is in ``traffic``). ``traffic``: each date's ``DayTraffic``, the
    robots.txt rule applied. ``known``: the wanted days' paths' URL matches and hashes,
    worked out while counting, and their objects, looked up while the workers finished."""

    counts: Counts = field(default_factory=Counts)
    traffic: dict[datetime.date, DayTraffic] = field(default_factory=dict)
    known: KnownPaths = field(default_factory=KnownPaths)

    def add(self, other: Collected) -> None:
        self.counts.merge(other.counts)
        for day, traffic in other.traffic.items():
            if day in self.traffic:
                self.traffic[day].merge(traffic)
            else:
                self.traffic[day] = traffic
        self.known.update(other.known)


def _paths(counts: Counts, days: Collection[datetime.date]) -> set[str]:
    """The wanted days' paths in ``counts``, viewed by people or bots."""
    paths = {path for day, path in counts.views if day in days}
    paths.update(path for day, path in counts.extra.get(BOT_VIEWS, ()) if day in days)
    return paths


def _part(counts: Counts, readers: RobotsReaders) -> Collected:
    """One process's part: its traffic with everyone's robots.txt readers applied."""
    lines = Counts(lines=counts.lines, parsed=counts.parsed, skipped=counts.skipped,
                   ignored=counts.ignored, days=counts.days)  # fmt: skip
    return Collected(lines, days_of(counts, readers=readers))


def _feed(aggregator: Aggregator, task: Range | bytes) -> int:
    """Count one task (a byte range of a plain file, or a block of lines); how many lines."""
    if isinstance(task, bytes):
        lines = task.splitlines(keepends=True)
        aggregator.feed(lines)
        return len(lines)
    read = 0
    for chunk in read_range(*task):
        aggregator.feed(chunk)
        read += len(chunk)
    return read


def _serve(conn: Connection, options: dict[str, Any], days: frozenset[datetime.date]) -> None:
    """A worker: count each task it is sent (answering with the lines it read and the new
    paths of views: ready for more) until ``None``; send its robots.txt readers and the
    paths it has not sent yet; get everyone's readers; send its part."""
    try:
        with paused_gc():
            aggregator = Aggregator(**options, days=days)
            sent: set[str] = set()
            while (task := conn.recv()) is not None:
                lines, paths = _feed(aggregator, task), aggregator.new_paths()
                sent |= paths
                conn.send(("ready", (lines, paths)))
            counts = aggregator.take()
            conn.send(("readers", (robots_readers(counts), _paths(counts, days) - sent)))
            readers = conn.recv()
            conn.send(("part", _part(counts, readers)))
    except BaseException as exc:  # sent to the parent, which raises it as parse_log's error
        try:
            conn.send(("error", exc))
        except Exception:  # not picklable: its text then
            conn.send(("error", AdminHitsError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


class _Worker:
    """A forked worker and this process's end of its pipe."""

    def __init__(self, context: Any, options: dict[str, Any], days: frozenset) -> None:
        self.conn, there = context.Pipe()
        # fork: the worker inherits the loaded settings and starts at once. It never touches
        # the database connections it inherits (counting needs no query), and a forked child
        # leaves through os._exit, so they are not closed under this process.
        self.process: BaseProcess = context.Process(
            target=_serve, args=(there, options, days), daemon=True
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
            raise AdminHitsError(
                f"A parse_log worker process stopped (exit code {self.process.exitcode})"
            ) from None
        if kind == "error":
            raise value
        if kind != expected:
            raise AdminHitsError(f"A parse_log worker sent {kind!r}, not {expected!r}")
        if kind == "ready":
            self.pending -= 1
        return value


class _Team:
    """The workers of one run, the ranges still to hand out, the lines read so far, the
    paths matched so far."""

    def __init__(
        self, workers: list[_Worker], ranges: deque[Range], progress: Callable[[int], None] | None
    ) -> None:
        self.workers, self.ranges, self.progress = workers, ranges, progress
        self.read = 0
        self.resolver = PathResolver()
        self.known = KnownPaths()
        self.finished = False  # every worker sent its None
        self.ranges_are_all = False  # no block of a compressed file comes after them
        for worker in workers:
            self.top_up(worker)

    def top_up(self, worker: _Worker) -> None:
        # Two ranges in each worker's pipe: it starts the next while this process answers.
        while self.ranges and worker.pending < 2:
            worker.send(self.ranges.popleft())
        if not self.ranges and self.ranges_are_all:
            self.finish()  # the last range is out: every worker may start its last steps

    def answer(self, block: bool = True) -> None:
        """Take the workers' "ready" (a task done), top them up with ranges."""
        busy = [w for w in self.workers if w.pending]
        for conn in wait([w.conn for w in busy], None if block else 0):
            worker = next(w for w in busy if w.conn is conn)
            self.ready(*worker.receive("ready"))
            self.top_up(worker)

    def ready(self, lines: int, paths: Collection[str]) -> None:
        """A task done: its lines read, the new paths of its views matched."""
        self.read += lines
        if self.progress is not None:
            self.progress(self.read)
        self.match(paths)

    def match(self, paths: Collection[str]) -> None:
        """Match the paths not matched yet to URL lookups, and hash them for their rows.
        Here, not in the workers: their matches would cost more to send (UUIDs and such
        pickle slowly) than to make. While ranges are counted, the time this takes is
        balanced too: the workers take more."""
        matches, match, hashes = self.known.matches, self.resolver.match, self.known.hashes
        for path in paths:
            if path not in matches:
                matches[path] = match(path)
                hashes[path] = path_hash(path)

    def look_up(self) -> None:
        """Look up the objects of the paths matched so far, as writing the day would (one
        query per model and lookup), while the workers finish."""
        objects = self.known.objects
        wanted = {p: m for p, m in self.known.matches.items() if m is not None and p not in objects}
        objects.update(dict.fromkeys(wanted))
        objects.update(self.resolver.fetch(wanted))

    def count_here(self, aggregator: Aggregator) -> None:
        """Count ranges in this process too (when no compressed file follows them), answering
        the workers between two blocks: none waits long for a range, nor to hand over its
        paths (a pipe holds less than a range's)."""
        self.ranges_are_all = True
        while self.ranges:
            task = self.ranges.popleft()
            if not self.ranges:
                self.finish()
            lines = 0
            for block in read_range(*task, chunk_bytes=_ANSWER_BYTES):
                aggregator.feed(block)
                lines += len(block)
                self.answer(block=False)
            self.ready(lines, aggregator.new_paths())

    def stream(self, name: str) -> None:
        """Hand a compressed file (or stdin) out in blocks, each to a worker with none."""
        for block in read_blocks(name):
            while not (idle := [w for w in self.workers if not w.pending]):
                self.answer()
            idle[0].send(block)

    def finish(self) -> None:
        """Hand out the ranges left, then tell every worker that no task follows: each then
        takes its counts while this process still works (a worker waiting for this ``None``
        would sit idle)."""
        while self.ranges:
            self.answer()
        if not self.finished:
            self.finished = True
            for worker in self.workers:
                worker.send(None)

    def swap_readers(self, readers: RobotsReaders) -> set[str]:
        """Once every worker is told it is done: everyone's robots.txt readers (added to
        ``readers``) to every worker; the paths the workers counted. Sets of keys per date
        go through the pipes several times faster than a set of (date, key) pairs."""
        self.finish()
        paths: set[str] = set()
        for worker in self.workers:
            while worker.pending:
                self.ready(*worker.receive("ready"))
            theirs, their_paths = worker.receive("readers")
            for day, visitors in theirs.items():
                readers.setdefault(day, set()).update(visitors)
            paths |= their_paths
        for worker in self.workers:
            worker.conn.send(readers)
        return paths


def collect_parallel(
    sources: Sequence[Source],
    days: Collection[datetime.date],
    jobs: int,
    *,
    log_format: str,
    tz: tzinfo,
    rules: ViewRules,
    max_line_length: int,
    progress: Callable[[int], None] | None = None,
) -> Collected:
    """The counts of every line in ``sources``, the traffic of each date and the URL matches
    of the wanted days' paths, by ``jobs`` processes."""
    options = {"log_format": log_format, "tz": tz, "rules": rules,
               "max_line_length": max_line_length}  # fmt: skip
    wanted = frozenset(days)
    plain = [s.name for s in sources if not s.neighbour and is_seekable(s.name)]
    streamed = [s.name for s in sources if not s.neighbour and not is_seekable(s.name)]
    # Small ranges (16 per process, of 4 MiB at least), handed out as processes ask: the cost
    # of a range varies along a file (the wanted day's lines cost more than the others'), and
    # no process should wait long for the last one. With compressed input to decompress here,
    # this process has no time to count as well.
    ranges = deque((name, *part) for name in plain for part in byte_ranges(name, jobs * 16))
    context = multiprocessing.get_context("fork")
    workers = [_Worker(context, options, wanted) for _ in range(max(1, jobs - (not streamed)))]
    try:
        with paused_gc():
            team = _Team(workers, ranges, progress)
            own = Aggregator(**options, days=wanted)
            if not streamed:
                team.count_here(own)
            for name in streamed:
                team.stream(name)
            team.finish()
            counts = own.take()
            neighbours = [source for source in sources if source.neighbour]
            if neighbours:
                counts.merge(collect(neighbours, days, **options))
            # Nearly every path is matched by now, as it came; the few that only taking the
            # counts gave (lines around midnight, say) are matched while the workers finish.
            team.match(_paths(counts, wanted))
            team.look_up()
            readers = robots_readers(counts)
            paths = team.swap_readers(readers)
            total = _part(counts, readers)
            del counts  # its visits freed now, while the workers send their parts
            team.match(paths)
            for worker in workers:
                total.add(worker.receive("part"))
            total.known = team.known
    except BaseException:
        for worker in workers:
            worker.process.terminate()
            worker.process.join()
        raise
    finally:
        for worker in workers:
            worker.conn.close()
    # The workers exit on their own; not waiting for them to hand back their memory.
    return total
