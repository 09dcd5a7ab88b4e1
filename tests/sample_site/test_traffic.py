"""The demo site's log generator writes lines the log core reads, shaped like real traffic."""

from __future__ import annotations

import datetime
import importlib
import statistics
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest

from admin_hits.logs import Aggregator, LineParser, ViewRules, split_target
from admin_hits.logs.delivery_days import delivery_days
from admin_hits.logs.sketches import percentiles

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "sample_site"
BERLIN = ZoneInfo("Europe/Berlin")
DAYS = [datetime.date(2026, 3, 28), datetime.date(2026, 3, 29)]  # Saturday, and DST starts


@pytest.fixture(scope="module")
def traffic() -> ModuleType:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(SAMPLE_SITE))
        return importlib.import_module("press.traffic")


@pytest.fixture(scope="module")
def logs(traffic: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    root = tmp_path_factory.mktemp("logs")
    pages = [
        traffic.Page(
            "/releases/wind-farm-online/",
            "Blue Harbor wind farm online",
            1.0,
            download="/media/press-kits/wind-farm-online.pdf",
        ),  # fmt: skip
        traffic.Page("/releases/new-plant/", "Northwind opens a new plant", 0.5, published=DAYS[1]),
        traffic.Page("/companies/blue-harbor/", "Blue Harbor Energy", 0.2),
    ]
    site = traffic.Site("press.example.com", pages, ["/", "/companies/"], BERLIN)
    pattern = str(root / "%Y/%m/%d/access.log")
    written = traffic.write_logs(pattern, site, DAYS, per_day=600, seed=7)
    assert set(written) == set(DAYS)
    return {
        day.isoformat(): (root / day.strftime("%Y/%m/%d/access.log")).read_text().splitlines()
        for day in DAYS
    }


@pytest.fixture(scope="module")
def parser(traffic: ModuleType) -> LineParser:
    return LineParser(traffic.LOG_FORMAT)


def test_every_line_is_a_line_of_the_demo_format(
    logs: dict[str, list[str]], parser: LineParser
) -> None:
    for lines in logs.values():
        assert len(lines) > 300
        assert all(parser.parse(line) is not None for line in lines)


def test_same_seed_same_lines(traffic: ModuleType) -> None:
    pages = [traffic.Page("/releases/a/", "A release", 1.0)]

    def lines(seed: int) -> list[str]:
        site = traffic.Site("x.example", pages, ["/"], BERLIN)
        entries = traffic.traffic(site, DAYS, per_day=80, seed=seed)
        return [entry.line for entry in entries]

    assert lines(3) == lines(3)
    assert lines(3) != lines(4)


def test_each_file_starts_with_requests_from_before_midnight(
    logs: dict[str, list[str]], parser: LineParser
) -> None:
    for day, lines in logs.items():
        first = parser.parse(lines[0]).time.astimezone(BERLIN)
        assert first.date() < datetime.date.fromisoformat(day)
        assert (first.hour, first.minute) == (23, 59)
        times = [parser.parse(line).time for line in lines]
        assert times != sorted(times)  # written when requests end, not when they start


def test_the_mix_of_real_traffic(logs: dict[str, list[str]], parser: LineParser) -> None:
    records = [parser.parse(line) for lines in logs.values() for line in lines]
    statuses = {r.status for r in records}
    assert {200, 301, 302, 304, 404} <= statuses
    assert {"GET", "POST"} <= {r.method for r in records}
    agents = " ".join({r.user_agent for r in records})
    for bot in ("Googlebot", "bingbot", "GPTBot", "curl/"):
        assert bot in agents
    assert "" in {r.user_agent for r in records}  # "-"
    referrers = {r.referrer for r in records}
    assert any("google." in r and "q=" in r for r in referrers)
    assert any(r.startswith("https://www.linkedin.com/") for r in referrers)
    queries = {split_target(r.target)[1] for r in records}
    assert any("utm_source=" in q for q in queries)
    paths = {split_target(r.target)[0] for r in records}
    assert {"/static/press/site.css", "/static/press/logo.svg"} <= paths


def test_popularity_and_publication_dates(logs: dict[str, list[str]], parser: LineParser) -> None:
    rules = ViewRules(excluded_prefixes=("/static/",))
    views: dict[tuple[str, str], int] = {}
    for lines in logs.values():
        for line in lines:
            record = parser.parse(line)
            path = split_target(record.target)[0]
            if rules.is_view(record.method, path, record.status):
                key = (record.time.astimezone(BERLIN).date().isoformat(), path)
                views[key] = views.get(key, 0) + 1
    saturday, sunday = (d.isoformat() for d in DAYS)
    assert views.get((saturday, "/releases/new-plant/"), 0) == 0  # not published yet
    assert views[(sunday, "/releases/new-plant/")] > 0
    assert views[(saturday, "/releases/wind-farm-online/")] > views.get(
        (saturday, "/companies/blue-harbor/"), 0
    )


def test_readers_download_press_kits_in_parts_too(
    logs: dict[str, list[str]], traffic: ModuleType
) -> None:
    from admin_hits.logs.downloads import download_days

    lines = [line for day in logs.values() for line in day]
    kit = [line for line in lines if "/media/press-kits/wind-farm-online.pdf" in line]
    assert any('" 206 ' in line for line in kit) and any('" 200 ' in line for line in kit)
    rules = ViewRules(excluded_prefixes=("/static/", "/media/"), download_prefixes=("/media/",))
    aggregator = Aggregator(traffic.LOG_FORMAT, tz=BERLIN, rules=rules)
    aggregator.feed([line.encode() + b"\n" for line in lines])
    found = download_days(aggregator.take())
    downloads = sum(d.downloads["/media/press-kits/wind-farm-online.pdf"] for d in found.values())
    assert 0 < downloads < len(kit)  # the parts of one download count once


def _served(line: str) -> tuple[str, int, int]:
    """(path, bytes sent, microseconds taken) of a line: its request's path, its last two
    numbers (%O before the quoted referrer and user agent, %D at the end)."""
    request, after = line.split('"')[1], line.split('"')[2].split()
    return split_target(request.split()[1])[0], int(after[1]), int(line.rsplit(" ", 1)[1])


def test_slow_pages_and_large_downloads(logs: dict[str, list[str]], traffic: ModuleType) -> None:
    times: dict[str, list[int]] = {}
    sizes: dict[str, list[int]] = {}
    for line in (line for day in logs.values() for line in day):
        path, size, took = _served(line)
        if '" 200 ' in line:
            times.setdefault(path, []).append(took)
            sizes.setdefault(path, []).append(size)

    def median(path: str) -> float:
        return statistics.median(times[path])

    assert median("/search/") > median("/") > median("/releases/wind-farm-online/")
    assert median("/releases/wind-farm-online/") > median("/static/press/site.css")
    assert min(sizes["/media/press-kits/wind-farm-online.pdf"]) > 1_000_000
    assert max(sizes["/releases/wind-farm-online/"]) < 100_000

    # The log core reads them: the search is the slowest page, every day.
    rules = ViewRules(excluded_prefixes=("/static/", "/media/"))
    aggregator = Aggregator(traffic.LOG_FORMAT, tz=BERLIN, rules=rules)
    aggregator.feed([line.encode() + b"\n" for day in logs.values() for line in day])
    found = delivery_days(aggregator.take())
    for day in DAYS:
        pages = {p: percentiles(d.bins)["p95"] for p, d in found[day].pages.items()}
        assert max(pages, key=lambda p: pages[p] or 0) == "/search/"
        assert found[day].bytes > 1_000_000 * 5
