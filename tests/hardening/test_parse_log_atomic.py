"""Whatever is wrong with the input, ``parse_log`` fails with a message that says what, and a
day parsed before stays exactly as it was (the per-fault tests are in
``tests/management/test_parse_log_faults.py``; this is the same promise over every fault)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.management import CommandError

from tests.helpers import combined, write_log
from tests.management.test_parse_log_faults import parse, snapshot


def missing(tmp_path: Path) -> list[str]:
    return [str(tmp_path / "missing.log")]


def empty(tmp_path: Path) -> list[str]:
    return [str(write_log(tmp_path / "empty.log", []))]


def directory(tmp_path: Path) -> list[str]:
    return [str(tmp_path)]


def truncated_gzip(tmp_path: Path) -> list[str]:
    data = gzip.compress(b"".join(combined("/articles/a/").encode() for _ in range(5000)))
    (tmp_path / "cut.log.gz").write_bytes(data[: len(data) // 2])
    return [str(tmp_path / "cut.log.gz")]


def wrong_format(tmp_path: Path) -> list[str]:
    log = write_log(tmp_path / "x.log", [combined("/articles/a/")] * 10)
    return [str(log), "--format", "%h %t %>s %r %{X-Thing}i"]


def only_other_days(tmp_path: Path) -> list[str]:
    lines = [combined("/articles/a/", "27/Nov/2026:12:00:00 +0100"),
             combined("/articles/a/", "29/Nov/2026:12:00:00 +0100")]  # fmt: skip
    return [str(write_log(tmp_path / "other.log", lines))]


def binary_garbage(tmp_path: Path) -> list[str]:
    (tmp_path / "garbage.log").write_bytes(bytes(range(256)) * 400)
    return [str(tmp_path / "garbage.log")]


def good_then_missing(tmp_path: Path) -> list[str]:
    good = write_log(tmp_path / "good.log", [combined("/articles/a/")] * 9)
    return [str(good), str(tmp_path / "missing.log")]


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (missing, "no such file"),
        (empty, "no lines"),
        (directory, "is a directory"),
        (truncated_gzip, "damaged or truncated"),
        (wrong_format, "match the log format"),
        (only_other_days, "No line is dated 2026-11-28"),
        (binary_garbage, "match the log format"),
        (good_then_missing, "no such file"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_a_fault_leaves_the_parsed_day_as_it_was(tmp_path, parsed_day, fault, message) -> None:
    with pytest.raises(CommandError, match=message):
        parse(*fault(tmp_path), "--date", "2026-11-28")
    assert snapshot() == parsed_day
