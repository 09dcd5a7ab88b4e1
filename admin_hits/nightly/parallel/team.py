"""The workers of a ``parse_log --jobs`` run as seen from its main process: ranges handed
out as workers finish, paths matched and objects looked up as they come, robots.txt readers
swapped, the detail tables handed to the first worker."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection
from multiprocessing.connection import wait

from admin_hits.logs import Aggregator
from admin_hits.models import path_hash
from admin_hits.nightly.logfiles import read_blocks, read_range
from admin_hits.nightly.parallel.worker import (
    Collected,
    DetailTables,
    Range,
    RobotsReaders,
    Worker,
    detail_paths,
)
from admin_hits.nightly.resolvers import Match, PathResolver
from admin_hits.nightly.writing import KnownPaths

# This process reads its own ranges in blocks of this size, and answers the workers between.
_ANSWER_BYTES = 2 << 20


class Team:
    """The workers of one run, the ranges still to hand out, the lines read so far, what is
    known so far of the paths (matches, hashes, objects)."""

    def __init__(
        self,
        workers: list[Worker],
        ranges: deque[Range],
        progress: Callable[[int], None] | None,
        urlconf: str | None = None,
    ) -> None:
        self.workers, self.ranges, self.progress = workers, ranges, progress
        self.read = 0
        self.resolver = PathResolver(urlconf)
        self.known = KnownPaths()
        self.to_look_up: dict[str, Match] = {}  # matched, objects not looked up yet
        self.finished = False  # every worker sent its None
        self.ranges_are_all = False  # no block of a compressed file comes after them
        for worker in workers:
            self.top_up(worker)

    def top_up(self, worker: Worker) -> None:
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
        wanted = self.to_look_up
        for path in paths:
            if path not in matches:
                found = matches[path] = match(path)
                hashes[path] = path_hash(path)
                if found is not None:
                    wanted[path] = found

    def look_up(self) -> None:
        """Look up the objects of the paths matched since the last time, as writing the day
        would (one query per model and lookup)."""
        if self.to_look_up:
            wanted, self.to_look_up = self.to_look_up, {}
            objects = self.known.objects
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
            aggregator.cut()  # the workers read the ranges between
            for block in read_range(*task, chunk_bytes=_ANSWER_BYTES):
                aggregator.feed(block)
                lines += len(block)
                self.answer(block=False)
            self.ready(lines, aggregator.new_paths())
            # Between two ranges, the objects of the paths matched: a query per model and
            # range costs less here, where the workers take more ranges meanwhile, than all
            # at the end, where they would wait for it.
            self.look_up()

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
        for i, worker in enumerate(self.workers):
            worker.conn.send((readers, i == 0))  # the first builds the detail tables
        return paths

    def hand_details(self, total: Collected) -> DetailTables:
        """Send the details of every process but the first worker (which kept its own) to
        that worker, with the objects of their paths, to build the detail tables from."""
        builder = self.workers[0]
        details = {day: traffic.take_details() for day, traffic in total.traffic.items()}
        paths = detail_paths(details) | builder.receive("paths")
        objects = self.known.objects  # not all of them: objects pickle slowly
        refs = {path: ref for path in paths if (ref := objects.get(path)) is not None}
        builder.conn.send((details, refs))
        return DetailTables(builder)
