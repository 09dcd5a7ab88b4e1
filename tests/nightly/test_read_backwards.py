"""Reading a plain log from its end, in chunks of whole lines, as forwards."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from admin_hits.nightly.logfiles import read_chunks_backwards

LINE = st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"x") + b"\n")


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(LINE, max_size=40),
    cut_last=st.booleans(),
    chunk_bytes=st.sampled_from([1, 2, 7, 16, 64, 4096]),
)
def test_the_chunks_last_first_are_the_lines_of_the_file(
    tmp_path_factory, lines: list[bytes], cut_last: bool, chunk_bytes: int
) -> None:
    data = b"".join(lines)
    if cut_last and data:
        data = data[:-1]  # no line end after the last line
    path = Path(tmp_path_factory.mktemp("log")) / "access.log"
    path.write_bytes(data)
    chunks = list(read_chunks_backwards(str(path), chunk_bytes))
    want = io.BytesIO(data).readlines()  # "\r" and the like stay inside their line
    if all(len(line) < 4 * chunk_bytes for line in want):
        assert [line for chunk in reversed(chunks) for line in chunk] == want
    else:  # a line of four chunks and more is passed on once, in one piece or not
        assert sum(map(len, chunks)) == len(want)


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.log"
    path.write_bytes(b"")
    assert list(read_chunks_backwards(str(path))) == []
