"""What parse_log says about the format of its files."""

from __future__ import annotations

from pathlib import Path

import pytest

from admin_hits.exceptions import LogFormatError
from admin_hits.logs.detect import VHOST_WITHOUT_PORT
from admin_hits.nightly.format_hints import auto_format, first_lines, hint
from tests.helpers import combined, write_log


def test_hint_names_another_format_and_nothing_for_the_same(tmp_path: Path) -> None:
    log = write_log(tmp_path / "a.log", [combined("/a/")] * 3)
    assert "pass --format combined" in hint([str(log)], "common")
    assert hint([str(log)], "combined") == hint([str(log)], " Combined ") == ""
    other = write_log(tmp_path / "b.log", [f"www.example.com {combined('/a/')}"])
    assert hint([str(other)], VHOST_WITHOUT_PORT.replace('"', '\\"')) == ""  # pasted form


def test_stdin_and_missing_files_give_no_hint(tmp_path: Path) -> None:
    assert hint(["-"], "common") == "" and first_lines("-") == []
    assert first_lines(str(tmp_path / "none.log")) == []


def test_auto_reads_the_first_file_with_lines(tmp_path: Path) -> None:
    empty = write_log(tmp_path / "empty.log", [])
    log = write_log(tmp_path / "day.log.gz", [combined("/a/")], compress=True)
    option, said = auto_format([str(empty), str(log)])
    assert option == "combined" and str(log) in said
    with pytest.raises(LogFormatError, match="stdin can not be read twice"):
        auto_format(["-"])
