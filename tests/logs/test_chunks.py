"""``chunks.py``: when a chunk's lines go through one ``findall``, and when one by one."""

from __future__ import annotations

from admin_hits.logs import LineParser
from admin_hits.logs.chunks import chunk_rows, usable
from tests.logs.cases import LOG_FORMAT, TZ_NAME, line


def compiled():
    from zoneinfo import ZoneInfo

    found = LineParser(LOG_FORMAT, default_tz=ZoneInfo(TZ_NAME)).compiled
    assert found is not None
    return found


def test_a_file_s_lines_give_a_row_each() -> None:
    chunk = [line(b"GET /a/ HTTP/1.1"), line(b"GET /b/ HTTP/1.1").rstrip(b"\n")]  # last: no break
    rows, clean = chunk_rows(compiled(), chunk, b"".join(chunk))
    assert clean and rows is not None and len(rows) == 2


def test_a_line_break_inside_a_line_sends_the_chunk_one_by_one() -> None:
    chunk = [line(b"GET /a/ HTTP/1.1") + line(b"GET /b/ HTTP/1.1"), line(b"GET /c/ HTTP/1.1")]
    assert chunk_rows(compiled(), chunk, b"".join(chunk))[0] is None


def test_a_control_byte_makes_the_strict_regex_read_the_chunk() -> None:
    chunk = [line(b"GET /a/ HTTP/1.1"), line(b"GET /b\x01/ HTTP/1.1")]
    rows, clean = chunk_rows(compiled(), chunk, b"".join(chunk))
    assert not clean and rows is not None
    assert rows[0][-1] == b"" and rows[1][-1] == chunk[1].rstrip(b"\n")  # binary: not taken


def test_lines_too_long_or_not_text_are_handed_back() -> None:
    rejected: list[object] = []
    short, long = line(b"GET /a/ HTTP/1.1"), line(b"GET /" + b"x" * 200 + b" HTTP/1.1")
    kept, data = usable([short, "/text/", long, 42], 200, rejected.append)
    assert kept == [short, b"/text/"] and data == short + b"/text/"
    assert rejected == [long, 42]
    assert usable([short, short], 200, rejected.append) == ([short, short], short * 2)


def test_a_chunk_across_midnight_splits_by_date_in_order() -> None:
    from datetime import date
    from operator import itemgetter
    from zoneinfo import ZoneInfo

    from admin_hits.logs.chunks import by_date
    from admin_hits.logs.timestamps import local_date

    times = [b"28/Nov/2026:23:59:10 +0100", b"29/Nov/2026:00:00:05 +0100",
             b"28/Nov/2026:23:59:59 +0100", b"29/Nov/2026:00:01:00 +0100"]  # fmt: skip
    chunk = [line(f"GET /{i}/ HTTP/1.1".encode(), when=when) for i, when in enumerate(times)]
    chunk.insert(2, b"not a log line\n")
    found = compiled()
    rows, _ = chunk_rows(found, chunk, b"".join(chunk))
    assert rows is not None
    minute_of, zone_of = itemgetter(found.key_order[0]), itemgetter(found.key_order[1])
    spans_of = itemgetter(found.key_order[2])

    def day_of(minute: bytes, zone: bytes) -> date | None:
        return local_date(minute, zone, ZoneInfo("Europe/Berlin"))

    parts = by_date(rows, minute_of, zone_of, day_of)
    assert parts is not None
    assert [day for day, *_ in parts] == [date(2026, 11, 28), date(2026, 11, 29)]
    assert [[spans_of(row) for row in part] for _, part, _, _ in parts] == [
        [spans_of(rows[0]), spans_of(rows[3])], [spans_of(rows[1]), spans_of(rows[4])],
    ]  # fmt: skip
    assert [len(minutes) for _, _, minutes, _ in parts] == [1, 2]  # 23:59 twice
