"""parse_log under faults: a day is either replaced whole or left exactly as it was."""

from __future__ import annotations

import datetime
import gzip
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from admin_hits.models import Hits, PathHits
from admin_hits.nightly import logfiles
from tests.helpers import combined, write_log
from tests.testapp.models import Article


def parse(*args: str) -> str:
    out = StringIO()
    call_command("parse_log", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> set[tuple]:
    return set(Hits.objects.values_list("date", "object_id", "views")) | set(
        PathHits.objects.values_list("date", "path", "views")
    )


@pytest.fixture
def article(db) -> Article:
    return Article.objects.create(title="A", slug="a")


@pytest.fixture
def parsed_day(tmp_path: Path, article: Article) -> set[tuple]:
    log = write_log(tmp_path / "first.log", [combined("/articles/a/")] * 4)
    parse(str(log), "--date", "2026-11-28")
    return snapshot()


def test_failure_at_line_n_leaves_the_day_unchanged(tmp_path, parsed_day, monkeypatch) -> None:
    log = write_log(tmp_path / "second.log", [combined("/articles/a/")] * 30_000)
    real = logfiles.read_chunks

    def failing(name, chunk_lines=logfiles.CHUNK_LINES):
        for number, chunk in enumerate(real(name, chunk_lines=1000)):
            if number == 12:
                raise logfiles.LogFileError(f"{name}: injected failure at line 12000")
            yield chunk

    monkeypatch.setattr("admin_hits.nightly.parsing.read_chunks", failing)
    with pytest.raises(CommandError, match="injected failure.*Nothing was written"):
        parse(str(log), "--date", "2026-11-28")
    assert snapshot() == parsed_day


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.99])
def test_truncated_gzip(tmp_path, parsed_day, cut: float) -> None:
    data = gzip.compress("".join(combined("/articles/a/") for _ in range(20_000)).encode())
    broken = tmp_path / "broken.log.gz"
    broken.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(CommandError, match="damaged or truncated"):
        parse(str(broken), "--date", "2026-11-28")
    assert snapshot() == parsed_day


def test_corrupt_gzip_body(tmp_path, parsed_day) -> None:
    data = bytearray(gzip.compress("".join(combined("/a/") for _ in range(5000)).encode()))
    data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
    broken = tmp_path / "corrupt.log.gz"
    broken.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="damaged or truncated"):
        parse(str(broken), "--date", "2026-11-28")
    assert snapshot() == parsed_day


def test_not_gzip_at_all(tmp_path, parsed_day) -> None:
    fake = tmp_path / "plain.log.gz"
    fake.write_text(combined("/articles/a/"))
    with pytest.raises(CommandError, match="damaged or truncated"):
        parse(str(fake), "--date", "2026-11-28")
    assert snapshot() == parsed_day


def test_directory_instead_of_a_file(tmp_path, db) -> None:
    with pytest.raises(CommandError, match="is a directory"):
        parse(str(tmp_path), "--date", "2026-11-28")


def test_unreadable_file(tmp_path, db, monkeypatch) -> None:
    log = write_log(tmp_path / "secret.log", [combined("/a/")])
    # Root reads any file whatever its mode, so the refusal is simulated where it is checked.
    monkeypatch.setattr("admin_hits.nightly.logfiles.os.access", lambda path, mode: False)
    with pytest.raises(CommandError, match="secret.log: permission denied"):
        parse(str(log), "--date", "2026-11-28")


def test_exit_code_is_non_zero_from_the_command_line(tmp_path, db) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "django", "parse_log", str(tmp_path / "missing.log")],
        capture_output=True, text=True, timeout=60,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin",
             "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )  # fmt: skip
    assert result.returncode == 1
    assert "missing.log: no such file" in result.stderr


# Europe/Berlin (the tests' TIME_ZONE) leaves summer time on 2026-10-25 (25 hours, 02:00-03:00
# twice) and enters it on 2026-03-29 (23 hours, no 02:00-03:00).
@pytest.mark.parametrize(
    ("when", "day"),
    [
        ("24/Oct/2026:21:59:59 +0000", "2026-10-24"),
        ("24/Oct/2026:22:00:00 +0000", "2026-10-25"),
        ("25/Oct/2026:02:30:00 +0200", "2026-10-25"),  # the repeated hour, first time
        ("25/Oct/2026:02:30:00 +0100", "2026-10-25"),  # and second time
        ("25/Oct/2026:22:59:59 +0000", "2026-10-25"),  # 23:59:59 local, hour 25 of the day
        ("25/Oct/2026:23:00:00 +0000", "2026-10-26"),
        ("28/Mar/2026:22:59:59 +0000", "2026-03-28"),
        ("28/Mar/2026:23:00:00 +0000", "2026-03-29"),
        ("29/Mar/2026:21:59:59 +0000", "2026-03-29"),  # 23:59:59 CEST, end of the 23 h day
        ("29/Mar/2026:22:00:00 +0000", "2026-03-30"),
        ("29/Mar/2026:05:30:00 +0530", "2026-03-29"),  # a %t zone other than TIME_ZONE
        ("28/Mar/2026:18:00:00 -0800", "2026-03-29"),
    ],
)
def test_daylight_saving_days_and_foreign_zones(tmp_path, article, when, day) -> None:
    log = write_log(tmp_path / "dst.log", [combined("/articles/a/", when)])
    parse(str(log), "--date", day)
    assert list(article.hits.values_list("date", "views")) == [
        (datetime.date.fromisoformat(day), 1)
    ]


def test_twenty_digit_ids_in_paths(tmp_path, article) -> None:
    log = write_log(
        tmp_path / "ids.log",
        [combined("/articles/a/"), combined("/releases/99999999999999999999/"),
         combined("/pages/123456789012345678901234567890/")],
    )  # fmt: skip
    parse(str(log), "--date", "2026-11-28")
    assert article.hits.get().views == 1
    assert PathHits.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_runs_for_the_same_day_at_once(tmp_path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one write transaction run at a time by design")
    Article.objects.create(title="A", slug="a")
    logs = [
        write_log(tmp_path / f"run{i}.log", [combined(f"/articles/{s}/") for s in "a" * n])
        for i, n in enumerate([3, 5])
    ]
    errors: list[BaseException] = []

    def run(log: Path) -> None:
        try:
            for _ in range(5):
                parse(str(log), "--date", "2026-11-28")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(log,)) for log in logs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    # Whoever wrote last, the day holds exactly one run's rows, never a mix of both.
    assert list(Hits.objects.values_list("views", flat=True)) in ([3], [5])
    assert list(PathHits.objects.values_list("views", flat=True)) in ([3], [5])
