"""The robots.txt readers found before counting (``robots_scan``) are those a whole count
finds, and a run that knows them first writes what a run of standard input (which finds them
at the end) writes."""

from __future__ import annotations

import datetime
import json
import random
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from admin_hits.conf import view_rules
from admin_hits.logs.days import ROBOTS_BOT, robots_readers
from admin_hits.models import (
    AudienceHits,
    BotHits,
    DayTotals,
    HourHits,
    LandingHits,
    PathHits,
    VisitTotals,
)
from admin_hits.nightly import robots_scan
from admin_hits.nightly.parsing import Source, collect
from tests.helpers import combined, write_log

DAY = datetime.date(2026, 11, 28)
BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
]
TABLES = (PathHits, DayTotals, BotHits, AudienceHits, HourHits, VisitTotals, LandingHits)


def generated(seed: int, clients: int = 300) -> list[str]:
    """A day and the start of the next, in time order: people on a few pages, some of whom
    also ask for robots.txt (before, between or after their views), assets, a 404."""
    rng = random.Random(seed)
    start = datetime.datetime(2026, 11, 27, 23, 0, tzinfo=datetime.UTC)
    events = []
    for n in range(clients):
        ip, agent = f"198.51.{100 + n // 200}.{n % 200 + 1}", rng.choice(BROWSERS)
        reads = rng.random() < 0.2
        for _ in range(rng.randrange(1, 6)):
            when = start + datetime.timedelta(minutes=rng.randrange(26 * 60))
            path = rng.choice(["/articles/a/", "/articles/b/", "/", "/static/s.css", "/nope/"])
            events.append((when, path, ip, agent, "-"))
        if reads:
            when = start + datetime.timedelta(minutes=rng.randrange(26 * 60))
            events.append((when, "/robots.txt", ip, agent, "-"))
        if rng.random() < 0.05:  # robots.txt named by the referrer only: no reader
            when = start + datetime.timedelta(minutes=rng.randrange(26 * 60))
            events.append((when, "/", ip, agent, "https://example.org/robots.txt"))
    events.sort(key=lambda event: event[0])
    return [
        combined(
            path,
            when.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            ip=ip,
            user_agent=agent,
            referrer=referrer,
            status=404 if path == "/nope/" else 200,
        )  # fmt: skip
        for when, path, ip, agent, referrer in events
    ]


@pytest.mark.parametrize("compress", [False, True])
def test_the_lines_that_name_robots_txt_across_blocks(tmp_path: Path, monkeypatch,
                                                      compress: bool) -> None:  # fmt: skip
    monkeypatch.setattr(robots_scan, "_BLOCK", 97)  # lines cut by every block
    lines = generated(1, clients=60)
    lines[-1] = combined("/robots.txt").rstrip("\n")  # the last line without its break
    log = write_log(tmp_path / ("a.log.gz" if compress else "a.log"), lines, compress=compress)
    expected = [line.encode() for line in lines if "/robots.txt" in line]
    assert len(expected) > 10
    assert list(robots_scan.robots_lines(str(log))) == expected


@pytest.mark.parametrize("seed", range(3))
def test_the_readers_found_first_are_those_of_the_whole_count(tmp_path: Path, seed: int) -> None:
    lines = generated(seed)
    cut = len(lines) * 9 // 10  # the next day's file holds the end: a neighbour
    day = write_log(tmp_path / "day.log", lines[:cut])
    nxt = write_log(tmp_path / "next.log", lines[cut:])
    sources = [Source(str(day)), Source(str(nxt), neighbour=True)]
    core = {"log_format": "combined", "tz": datetime.UTC, "rules": view_rules(),
            "max_line_length": 16384}  # fmt: skip
    found = robots_scan.scan_readers(sources, [DAY], **core)
    assert found == robots_readers(collect(sources, {DAY}, **core))
    assert found[DAY]


def test_standard_input_can_not_be_scanned(tmp_path: Path) -> None:
    log = write_log(tmp_path / "a.log", generated(1, clients=5))
    assert robots_scan.can_scan([Source(str(log))])
    assert not robots_scan.can_scan([Source(str(log)), Source("-")])


def snapshot() -> dict[str, set[tuple]]:
    return {
        model.__name__: {
            tuple(v for k, v in row.items() if k != "id") for row in model.objects.values()
        }
        for model in TABLES
    }


def run(name: str) -> dict:
    out = StringIO()
    call_command("parse_log", name, "--date", DAY.isoformat(), "--json", stdout=out,
                 stderr=StringIO())  # fmt: skip
    summary = json.loads(out.getvalue())
    for key in ("files", "elapsed", "lines_per_second"):
        summary.pop(key)
    return summary


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(2))
def test_a_file_gives_what_standard_input_gives(tmp_path: Path, monkeypatch, seed: int) -> None:
    log = write_log(tmp_path / "day.log", generated(seed))
    from_file, rows = run(str(log)), snapshot()

    class Stdin:
        buffer = log.open("rb")

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert run("-") == from_file
    assert snapshot() == rows
    assert BotHits.objects.filter(bot=ROBOTS_BOT).exists(), "no reader was made a bot"
