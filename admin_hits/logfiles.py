"""Finding and opening access-log files: strftime patterns (cronolog layout), gzip, bzip2."""

from __future__ import annotations

import bz2
import datetime
import glob
import gzip
import lzma
import os
import sys
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from admin_hits.exceptions import LogFileError

_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
# What a damaged compressed file raises part-way through reading it.
_CORRUPT = (EOFError, zlib.error, gzip.BadGzipFile, lzma.LZMAError, OSError, ValueError)
CHUNK_LINES = 50_000


def file_for_day(pattern: str, day: datetime.date) -> Path:
    """The file a strftime ``pattern`` names for ``day``; ``.gz``/``.bz2`` found if rotated."""
    path = Path(day.strftime(pattern))
    if not path.exists():
        for suffix in _OPENERS:
            compressed = path.with_name(path.name + suffix)
            if compressed.exists():
                return compressed
    return path


def files_for_day(patterns: str | Sequence[str], day: datetime.date) -> list[Path]:
    """Every file the patterns name for ``day``, one per web server.

    A pattern is a strftime pattern; ``{host}`` (or any glob) in it matches every web server's
    folder, e.g. ``/logs/{host}/%Y/%m/%d/access.log``. A plain pattern names one file, which is
    returned even when missing so the caller can say so; a glob returns what exists.
    """
    found: list[Path] = []
    for pattern in [patterns] if isinstance(patterns, str) else patterns:
        pattern = pattern.replace("{host}", "*")
        if not glob.has_magic(pattern):
            found.append(file_for_day(pattern, day))
            continue
        matches = sorted(glob.glob(day.strftime(pattern)))
        plain = {m for m in matches if Path(m).suffix.lower() not in _OPENERS}
        for match in matches:
            # A rotated copy counts only when the plain file is not there too.
            if Path(match).suffix.lower() in _OPENERS and str(Path(match).with_suffix("")) in plain:
                continue
            found.append(Path(match))
    return found


def check_readable(name: str) -> None:
    """Raise ``LogFileError`` with a clear message when ``name`` can not be read."""
    if name == "-":
        return
    path = Path(name)
    if not path.exists():
        raise LogFileError(f"{name}: no such file")
    if path.is_dir():
        raise LogFileError(f"{name}: is a directory, not a log file")
    if not os.access(path, os.R_OK):
        raise LogFileError(f"{name}: permission denied (run as a user that can read the logs)")


@contextmanager
def open_log(name: str) -> Iterator[BinaryIO]:
    """Open a log for binary reading: ``-`` is stdin; ``.gz``, ``.bz2``, ``.xz`` decompress."""
    if name == "-":
        yield sys.stdin.buffer
        return
    check_readable(name)
    opener = _OPENERS.get(Path(name).suffix.lower(), open)
    try:
        stream = opener(name, "rb")
    except OSError as exc:
        raise LogFileError(f"{name}: {exc.strerror or exc}") from exc
    with stream:
        yield stream


def read_chunks(name: str, chunk_lines: int = CHUNK_LINES) -> Iterator[list[bytes]]:
    """Lines of a log in lists of ``chunk_lines``; a damaged file raises ``LogFileError``
    (possibly after yielding lines, so callers must not write anything before the end)."""
    with open_log(name) as stream:
        try:
            while True:
                chunk = stream.readlines(chunk_lines * 200)
                if not chunk:
                    return
                yield chunk
        except _CORRUPT as exc:
            raise LogFileError(f"{name}: damaged or truncated file ({exc})") from exc


def is_seekable(name: str) -> bool:
    """Whether ``name`` is a plain file that workers can split by byte ranges."""
    return name != "-" and Path(name).suffix.lower() not in _OPENERS and Path(name).is_file()


def byte_ranges(
    names: Sequence[str], processes: int, min_size: int = 1 << 20
) -> list[tuple[str, int, int]]:
    """``(name, start, end)`` ranges covering plain files, in order; a range owns the lines
    starting in ``[start, end)``. Each range is an equal share of what is left for
    ``processes`` to take four times over (``min_size`` at least), so ranges shrink along the
    files: the first are large (few to hand out), the last small, so that processes taking
    them as they finish all finish within a small range of each other."""
    sizes = [(name, Path(name).stat().st_size) for name in names]
    left = sum(size for _, size in sizes)
    ranges = []
    for name, size in sizes:
        start = 0
        while start < size:
            end = min(size, start + max(min_size, left // (4 * max(processes, 1))))
            ranges.append((name, start, end))
            left -= end - start
            start = end
        if not size:
            ranges.append((name, 0, 0))
    return ranges


def read_range(
    name: str, start: int, end: int, chunk_bytes: int = 8 << 20
) -> Iterator[list[bytes]]:
    """Lists of the lines of a plain file that start at byte offsets in ``[start, end)``."""
    check_readable(name)
    with open(name, "rb") as stream:
        if start > 0:
            # The line running through ``start`` belongs to the range before: skip past it.
            stream.seek(start - 1)
            stream.readline()
        position = stream.tell()
        while position < end:
            chunk = stream.readlines(min(chunk_bytes, end - position))
            if not chunk:
                return
            kept = []
            for line in chunk:
                if position >= end:
                    break
                kept.append(line)
                position += len(line)
            yield kept


def read_blocks(name: str, block_bytes: int = 8 << 20) -> Iterator[bytes]:
    """A log (compressed or stdin) as blocks of whole lines, for sending to worker processes."""
    with open_log(name) as stream:
        rest = b""
        try:
            while block := stream.read(block_bytes):
                block = rest + block
                cut = block.rfind(b"\n") + 1
                if cut == 0:
                    if len(block) < 4 * block_bytes:
                        rest = block
                        continue
                    cut = len(block)  # one absurd line: pass it on, the core skips it
                rest = block[cut:]
                yield block[:cut]
        except _CORRUPT as exc:
            raise LogFileError(f"{name}: damaged or truncated file ({exc})") from exc
        if rest:
            yield rest
