"""parse_log stores each day's response-time percentiles and bytes sent, for the site and per
page (matched to its object), when the format logs them; --json says the day's; --jobs
merges the workers' sketches to the same rows."""

from __future__ import annotations

import datetime
import json
import math
import random
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test.utils import override_settings

from admin_hits.logs.sketches import RELATIVE_ACCURACY, decode, percentiles
from admin_hits.models import PageDelivery, SiteDelivery
from tests.helpers import combined, write_log
from tests.testapp.models import Article

DAY = datetime.date(2026, 11, 28)
pytestmark = pytest.mark.django_db
TIMED = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D'


def parse(log: Path, *args: str) -> dict:
    out = StringIO()
    call_command("parse_log", str(log), "--date", "2026-11-28", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def timed_log(tmp_path: Path, lines: int = 1200) -> tuple[Path, dict[str, list[float]], dict]:
    """A %D log: each line's response time (ms) and bytes, per path ("" the site)."""
    rnd = random.Random(3)
    times: dict[str, list[float]] = {"": []}
    sizes: dict[str, int] = {"": 0}
    out = []
    for i in range(lines):
        path = rnd.choice(["/articles/a/", "/about/", "/static/app.css"])
        micro = rnd.randint(200, 3_000_000 if path == "/about/" else 90_000)
        size = rnd.randint(0, 40_000)
        when = f"28/Nov/2026:{10 + i * 8 // lines:02d}:{i % 60:02d}:00 +0100"
        line = combined(path, when, ip=f"203.0.113.{i % 40}", size=size)
        out.append(line.rstrip("\n") + f" {micro}\n")
        for key in ("", path) if path != "/static/app.css" else ("",):
            times.setdefault(key, []).append(micro / 1000)
            sizes[key] = sizes.get(key, 0) + size
    return write_log(tmp_path / "access.log", out), times, sizes


def close(got: float | None, values: list[float], q: float) -> bool:
    values = sorted(values)
    rank = q * (len(values) - 1)
    wanted = {values[math.floor(rank)], values[math.ceil(rank)]}
    return got is not None and any(abs(got - x) <= RELATIVE_ACCURACY * x for x in wanted)


@override_settings(ADMIN_HITS_MODELS=["testapp.Article"], ADMIN_HITS_LOG_FORMAT=TIMED)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_rows_and_json_of_a_timed_format(tmp_path: Path, jobs: str) -> None:
    article = Article.objects.create(title="A", slug="a")
    log, times, sizes = timed_log(tmp_path)
    day = parse(log, "--jobs", jobs)["days"][0]
    assert day["bytes"] == sizes[""]
    for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
        assert close(day["response_ms"][name], times[""], q), name
    site = SiteDelivery.objects.get(date=DAY)
    assert (site.requests, site.bytes) == (len(times[""]), sizes[""])
    assert decode(site.sketch) and close(site.p95, times[""], 0.95)
    pages = {row.path: row for row in PageDelivery.objects.filter(date=DAY)}
    assert set(pages) == {"/articles/a/", "/about/"}
    for path, row in pages.items():
        assert row.requests == len(times[path])
        assert row.bytes == sizes[path]
        assert close(row.p95, times[path], 0.95) and close(row.p99, times[path], 0.99)
        assert percentiles(decode(row.sketch))["p50"] == row.p50
    assert pages["/articles/a/"].content_type_id == ContentType.objects.get_for_model(Article).pk
    assert pages["/articles/a/"].object_id == str(article.pk)
    assert pages["/about/"].content_type_id is None


@override_settings(ADMIN_HITS_LOG_FORMAT=TIMED)
def test_jobs_give_the_same_rows(tmp_path: Path) -> None:
    log, _, _ = timed_log(tmp_path, lines=3000)
    fields = ("path", "requests", "bytes", "p50", "p95", "p99")
    parse(log)
    one = list(PageDelivery.objects.order_by("path").values_list(*fields))
    sketches = {r.path: decode(r.sketch) for r in PageDelivery.objects.all()}
    parse(log, "--jobs", "3")
    assert list(PageDelivery.objects.order_by("path").values_list(*fields)) == one
    assert {r.path: decode(r.sketch) for r in PageDelivery.objects.all()} == sketches


def test_a_combined_log_stores_no_delivery(tmp_path: Path) -> None:
    log = write_log(tmp_path / "access.log", [combined("/about/"), combined("/")])
    day = parse(log)["days"][0]
    assert "bytes" not in day and "response_ms" not in day
    assert not SiteDelivery.objects.exists() and not PageDelivery.objects.exists()


@override_settings(ADMIN_HITS_LOG_FORMAT=TIMED)
def test_a_day_read_again_without_the_fields_loses_its_rows(tmp_path: Path) -> None:
    log, _, _ = timed_log(tmp_path, lines=50)
    parse(log)
    assert PageDelivery.objects.filter(date=DAY).exists()
    plain = write_log(tmp_path / "plain.log", [combined("/about/")])
    parse(plain, "--format", "combined")
    assert not PageDelivery.objects.filter(date=DAY).exists()
    assert not SiteDelivery.objects.filter(date=DAY).exists()
