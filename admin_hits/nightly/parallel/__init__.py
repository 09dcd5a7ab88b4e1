"""``parse_log --jobs N``: one day's files counted by N processes, the day's traffic worked
out by them too.

Counting: plain files are cut into byte ranges that this process and N-1 forked workers take
one at a time; the ranges shrink along the files, so that all the processes finish within a
small range of each other. Compressed files and stdin are decompressed here and handed out in
blocks of whole lines to N workers. Every process counts with the same ``Aggregator``. With
each range done, a worker sends the paths of the views it has not sent yet
(``Aggregator.new_paths``), and this process matches them to URL lookups between two blocks
of its own (``PathResolver.match``: no database) and looks up their objects between two of
its ranges; as the work is shared by taking ranges, this is shared too, and all but a few
paths are matched and looked up when counting ends.

Then each process turns its own counts into its part of each day's traffic (``days_of``), so
that this work runs in parallel too and what travels back is per path (counts, visitor sets),
not an entry per visitor and path or per visitor and referrer. One rule needs all the lines:
a client that asked for robots.txt is a bot for the whole day, whichever process read that
request. So the processes first swap the (small) sets of those clients, and each applies
everyone's. The parts then add up (counts sum, each path's visitor sets unite) to exactly what
a single process computes. The referrers, searches, campaigns and 404s of the parts add up in
the first worker instead, which builds their tables (``rollups.detail_tables``) while this
process builds and writes the others."""

from __future__ import annotations

import datetime
import multiprocessing
from collections import deque
from collections.abc import Callable, Collection, Sequence
from datetime import tzinfo
from typing import Any

from admin_hits.logs import ViewRules
from admin_hits.logs.days import Readers, robots_readers
from admin_hits.logs.paused_gc import paused_gc
from admin_hits.logs.vhosts import SiteLines
from admin_hits.nightly.logfiles import byte_ranges, is_seekable
from admin_hits.nightly.parallel.team import Team
from admin_hits.nightly.parallel.worker import Collected, DetailTables, Worker, part_of, view_paths
from admin_hits.nightly.parsing import Source, collect
from admin_hits.nightly.sites import make_aggregator

__all__ = ["Collected", "DetailTables", "collect_parallel"]


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
    site_lines: SiteLines | None = None,
    urlconf: str | None = None,
    readers: Readers | None = None,
) -> Collected:
    """The counts of every line in ``sources``, the traffic of each date, what is known of
    the wanted days' paths (URL matches, hashes, objects), by ``jobs`` processes; and the
    wanted days' detail tables, which the first worker builds on (``Collected.details``:
    call it for them, or close it). ``site_lines``: count only its site's lines, and match
    their paths with the site's ``urlconf`` (``nightly.sites``). ``readers``: the robots.txt
    readers, when found before (``robots_scan``): every process then holds less."""
    options: dict[str, Any] = {"log_format": log_format, "tz": tz, "rules": rules,
                               "max_line_length": max_line_length,
                               "site_lines": site_lines, "readers": readers}  # fmt: skip
    wanted = frozenset(days)
    plain = [s.name for s in sources if not s.neighbour and is_seekable(s.name)]
    streamed = [s.name for s in sources if not s.neighbour and not is_seekable(s.name)]
    # Ranges handed out as processes ask, shrinking to 1 MiB at the end: the cost of a range
    # varies along a file (the wanted day's lines cost more than the others'), and no process
    # should count long after the others are done. With compressed input to decompress here,
    # this process has no time to count as well.
    ranges = deque(byte_ranges(plain, jobs))
    context = multiprocessing.get_context("fork")
    workers = [Worker(context, options, wanted) for _ in range(max(1, jobs - (not streamed)))]
    try:
        with paused_gc():
            team = Team(workers, ranges, progress, urlconf)
            own = make_aggregator(**options, days=wanted)
            if not streamed:
                team.count_here(own)
            for name in streamed:
                team.stream(name)
            team.finish()
            counts = own.take()
            neighbours = [source for source in sources if source.neighbour]
            if neighbours:
                counts.absorb(collect(neighbours, days, **options))
            # Nearly every path is matched by now, as it came; the few that only taking the
            # counts gave (lines around midnight, say) are matched while the workers finish.
            team.match(view_paths(counts, wanted))
            readers = robots_readers(counts)
            paths = team.swap_readers(readers)
            team.match(paths)
            team.look_up()  # the few paths left, while the workers work out their parts
            total = part_of(counts, readers)
            del counts  # its visits freed now, while the workers send their parts
            for worker in workers:
                total.add(worker.receive("part"))
            total.known = team.known
            total.details = team.hand_details(total)
    except BaseException:
        for worker in workers:
            worker.process.terminate()
            worker.process.join()
            worker.conn.close()
        raise
    for worker in workers[1:]:
        worker.conn.close()
    # The workers exit on their own; not waiting for them to hand back their memory.
    return total
