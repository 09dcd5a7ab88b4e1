"""Finding and opening access-log files: strftime patterns (cronolog layout), gzip, bzip2."""

from __future__ import annotations

import bz2
import datetime
import glob
import gzip
import io
import lzma
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from admin_hits.exceptions import LogFileError

_OPENERS: dict[str, Callable[..., Any]] = {
    ".gz": gzip.open,
    ".bz2": bz2.open,
    ".xz": lzma.open,
}
_RANKS = {suffix: rank for rank, suffix in enumerate(_OPENERS, 1)}  # 0: the plain file
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
    returned even when missing so the caller can say so; a glob returns what exists. Both
    take a ``.gz``, ``.bz2`` or ``.xz`` copy where the plain file is gone.
    """
    found: list[Path] = []
    for pattern in [patterns] if isinstance(patterns, str) else patterns:
        pattern = pattern.replace("{host}", "*")
        if glob.has_magic(pattern):
            found.extend(_glob_for_day(pattern, day))
        else:
            found.append(file_for_day(pattern, day))
    return found


def _glob_for_day(pattern: str, day: datetime.date) -> list[Path]:
    """The files a glob ``pattern`` matches for ``day``, rotated copies included: a server
    whose day file is compressed already is not left out. One copy of each file, preferred
    as ``file_for_day`` prefers them: the plain file, then ``.gz``, ``.bz2``, ``.xz``."""
    named = day.strftime(pattern)
    matches = set(glob.glob(named))
    for suffix in _OPENERS:
        matches.update(glob.glob(named + suffix))
    chosen: dict[str, str] = {}
    for match in sorted(matches, key=_preference):
        chosen.setdefault(_uncompressed_name(match), match)
    return [Path(match) for match in sorted(chosen.values())]


def _uncompressed_name(name: str) -> str:
    """``name`` without its compression suffix, if it has one."""
    path = Path(name)
    return str(path.with_suffix("")) if path.suffix.lower() in _OPENERS else name


def _preference(name: str) -> tuple[int, str]:
    """The plain file first, then its copies in the order of ``_OPENERS``."""
    return (_RANKS.get(Path(name).suffix.lower(), 0), name)


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


def read_chunks_backwards(name: str, chunk_bytes: int = CHUNK_LINES * 200) -> Iterator[list[bytes]]:
    """The lines of a plain file in chunks of whole lines of about ``chunk_bytes``, the last
    chunk first (its lines in file order): the end of the day before, where a site east of the
    zone its logs rotate in finds the first hours of its own day."""
    check_readable(name)
    with open(name, "rb") as stream:
        end = stream.seek(0, io.SEEK_END)
        rest = b""  # the end of a line whose start is in the block before
        in_absurd = False  # the line the last block began in was passed on whole already
        while end > 0:
            start = max(0, end - chunk_bytes)
            stream.seek(start)
            block = stream.read(end - start)
            end = start
            if in_absurd:  # drop its start: it counts once, as when read forwards
                cut = block.rfind(b"\n") + 1
                if not cut:
                    continue
                block, in_absurd = block[:cut], False
            block += rest
            cut = block.find(b"\n") + 1 if start else 0  # a line that began in the block before
            if start and not cut:
                if len(block) < 4 * chunk_bytes:
                    rest = block
                    continue
                rest, in_absurd = b"", True
                yield [block]  # one absurd line, passed on once: the core skips it
                continue
            rest, block = block[:cut], block[cut:]
            if block:
                # Cut at "\n" only, as ``readlines`` reads forwards.
                yield io.BytesIO(block).readlines()


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
        try:
            yield from _blocks(stream, block_bytes)
        except _CORRUPT as exc:
            raise LogFileError(f"{name}: damaged or truncated file ({exc})") from exc


def _blocks(stream: BinaryIO, block_bytes: int) -> Iterator[bytes]:
    """``stream`` in blocks of whole lines of about ``block_bytes``."""
    rest = b""
    cut_short = False  # the start of an absurd line was passed on: drop the rest of it
    while block := stream.read(block_bytes):
        if cut_short:
            # Up to its newline, so that it counts once as too long, as ``readlines`` reads
            # it with ``--jobs 1``, not again as a line of its own.
            end = block.find(b"\n") + 1
            if not end:
                continue
            block, cut_short = block[end:], False
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            if len(block) < 4 * block_bytes:
                rest = block
                continue
            cut, cut_short = len(block), True  # one absurd line: pass it on, the core skips it
        rest = block[cut:]
        yield block[:cut]
    if rest:
        yield rest
