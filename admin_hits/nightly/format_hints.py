"""What ``parse_log`` tells about the format of its files: ``--format auto`` picks it from
their first lines, and a format no line matches names the one that would."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from pathlib import Path

from admin_hits.exceptions import LogFormatError
from admin_hits.logs.counts import Counts
from admin_hits.logs.detect import KNOWN_TEXT, SAMPLE_LINES, KnownFormat, detect, option_text
from admin_hits.logs.formats import resolve
from admin_hits.nightly.logfiles import open_log

AUTO = "auto"


def first_lines(name: str, count: int = SAMPLE_LINES) -> list[bytes]:
    """The first ``count`` lines of a file; [] for stdin or a FIFO (read once, by the run)."""
    if name == "-" or not Path(name).is_file():
        return []
    try:
        with open_log(name) as stream:
            return list(islice(stream, count))
    except (OSError, EOFError, ValueError):
        return []  # a damaged file: the run itself says so


def sniff(names: Sequence[str]) -> tuple[KnownFormat | None, str]:
    """The known format of the first file that has lines, and that file's name."""
    for name in names:
        lines = first_lines(name)
        if lines:
            return detect(lines), name
    return None, ""


def auto_format(names: Sequence[str]) -> tuple[str, str]:
    """``--format auto``: the format to read ``names`` with, and a sentence saying which."""
    known, name = sniff(names)
    if known is None and not name:
        raise LogFormatError(
            "--format auto looks at the first lines of a file, and stdin can not be read "
            "twice: pass --format."
        )
    if known is None:
        raise LogFormatError(
            f"--format auto: the first lines of {name} match none of the known formats "
            f"({KNOWN_TEXT}): pass --format with the LogFormat string of the CustomLog line."
        )
    return known.option, f"Log format: {known.label}, from the first lines of {name}."


def hint(names: Sequence[str], log_format: str) -> str:
    """A sentence naming the format the files' first lines are in, when it is not
    ``log_format``; "" when they match none or it is the same."""
    known, name = sniff(names)
    if not name:
        return ""
    if known is None:
        return f" Their first lines match none of the known formats ({KNOWN_TEXT}) either."
    if resolve(known.option) == resolve(log_format.strip()):
        return ""
    return (
        f" Their first lines are in {known.label}: pass --format {option_text(known)} "
        "(or set ADMIN_HITS_LOG_FORMAT), or --format auto."
    )


def unmatched(counts: Counts, log_format: str, names: Sequence[str]) -> str:
    """parse_log's refusal when no line, or too few, match ``log_format``."""
    some = "None" if counts.parsed == 0 else f"Only {counts.parsed:,}"
    return (
        f"{some} of the {counts.lines:,} lines match the log format {log_format!r}: is --format "
        f"(ADMIN_HITS_LOG_FORMAT) right?{hint(names, log_format)} Nothing was written."
    )
