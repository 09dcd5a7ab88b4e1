"""``parse_log --jobs N`` gives exactly the rows of ``--jobs 1``."""

from __future__ import annotations

import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from admin_hits.logfiles import byte_ranges, read_range
from admin_hits.models import Hits, PathHits
from tests.helpers import combined, write_log
from tests.testapp.models import Article


def rows() -> tuple[set, set]:
    return (
        set(Hits.objects.values_list("date", "content_type", "object_id", "views")),
        set(PathHits.objects.values_list("date", "path", "views", "object_id")),
    )


def lines(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        hour, minute = rng.randrange(24), rng.randrange(60)
        day = rng.choice(["27", "28", "28", "28", "29"])
        path = rng.choice(["/articles/a/", "/articles/b/", f"/articles/n{rng.randrange(50)}/",
                           "/static/x.css", f"/other/{rng.randrange(100)}"])  # fmt: skip
        out.append(combined(path, f"{day}/Nov/2026:{hour:02d}:{minute:02d}:00 +0100",
                            status=rng.choice([200, 200, 304, 404])))  # fmt: skip
    out.insert(rng.randrange(count), "not a log line\n")
    return out


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_jobs_give_the_same_rows(tmp_path: Path, db, compress: bool, monkeypatch) -> None:
    Article.objects.create(title="A", slug="a")
    Article.objects.create(title="B", slug="b")
    logs = [
        str(write_log(tmp_path / f"web{i}.log{'.gz' if compress else ''}", lines(3000, i),
                      compress=compress))
        for i in range(3)
    ]  # fmt: skip
    # Small ranges and blocks, so that even these files are split between the workers.
    monkeypatch.setattr("admin_hits.logfiles.byte_ranges.__defaults__", (4096,))
    monkeypatch.setattr("admin_hits.logfiles.read_blocks.__defaults__", (8192,))
    call_command("parse_log", *logs, "--since", "2026-11-27", "--until", "2026-11-29",
                 stdout=StringIO())  # fmt: skip
    single = rows()
    Hits.objects.all().delete()
    PathHits.objects.all().delete()
    call_command("parse_log", *logs, "--since", "2026-11-27", "--until", "2026-11-29",
                 "--jobs", "2", stdout=StringIO())  # fmt: skip
    assert rows() == single
    assert len(single[0]) == 6  # two articles on three days


@pytest.mark.parametrize("parts", [1, 2, 3, 7, 50])
def test_byte_ranges_cover_every_line_once(tmp_path: Path, parts: int) -> None:
    text = [f"line {i} {'x' * (i % 37)}\n".encode() for i in range(1000)]
    log = tmp_path / "plain.log"
    log.write_bytes(b"".join(text) + b"last line without newline")
    ranges = byte_ranges(str(log), parts, min_size=1)
    read = [line for start, end in ranges for chunk in read_range(str(log), start, end)
            for line in chunk]  # fmt: skip
    assert read == [*text, b"last line without newline"]


def test_jobs_must_be_positive(db) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("parse_log", "--jobs", "0")
