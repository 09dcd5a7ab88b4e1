"""What a line counts as (``Verdict``) and what an ``Aggregator`` counted (``Counts``).

Counts are plain counters that add up across chunks, files and processes (a ``Counts``
pickles, so parallel parsing can send it between processes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NamedTuple


class Verdict(NamedTuple):
    """What one line counts as.

    ``kind`` ``"view"`` (``reason`` ``""``), ``"ignored"`` (``"other_day"``, ``"method"``,
    ``"status"``, ``"target"``, ``"excluded"``, ``"asset"``) or ``"skipped"`` (``"too_long"``,
    ``"binary"``, ``"unparsed"``, ``"bad_date"``). ``date`` is the line's local date (``None``
    when skipped), ``path`` its request path (``""`` when it has none).
    """

    kind: Literal["view", "ignored", "skipped"]
    reason: str
    date: date | None
    path: str


@dataclass
class Counts:
    """Counters of one or more runs of the log core.

    ``views``: views per ``(local date, path)``. ``lines``: every line fed. ``parsed``: lines
    that matched the format with a possible date (``lines - skipped_total``). ``skipped``:
    lines not understood, by reason. ``ignored``: understood lines that are not views, by
    reason. ``days``: understood lines per local date, views or not (lines of days not asked
    for excluded). ``extra``: further dimensions by name (each a ``Counter``), summed by
    ``merge`` like the others, so new ones need no new plumbing.
    """

    views: Counter[tuple[date, str]] = field(default_factory=Counter)
    lines: int = 0
    parsed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    days: Counter[date] = field(default_factory=Counter)
    extra: dict[str, Counter[Any]] = field(default_factory=dict)

    def add(self, verdict: Verdict, lines: int = 1) -> None:
        """Count ``lines`` lines that got ``verdict``."""
        self.lines += lines
        kind, reason, day, path = verdict
        if kind == "skipped":
            self.skipped[reason] += lines
            return
        self.parsed += lines
        if kind == "view":
            self.views[day, path] += lines  # type: ignore[index]
        else:
            self.ignored[reason] += lines
            if reason == "other_day":
                return
        self.days[day] += lines  # type: ignore[index]

    def merge(self, other: Counts) -> None:
        """Add ``other``'s counts to these."""
        self.views.update(other.views)
        self.lines += other.lines
        self.parsed += other.parsed
        self.skipped.update(other.skipped)
        self.ignored.update(other.ignored)
        self.days.update(other.days)
        for name, counter in other.extra.items():
            self.extra.setdefault(name, Counter()).update(counter)

    def dates(self) -> set[date]:
        """The local dates of the understood lines (views or not)."""
        return set(self.days)

    @property
    def skipped_total(self) -> int:
        """How many lines were skipped, whatever the reason."""
        return sum(self.skipped.values())

    @property
    def views_total(self) -> int:
        """How many views were counted, on all dates and paths."""
        return sum(self.views.values())
