"""Which of the usual log formats a file's first lines are in (``parse_log --format auto``).

Tried in order, the most specific first; the one most lines match wins (more than half of the
lines given, which should be the first few dozen of a file). nginx's default ``combined`` is
Apache's ``combined``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from admin_hits.logs.formats import NICKNAMES
from admin_hits.logs.parser import LineParser

#: Lines read from the start of a file to tell its format.
SAMPLE_LINES = 50


@dataclass(frozen=True)
class KnownFormat:
    label: str  # what the user is told
    option: str  # what --format (or ADMIN_HITS_LOG_FORMAT) takes


VHOST_WITHOUT_PORT = '%v %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"'
# The combined format with the time taken at the end: microseconds (Apache's %D), or seconds
# with a fraction (nginx's $request_time, "0.004"), which %D does not match.
COMBINED_MICROSECONDS = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D'
COMBINED_SECONDS = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %T'
KNOWN_FORMATS: tuple[KnownFormat, ...] = (
    KnownFormat("vhost_combined", "vhost_combined"),
    KnownFormat("vhost_combined without the port", VHOST_WITHOUT_PORT),
    KnownFormat("combined with the time taken in microseconds (%D)", COMBINED_MICROSECONDS),
    KnownFormat(
        "combined with the time taken in seconds (%T, nginx's $request_time)", COMBINED_SECONDS
    ),
    KnownFormat("combined (Apache's, or nginx's default)", "combined"),
    KnownFormat("vhost_common", "vhost_common"),
    KnownFormat("common", "common"),
)
assert all(k.option in NICKNAMES or "%" in k.option for k in KNOWN_FORMATS)

KNOWN_TEXT = (
    "common, vhost_common, combined (also nginx's), vhost_combined with or without the port, "
    "combined with the time taken (%D, or %T) at the end"
)


def detect(lines: Iterable[bytes | str]) -> KnownFormat | None:
    """The known format most of ``lines`` (blank ones left out) match, or None."""
    sample = [line for line in lines if line.strip()]
    if not sample:
        return None
    best, best_count = None, 0
    for known in KNOWN_FORMATS:
        parser = LineParser(known.option)
        matched = sum(not isinstance(parser.examine(line), str) for line in sample)
        if matched > best_count:
            best, best_count = known, matched
    return best if best_count * 2 > len(sample) else None


def option_text(known: KnownFormat) -> str:
    """How to pass ``known`` on the command line."""
    return known.option if "%" not in known.option else f"'{known.option}'"
