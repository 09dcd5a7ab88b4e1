"""parse_log stores each day's visits, landings, bounces and exits, and says them in --json;
--jobs N gives the same as --jobs 1."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from admin_hits.logs.visit_days import median_of
from admin_hits.models import LandingHits, LandingReferrerHits, VisitLengths, VisitTotals
from tests.helpers import write_log
from tests.logs.visit_logs import events, expected
from tests.testapp.models import Article

DAY = datetime.date(2026, 11, 28)
TZ = ZoneInfo("Europe/Berlin")
START = datetime.datetime(2026, 11, 27, 22, 0, tzinfo=datetime.UTC)
VISIT_TABLES = (VisitTotals, VisitLengths, LandingHits, LandingReferrerHits)
pytestmark = pytest.mark.django_db


def parse(*args: str) -> dict:
    out = StringIO()
    call_command("parse_log", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def snapshot() -> dict[str, set[tuple]]:
    return {
        model.__name__: {
            tuple(v for k, v in row.items() if k != "id") for row in model.objects.values()
        }
        for model in VISIT_TABLES
    }


@pytest.fixture
def log(tmp_path: Path) -> tuple[str, list]:
    made = events(11, 1500, START)
    return str(write_log(tmp_path / "access.log", [e.line() for e in made])), made


def test_a_day_of_visits_is_stored_and_told(log) -> None:
    name, made = log
    a = Article.objects.create(title="A", slug="a")
    want = expected(made, TZ)
    data = parse(name, "--date", "2026-11-28")
    day = data["days"][0]
    assert day["visits"] == want.visits[DAY] and day["bounces"] == want.bounces[DAY]
    landings = {p: n for (d, p), n in want.landings.items() if d == DAY}
    assert day["landing"] == dict(sorted(landings.items(), key=lambda i: (-i[1], i[0])))
    totals = VisitTotals.objects.get(date=DAY)
    lengths = {m: n for (d, m), n in want.lengths.items() if d == DAY}
    assert (totals.visits, totals.bounces, totals.views, totals.median_minutes) == (
        want.visits[DAY], want.bounces[DAY], want.views[DAY], median_of(lengths),
    )  # fmt: skip
    assert dict(VisitLengths.objects.filter(date=DAY).values_list("minutes", "visits")) == lengths
    rows = {r.path: (r.visits, r.bounces, r.exits) for r in LandingHits.objects.filter(date=DAY)}
    paths = {p for (d, p) in [*want.landings, *want.exits] if d == DAY}
    assert rows == {
        p: (want.landings[DAY, p], want.landing_bounces[DAY, p], want.exits[DAY, p]) for p in paths
    }
    article = LandingHits.objects.get(date=DAY, path="/articles/a/")
    assert (article.content_type, article.object_id) == (
        ContentType.objects.get_for_model(Article),
        str(a.pk),
    )
    referred = {(r.path, r.url): r.visits for r in LandingReferrerHits.objects.filter(date=DAY)}
    assert referred == {(p, u): n for (d, p, u), n in want.referrers.items() if d == DAY}
    assert {r.host for r in LandingReferrerHits.objects.all()} == {
        "www.google.com", "news.example.org"
    }  # fmt: skip


def test_each_day_of_a_backfill_has_its_own_visits(log) -> None:
    # Visits crossing midnight are split there: each day is counted from its own lines.
    name, made = log
    want = expected(made, TZ)
    data = parse(name, "--since", "2026-11-27", "--until", "2026-11-29")
    assert {d["date"]: d["visits"] for d in data["days"]} == {
        str(day): n for day, n in want.visits.items()
    }
    alone = parse(name, "--date", "2026-11-29")
    assert alone["days"][0]["visits"] == want.visits[datetime.date(2026, 11, 29)]


def test_running_a_day_again_replaces_its_visits(log) -> None:
    name, _ = log
    parse(name, "--date", "2026-11-28")
    first = snapshot()
    parse(name, "--date", "2026-11-28")
    assert snapshot() == first and first["LandingHits"]


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_jobs_give_the_same_visits(log, jobs: str, monkeypatch) -> None:
    name, _ = log
    Article.objects.create(title="A", slug="a")
    # Small ranges, so that the day's lines are split between the processes.
    monkeypatch.setattr("admin_hits.nightly.logfiles.byte_ranges.__defaults__", (4096,))
    single = parse(name, "--since", "2026-11-27", "--until", "2026-11-29")
    rows = snapshot()
    parallel = parse(name, "--since", "2026-11-27", "--until", "2026-11-29", "--jobs", jobs)
    assert snapshot() == rows
    for one, many in zip(single["days"], parallel["days"], strict=True):
        assert {k: one[k] for k in ("visits", "bounces", "landing")} == {
            k: many[k] for k in ("visits", "bounces", "landing")
        }
    assert rows["VisitTotals"]


def test_a_compressed_log_in_blocks_gives_the_same_visits(tmp_path: Path, monkeypatch) -> None:
    made = events(12, 800, START)
    plain = str(write_log(tmp_path / "a.log", [e.line() for e in made]))
    packed = str(write_log(tmp_path / "b.log.gz", [e.line() for e in made], compress=True))
    monkeypatch.setattr("admin_hits.nightly.logfiles.read_blocks.__defaults__", (8192,))
    parse(plain, "--date", "2026-11-28")
    rows = snapshot()
    parse(packed, "--date", "2026-11-28", "--jobs", "2")
    assert snapshot() == rows
