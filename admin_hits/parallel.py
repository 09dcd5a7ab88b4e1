"""``parse_log --jobs N``: one day's files counted by N processes.

Plain files are split into byte ranges, dealt round-robin into N shares; this process counts
one share itself and N-1 forked workers count the others, each sending back one result for its
whole share. Compressed files and stdin are decompressed here and sent to N workers in blocks
of whole lines. Workers count with the same ``Aggregator`` and also match their view paths to
URL lookups (no database: ``PathResolver.match``), so both halves of the work that grow with
the input run in parallel. The result is exactly what a single process would count: ``Counts``
add up."""

from __future__ import annotations

import datetime
import multiprocessing
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from datetime import tzinfo
from typing import Any

from admin_hits.logfiles import byte_ranges, is_seekable, read_blocks, read_range
from admin_hits.logs import Aggregator, Counts, ViewRules
from admin_hits.parsing import Source, collect, paused_gc
from admin_hits.resolvers import Match, PathResolver

Result = tuple[Counts, dict[str, Match | None]]

_worker: dict[str, Any] = {}


def _start_worker(options: dict[str, Any], days: frozenset[datetime.date]) -> None:
    _worker["aggregator"] = Aggregator(**options, days=days)
    _worker["resolver"] = PathResolver()
    _worker["days"] = days
    _worker["matched"] = set()


def _finish(aggregator: Aggregator) -> Result:
    """The task's counts, and the URL matches of the paths this worker has not matched yet
    (popular paths are in every task: the main process gets each once per worker)."""
    counts = aggregator.take()
    return counts, _matches(counts, _worker["days"], _worker["resolver"], _worker["matched"])


def _matches(
    counts: Counts, days: Collection[datetime.date], resolver: PathResolver,
    matched: set[str] | None = None,
) -> dict[str, Match | None]:  # fmt: skip
    """The URL matches of the wanted days' viewed paths not in ``matched`` (then added)."""
    paths = {path for day, path in counts.views if day in days}
    if matched is not None:
        paths.difference_update(matched)
        matched.update(paths)
    return {path: resolver.match(path) for path in paths}


def _count_ranges(share: list[tuple[str, int, int]]) -> Result:
    """Count a participant's share of byte ranges; one result for the whole share."""
    aggregator: Aggregator = _worker["aggregator"]
    with paused_gc():
        _feed_ranges(aggregator, share)
        return _finish(aggregator)


def _feed_ranges(aggregator: Aggregator, share: list[tuple[str, int, int]]) -> None:
    for name, start, end in share:
        for chunk in read_range(name, start, end):
            aggregator.feed(chunk)


def _count_block(block: bytes) -> Result:
    aggregator: Aggregator = _worker["aggregator"]
    with paused_gc():
        aggregator.feed(block.splitlines(keepends=True))
        return _finish(aggregator)


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
) -> Result:
    """Counts of every line in ``sources``, and the URL matches of the wanted days' paths."""
    options = {"log_format": log_format, "tz": tz, "rules": rules,
               "max_line_length": max_line_length}  # fmt: skip
    total, matches = Counts(), {}

    def add(result: Result) -> None:
        total.merge(result[0])
        matches.update(result[1])
        if progress is not None:
            progress(total.lines)

    plain = [s.name for s in sources if not s.neighbour and is_seekable(s.name)]
    streamed = [s.name for s in sources if not s.neighbour and not is_seekable(s.name)]
    # Plain files are cut into byte ranges dealt round-robin (cost varies along a file: the
    # wanted day's lines cost more than the others'), one share per process. Without
    # compressed input to stream, this process counts the first share itself: one share
    # fewer to send back and merge, which would otherwise be serial work.
    ranges = [(name, *part) for name in plain for part in byte_ranges(name, jobs * 4)]
    shares = [ranges[i::jobs] for i in range(jobs)]
    here = shares.pop(0) if not streamed else []
    # fork: the workers inherit the loaded URLconf and settings and start at once. They never
    # touch the database connections they inherit (matching needs no query), and forked
    # children leave through os._exit, so those connections are not closed under the parent.
    context = multiprocessing.get_context("fork")
    workers = max(1, jobs - 1 if here else jobs)
    # No cyclic GC in this process either while the results arrive: unpickling them makes
    # millions of objects, and each collection would walk everything counted so far.
    with paused_gc(), ProcessPoolExecutor(workers, context, initializer=_start_worker,
                             initargs=(options, frozenset(days))) as pool:  # fmt: skip
        pending: set[Future[Result]] = {pool.submit(_count_ranges, s) for s in shares if s}
        for name in streamed:
            for block in read_blocks(name):
                pending.add(pool.submit(_count_block, block))
                # Keep a few blocks in flight, not a whole decompressed file in memory.
                while len(pending) > jobs * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        add(future.result())
        if here:  # meanwhile, this process's share, its paths matched too
            aggregator = Aggregator(**options, days=days)
            _feed_ranges(aggregator, here)
            counts = aggregator.take()
            add((counts, _matches(counts, days, PathResolver())))
        for future in pending:
            add(future.result())
    neighbours = [source for source in sources if source.neighbour]
    if neighbours:
        add((collect(neighbours, days, **options), {}))
    return total, matches
