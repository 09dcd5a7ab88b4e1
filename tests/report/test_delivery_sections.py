"""Delivery in the report: the "Speed" tab's "Slow pages" (a period's percentiles merged from
its days' sketches), an object's "Response times", the "Bytes sent" and response-time
figures, the CSV; and nothing of it where the log format logs neither field."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from django.test import TestCase

from admin_hits.logs.sketches import RELATIVE_ACCURACY, bin_of, encode, percentiles
from admin_hits.models import PageDelivery, SiteDelivery
from admin_hits.report.delivery.tables import bytes_text, milliseconds_text
from tests.admin.factories import days_ago, superuser
from tests.report.factories import REPORT, add_object, export_url, object_url, records
from tests.report.test_export import download
from tests.testapp.models import Article


def figures(response) -> dict[str, tuple]:
    return {str(f.label): (f.value, f.previous) for f in response.context["figures"]}


def row_of(values: list[float], sent: int) -> dict:
    """A day's delivery row of requests that took ``values`` ms, as parse_log writes it."""
    bins = Counter(bin_of(v) for v in values)
    found = percentiles(bins)
    return {"requests": len(values), "bytes": sent, "sketch": encode(bins), **found}


def true_quantile(values: list[float], q: float) -> set[float]:
    values = sorted(values)
    rank = q * (len(values) - 1)
    return {values[math.floor(rank)], values[math.ceil(rank)]}


def within(got: float, wanted: set[float]) -> bool:
    return any(abs(got - x) <= RELATIVE_ACCURACY * x for x in wanted)


class DeliverySectionsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        rnd = random.Random(5)
        cls.article = Article.objects.create(title="Slow article", slug="slow")
        add_object(cls.article, {1: 10, 2: 10})
        cls.times: dict[str, list[float]] = {"/slow/": [], "/": []}
        for ago in (1, 2):
            site: list[float] = []
            for path, scale in (("/slow/", 900.0), ("/", 30.0)):
                values = [rnd.lognormvariate(math.log(scale), 0.7) for _ in range(300 * ago)]
                cls.times[path] += values
                site += values
                obj = {"content_object": cls.article} if path == "/slow/" else {}
                PageDelivery.objects.create(date=days_ago(ago), path=path, **obj,
                                            **row_of(values, 1000 * ago))  # fmt: skip
            SiteDelivery.objects.create(date=days_ago(ago), **row_of(site, 5000 * ago))
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_slow_pages_merge_the_days_sketches(self) -> None:
        response = self.client.get(REPORT, {"tab": "delivery"})
        self.assertContains(response, "Slow pages")
        rows = records(response, "slow-pages")
        self.assertEqual([r["page"] for r in rows], ["/slow/", "/"])  # by p95, slowest first
        slow = rows[0]
        self.assertEqual((slow["requests"], slow["bytes"]), (900, 3000))
        for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
            self.assertTrue(within(slow[name], true_quantile(self.times["/slow/"], q)), name)

    def test_csv_holds_milliseconds_and_bytes(self) -> None:
        _, rows = download(self.client, export_url("slow-pages"))
        header = rows[0]
        self.assertEqual(header[:3], ["page", "object", "requests"])
        self.assertEqual(header[3:], ["p50, ms", "p95, ms", "p99, ms", "bytes sent"])
        slow = dict(zip(header, rows[1], strict=True))
        self.assertEqual(slow["page"], "/slow/")
        self.assertEqual(slow["bytes sent"], "3000")
        self.assertTrue(within(float(slow["p95, ms"]), true_quantile(self.times["/slow/"], 0.95)))

    def test_bytes_and_response_time_figures(self) -> None:
        found = figures(self.client.get(REPORT))
        self.assertEqual(found["Bytes sent"][0], 15000)
        site = self.times["/slow/"] + self.times["/"]
        p95 = found["Response time, 95th percentile"][0]
        self.assertTrue(within(p95, true_quantile(site, 0.95)))

    def test_the_json_holds_the_figures_and_the_tables_csv(self) -> None:
        data = self.client.get(REPORT, {"tab": "delivery", "format": "json"}).json()
        keys = {f["key"]: f["value"] for f in data["figures"]}
        self.assertEqual(keys["bytes"], 15000)
        self.assertIn("response_ms_p95", keys)
        self.assertIn("delivery", [tab["key"] for tab in data["tabs"]])
        table = next(t for t in data["tables"] if t["slug"] == "slow-pages")
        _, rows = download(self.client, export_url("slow-pages"))
        names = [c["name"] for c in table["columns"]]
        got = [["" if r[n] is None else str(r[n]) for n in names] for r in table["rows"]]
        self.assertEqual(got, rows[1:])

    def test_the_speed_tab_charts_the_bytes_sent_per_day(self) -> None:
        response = self.client.get(REPORT, {"tab": "delivery", "period": "7d"})
        block = next(b for b in response.context["blocks"] if b.section.slug == "slow-pages")
        self.assertIn("Bytes sent per day", block.figure)
        self.assertIn("15.0\u00a0kB in all", block.figure)  # 5,000 + 10,000 bytes
        SiteDelivery.objects.update(bytes=None)
        response = self.client.get(REPORT, {"tab": "delivery", "period": "7d"})
        block = next(b for b in response.context["blocks"] if b.section.slug == "slow-pages")
        self.assertEqual(block.figure, "")  # times without bytes: no chart

    def test_an_objects_page_shows_its_paths_response_times(self) -> None:
        response = self.client.get(object_url(self.article))
        rows = records(response, "slow-pages")
        self.assertEqual([(r["page"], r["requests"]) for r in rows], [("/slow/", 900)])

    def test_without_stored_delivery_the_report_says_nothing_of_it(self) -> None:
        SiteDelivery.objects.all().delete()
        PageDelivery.objects.all().delete()
        response = self.client.get(REPORT)
        self.assertNotContains(response, "Speed")
        self.assertNotIn("Bytes sent", figures(response))
        self.assertNotIn("slow-pages", [b.section.slug for b in response.context["blocks"]])
        _, rows = download(self.client, export_url("slow-pages"))  # a stable URL: headers
        self.assertEqual(len(rows), 1)
        obj = self.client.get(object_url(self.article))
        self.assertNotIn("slow-pages", [b.section.slug for b in obj.context["blocks"]])

    def test_bytes_alone_give_the_figure_and_no_table(self) -> None:
        PageDelivery.objects.update(p50=None, p95=None, p99=None, sketch=b"")
        SiteDelivery.objects.update(p50=None, p95=None, p99=None, sketch=b"")
        response = self.client.get(REPORT)
        found = figures(response)
        self.assertEqual(found["Bytes sent"][0], 15000)
        self.assertNotIn("Response time, median", found)
        self.assertNotContains(response, "Slow pages")


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_234_567, "1.2 MB"),
     (5 * 10**12, "5.0 TB"), (7 * 10**15, "7,000.0 TB")],
)  # fmt: skip
def test_bytes_text(value: int | None, text: str) -> None:
    assert bytes_text(value).replace("\u00a0", " ") == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (0.0, "0.0 ms"), (2.44, "2.4 ms"), (46.4, "46 ms"), (1234.6, "1,235 ms")],
)
def test_milliseconds_text(value: float | None, text: str) -> None:
    assert milliseconds_text(value).replace("\u00a0", " ") == text
