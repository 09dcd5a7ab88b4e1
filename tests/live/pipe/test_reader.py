from __future__ import annotations

import io
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admin_hits.live.pipe.reader import LineSplitter


def split_all(chunks: list[bytes], max_line_length: int = 100) -> tuple[list[bytes], int]:
    splitter = LineSplitter(max_line_length)
    lines = [line for chunk in chunks for line in splitter.push(chunk)]
    return lines + splitter.finish(), splitter.too_long


@pytest.mark.parametrize(
    ("chunks", "lines"),
    [
        ([b"a\nb\n"], [b"a\n", b"b\n"]),
        ([b"a", b"b\nc", b"\n"], [b"ab\n", b"c\n"]),
        ([b"a\n", b"", b"b"], [b"a\n", b"b"]),  # the last line without a newline at EOF
        ([b"\n\n"], [b"\n", b"\n"]),
        ([b"a\r\n"], [b"a\r\n"]),
        ([b"a\rb\n\x0bc\n"], [b"a\rb\n", b"\x0bc\n"]),  # cut at \n only, as parse_log
    ],
)
def test_lines_across_chunks(chunks: list[bytes], lines: list[bytes]) -> None:
    assert split_all(chunks) == (lines, 0)


def test_an_unfinished_line_over_the_limit_is_dropped_up_to_its_newline() -> None:
    chunks = [b"ok\n" + b"x" * 60, b"x" * 60, b"x" * 500, b"xx\nnext\n"]
    assert split_all(chunks) == ([b"ok\n", b"next\n"], 1)


def test_complete_long_lines_are_passed_on_for_the_core_to_skip() -> None:
    # Within one chunk a long line costs nothing extra; the log core counts it as too_long.
    assert split_all([b"y" * 300 + b"\nz\n"]) == ([b"y" * 300 + b"\n", b"z\n"], 0)


def test_a_ten_megabyte_line_without_newline_does_not_grow_memory() -> None:
    splitter = LineSplitter(16384)
    chunk = b"x" * 65536
    tracemalloc.start()
    for _ in range(160):  # 10 MB
        assert splitter.push(chunk) == []
        assert splitter.buffered <= 16384
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000_000
    assert splitter.push(b"tail\nnext line\n") == [b"next line\n"]
    assert splitter.too_long == 1


@given(st.lists(st.binary(max_size=40), max_size=30))
def test_same_lines_as_reading_the_stream_as_a_file(chunks: list[bytes]) -> None:
    expected = io.BytesIO(b"".join(chunks)).readlines()  # what parse_log reads
    assert split_all(chunks, max_line_length=10_000) == (expected, 0)
