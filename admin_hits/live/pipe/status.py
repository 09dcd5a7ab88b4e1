"""The running totals of a worker and its one-line status for stderr (Apache's error log)."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field

from admin_hits.logs import Counts

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of the log, kept by "surrogateescape"
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with control characters and undecodable bytes as ``\\xNN``: one printable
    line, no terminal escape sequences, nothing a log reader could take for another entry."""
    return _UNSAFE.sub(_escaped, text)


@dataclass
class Totals:
    lines: int = 0
    views: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    _last_lines: int = 0
    _last_time: float = field(default_factory=time.monotonic)

    def add(self, counts: Counts) -> None:
        self.lines += counts.lines
        self.views += counts.views_total
        self.skipped.update(counts.skipped)

    def add_too_long(self, n: int) -> None:
        """Lines the reader dropped before the log core saw them."""
        if n:
            self.lines += n
            self.skipped["too_long"] += n

    def lines_per_second(self) -> float:
        """Since the previous call."""
        now = time.monotonic()
        rate = (self.lines - self._last_lines) / max(now - self._last_time, 1e-9)
        self._last_lines, self._last_time = self.lines, now
        return rate


def status_line(
    totals: Totals,
    *,
    store_errors: int,
    dropped: int,
    uncertain: int,
    pending: int,
    last_error: str,
    final: bool = False,
) -> str:
    skipped = ",".join(f"{reason}:{n}" for reason, n in sorted(totals.skipped.items()))
    fields = [
        f"lines={totals.lines}",
        f"views={totals.views}",
        f"lines/s={totals.lines_per_second():.0f}",
        f"skipped={sum(totals.skipped.values())}" + (f"({skipped})" if skipped else ""),
        f"store_errors={store_errors}",
        f"dropped={dropped}",
        f"uncertain={uncertain}",
        f"pending={pending}",
    ]
    if last_error and store_errors:
        fields.append(f'last_error="{last_error[:300]}"')
    return escape(("admin-hits-pipe: exit " if final else "admin-hits-pipe: ") + " ".join(fields))
