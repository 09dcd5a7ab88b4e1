"""A parse run: read log files in chunks through the log core and keep the days asked for.

No database here: the result is the core's ``Counts`` plus a summary; ``services.write_day``
stores it. Reading every file to the end before writing anything is what makes a run atomic.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from admin_hits.logs import Aggregator, Counts, ViewRules
from admin_hits.logs.days import Readers
from admin_hits.logs.paused_gc import paused_gc
from admin_hits.logs.vhosts import SiteLines
from admin_hits.nightly.logfiles import is_seekable, read_chunks, read_chunks_backwards
from admin_hits.nightly.sites import make_aggregator


@dataclass(frozen=True)
class Source:
    """A file to read. A ``neighbour`` is read only while its chunks still hold lines of the
    wanted days: the next day's file from its start (the requests logged just after midnight),
    or, ``before`` them, the previous day's from its end (a plain file; a compressed one is
    read whole). Logs that rotate at midnight of another zone than ``TIME_ZONE`` put hours of
    the day there: west of it in the next file, east of it in the previous one."""

    name: str
    neighbour: bool = False
    before: bool = False


def unique_sources(sources: Iterable[Source]) -> list[Source]:
    """``sources`` with each file once, the first kept: a pattern coarser than a day (one
    ``access.log``, a file a month) names the same file for every day of a backfill and as
    the next day's, and a FILE may be given twice; read again, its views would count twice.
    A neighbour that is a day's file too is read whole as the day's."""
    seen: set[str] = set()
    kept = []
    for source in sources:
        key = source.name if source.name == "-" else str(Path(source.name).resolve())
        if key not in seen:
            seen.add(key)
            kept.append(source)
    return kept


@dataclass
class RunSummary:
    files: list[str] = field(default_factory=list)
    lines: int = 0
    parsed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    ignored: dict[str, int] = field(default_factory=dict)
    views: int = 0
    elapsed: float = 0.0
    days: list[dict[str, Any]] = field(default_factory=list)

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.elapsed if self.elapsed > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "lines": self.lines,
            "parsed": self.parsed,
            "skipped": dict(sorted(self.skipped.items())),
            "ignored": dict(sorted(self.ignored.items())),
            "views": self.views,
            "objects": sum(int(d["objects"]) for d in self.days),
            "rows": sum(int(d["paths"]) + int(d["objects"]) for d in self.days),
            "days": self.days,
            "elapsed": round(self.elapsed, 3),
            "lines_per_second": round(self.lines_per_second),
        }


def collect(
    sources: Sequence[Source],
    days: Collection[datetime.date],
    *,
    log_format: str,
    tz: tzinfo,
    rules: ViewRules,
    max_line_length: int,
    progress: Callable[[int], None] | None = None,
    site_lines: SiteLines | None = None,
    readers: Readers | None = None,
) -> Counts:
    """Counts of the lines in ``sources``: lines of other days are only counted as
    ``other_day`` (the detail of their visitors and referrers is never worked out). With
    ``site_lines``, only the lines of its site are counted (``nightly.sites``). ``readers``:
    the robots.txt readers per date, when found before (``robots_scan``)."""
    aggregator = make_aggregator(
        log_format=log_format, tz=tz, rules=rules, max_line_length=max_line_length, days=days,
        site_lines=site_lines, readers=readers,
    )  # fmt: skip
    total = Counts()
    if _first_alone(sources):
        aggregator.starts_alone()
    with paused_gc():
        _collect_into(total, aggregator, sources, days, progress)
    return total


def _first_alone(sources: Sequence[Source]) -> bool:
    """Whether no line read after the first source's can be earlier than its first lines:
    one file of the day, read first, and no previous day's file (``before``) to read after."""
    days_files = [source for source in sources if not source.neighbour]
    return (bool(sources) and not sources[0].neighbour and len(days_files) == 1
            and not any(source.before for source in sources))  # fmt: skip


def _collect_into(
    total: Counts,
    aggregator: Aggregator,
    sources: Sequence[Source],
    days: Collection[datetime.date],
    progress: Callable[[int], None] | None,
) -> None:
    read = 0
    for source in sources:
        backwards = source.before and is_seekable(source.name)
        stops = source.neighbour and (backwards or not source.before)
        chunks = read_chunks_backwards(source.name) if backwards else read_chunks(source.name)
        for chunk in chunks:
            aggregator.feed(chunk)
            read += len(chunk)
            if progress is not None:
                progress(read)
            if stops:
                # Taken chunk by chunk, to stop at the first one without the wanted days.
                counts = aggregator.take()
                total.absorb(counts)
                if not counts.days:  # counts only the wanted days' lines
                    break
        # Taken once per file otherwise: the aggregator sums repeated requests across
        # chunks itself (and bounds its own memory), which merging chunk by chunk would undo.
        total.absorb(aggregator.take())


def dates_in(sources: Sequence[Source], **core: Any) -> set[datetime.date]:
    """The dates of the lines at the start of each source: what a user who asked for the
    wrong day is told the files hold (reading them whole again would be a waste)."""
    found: set[datetime.date] = set()
    for source in sources:
        if source.name == "-" or not Path(source.name).is_file():
            continue  # stdin, a FIFO: read once already, opening it again would wait forever
        aggregator = make_aggregator(**core)
        for chunk in read_chunks(source.name):
            aggregator.feed(chunk)
            break
        found |= aggregator.take().dates()
    return found


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start
