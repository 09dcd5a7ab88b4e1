"""A long period's "Slow pages" and response-time figures from the stored month sketches and
its edge days: the same bins, so the same percentiles, requests and bytes as every day's
sketch merged; a month forgotten when a day of it is written, and computed again."""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from admin_hits.logs.sketches import bin_of, decode, encode, percentiles
from admin_hits.models import (
    MonthTotals,
    PageDelivery,
    PageDeliveryMonth,
    PathHits,
    SiteDelivery,
    SiteDeliveryMonth,
    path_hash,
    periods,
)
from admin_hits.nightly import period_totals
from admin_hits.report.delivery import queries as delivery_queries
from admin_hits.report.delivery.months import split_period
from admin_hits.report.scope import Scope
from tests.admin.factories import days_ago, today
from tests.testapp.models import Article, Release

SPAN = 420
PATHS = [f"/articles/a{n}/" for n in range(6)] + ["/", "/search/", "/moved/", "/releases/r0/"]
rng = random.Random(7041)


def sketch_of(count: int, scale: float) -> Counter[int]:
    return Counter(bin_of(rng.lognormvariate(math.log(scale), 0.8)) for _ in range(count))


def add_rows() -> dict[str, tuple[ContentType | None, str]]:
    """Random days of random pages: untimed days (bytes only), days without bytes, a path that
    moved from an object to none, objects of two models."""
    articles = [Article.objects.create(title=f"A{n}", slug=f"a{n}") for n in range(6)]
    release = Release.objects.create(title="R0")
    article_type, release_type = ContentType.objects.get_for_models(Article, Release).values()
    objects: dict[str, tuple[ContentType | None, str]] = {
        a.get_absolute_url(): (article_type, str(a.pk)) for a in articles
    }
    objects["/releases/r0/"] = (release_type, str(release.pk))
    pages, site = [], []
    for n in range(1, SPAN):
        day, day_bins, day_bytes = days_ago(n), Counter(), 0
        timed = n % 37 != 0
        for path in rng.sample(PATHS, rng.randrange(3, len(PATHS))):
            ct, pk = objects.get(path, (None, ""))
            if path == "/moved/" and n > SPAN // 2:
                ct, pk = article_type, str(articles[0].pk)
            bins = sketch_of(rng.randrange(1, 40), 900 if path == "/search/" else 60)
            sent = None if n % 11 == 0 else rng.randrange(1000, 90000)
            found = percentiles(bins) if timed else dict.fromkeys(("p50", "p95", "p99"))
            pages.append(PageDelivery(
                date=day, path=path, path_hash=path_hash(path), content_type=ct, object_id=pk,
                requests=sum(bins.values()), bytes=sent, sketch=encode(bins) if timed else b"",
                **found,
            ))  # fmt: skip
            day_bins += bins
            day_bytes += sent or 0
        site.append(SiteDelivery(date=day, requests=sum(day_bins.values()), bytes=day_bytes,
                                 sketch=encode(day_bins) if timed else b""))  # fmt: skip
        # The month totals' days (their first day decides the months computed).
        PathHits.objects.create(date=day, path="/", path_hash=path_hash("/"), views=1)
    PageDelivery.objects.bulk_create(pages)
    SiteDelivery.objects.bulk_create(site)
    return objects


def custom(first: datetime.date, last: datetime.date, **narrow) -> Scope:
    period = periods.custom(today(), first, last)
    return Scope(period, periods.previous(period), **narrow)


def truth(scope: Scope, content_type: ContentType | None = None) -> list[dict]:
    """The period's slow pages, from every day's row, merged here."""
    found: dict[str, dict] = {}
    for row in PageDelivery.objects.filter(p50__isnull=False).order_by("date"):
        if row.date not in scope.period or (
            content_type is not None and row.content_type_id != content_type.pk
        ):
            continue
        page = found.setdefault(row.path_hash, {"page": row.path, "requests": 0, "bytes": None,
                                                "bins": Counter()})  # fmt: skip
        page["requests"] += row.requests
        if row.bytes is not None:
            page["bytes"] = (page["bytes"] or 0) + row.bytes
        page["bins"] += decode(row.sketch)
    rows = [{"page": p["page"], "requests": p["requests"], "bytes": p["bytes"] or 0,
             **percentiles(p["bins"]), "key": key} for key, p in found.items()]  # fmt: skip
    rows.sort(key=lambda r: (-r["requests"], r["key"]))
    return [{k: v for k, v in r.items() if k != "key"} for r in rows]


def shown(rows: list[dict]) -> list[dict]:
    names = ("page", "requests", "bytes", "p50", "p95", "p99")
    return [{name: row[name] for name in names} for row in rows]


def ranges() -> list[tuple[datetime.date, datetime.date]]:
    yesterday = days_ago(1)
    first_of_month = yesterday.replace(day=1)
    year_ago = (first_of_month - datetime.timedelta(days=365)).replace(day=1)
    return [
        (days_ago(SPAN + 10), yesterday),
        (year_ago, first_of_month - datetime.timedelta(days=1)),  # whole months only
        (year_ago + datetime.timedelta(days=13), days_ago(40)),
        (days_ago(95), days_ago(3)),
    ]


class DeliveryMonthsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.objects = add_rows()
        period_totals.refresh()

    def test_each_month_holds_its_days_bins_requests_and_bytes(self) -> None:
        months = list(MonthTotals.objects.values_list("month", flat=True))
        self.assertGreaterEqual(len(months), 12)
        self.assertEqual(set(SiteDeliveryMonth.objects.values_list("month", flat=True)),
                         set(months))  # fmt: skip
        for month in months:
            days = SiteDelivery.objects.filter(date__year=month.year, date__month=month.month)
            stored = SiteDeliveryMonth.objects.get(month=month)
            bins: Counter[int] = Counter()
            for row in days:
                bins += decode(row.sketch)
            self.assertEqual(decode(stored.sketch), dict(bins))
            self.assertEqual(stored.bytes, sum(d.bytes for d in days))
            self.assertEqual(stored.requests, sum(d.requests for d in days))
        page_rows = PageDeliveryMonth.objects.filter(month=months[0])
        self.assertTrue(page_rows)
        for row in page_rows:
            days = PageDelivery.objects.filter(
                date__year=row.month.year, date__month=row.month.month, path_hash=row.path_hash,
                content_type=row.content_type, object_id=row.object_id, p50__isnull=False,
            )  # fmt: skip
            bins = Counter()
            for day in days:
                bins += decode(day.sketch)
            self.assertEqual(decode(row.sketch), dict(bins))
            sent = [d.bytes for d in days if d.bytes is not None]
            self.assertEqual(row.bytes, sum(sent) if sent else None)

    def test_slow_pages_of_long_ranges_equal_the_days_merged(self) -> None:
        for first, last in ranges():
            scope = custom(first, last)
            with self.subTest(first=first, last=last):
                self.assertIsNotNone(split_period(scope, scope.period))
                with CaptureQueriesContext(connection) as queries:
                    rows = delivery_queries.slow_pages(scope)
                self.assertIn("pagedeliverymonth", " ".join(q["sql"] for q in queries).lower())
                self.assertEqual(shown(rows), truth(scope))

    def test_the_top_pages_are_those_of_the_days(self) -> None:
        scope = custom(days_ago(SPAN + 10), days_ago(1))
        with mock.patch.object(delivery_queries, "MAX_PAGES", 4):
            rows = delivery_queries.slow_pages(scope)
        self.assertEqual(shown(rows), truth(scope)[:4])

    def test_a_models_pages_and_a_moved_path(self) -> None:
        article_type = ContentType.objects.get_for_model(Article)
        scope = custom(days_ago(SPAN + 10), days_ago(2), content_type=article_type)
        rows = delivery_queries.slow_pages(scope)
        self.assertIn("/moved/", [r["page"] for r in rows])
        self.assertEqual(shown(rows), truth(scope, article_type))

    def test_site_figures_equal_the_days_merged(self) -> None:
        for first, last in ranges():
            scope = custom(first, last)
            with self.subTest(first=first, last=last):
                found = delivery_queries.site_figures(scope)
                for period, p50, sent in ((scope.period, found.p50, found.bytes),
                                          (scope.previous, found.previous_p50,
                                           found.previous_bytes)):  # fmt: skip
                    days = [d for d in SiteDelivery.objects.all() if d.date in period]
                    bins: Counter[int] = Counter()
                    for day in days:
                        bins += decode(day.sketch)
                    self.assertEqual(p50, percentiles(bins)["p50"] if bins else None)
                    self.assertEqual(sent, sum(d.bytes for d in days) if days else None)

    def test_a_day_written_again_is_read_from_the_days_until_its_month_is_computed(
        self,
    ) -> None:
        day = days_ago(200)
        scope = custom(days_ago(SPAN + 10), days_ago(1))
        period_totals.invalidate(day)  # as writing the day does, in its transaction
        slow = PageDelivery.objects.filter(date=day, p50__isnull=False).first()
        bins = sketch_of(500, 20_000)
        slow.requests, slow.sketch = sum(bins.values()), encode(bins)
        slow.save()
        self.assertEqual(shown(delivery_queries.slow_pages(scope)), truth(scope))
        period_totals.refresh()
        month = PageDeliveryMonth.objects.get(
            month=day.replace(day=1), path_hash=slow.path_hash,
            content_type=slow.content_type, object_id=slow.object_id,
        )  # fmt: skip
        self.assertLessEqual(Counter(bins), Counter(decode(month.sketch)))
        self.assertEqual(shown(delivery_queries.slow_pages(scope)), truth(scope))

    def test_the_standard_periods_read_their_days(self) -> None:
        period = periods.resolve(periods.LAST_30_DAYS, today())
        scope = Scope(period, periods.previous(period))
        self.assertIsNone(split_period(scope, scope.period))
        self.assertEqual(shown(delivery_queries.slow_pages(scope)), truth(scope))

    def test_the_months_of_pruned_days_go(self) -> None:
        kept = days_ago(300).replace(day=1)
        PathHits.objects.filter(date__lt=kept).delete()  # as hits_prune deletes days
        period_totals.refresh()
        for model in (SiteDeliveryMonth, PageDeliveryMonth):
            months = set(model.objects.values_list("month", flat=True))
            self.assertTrue(months)
            self.assertEqual(min(months), kept)
