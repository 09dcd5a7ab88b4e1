"""A long period's "Slow pages" and response times of one site of several, from that site's
stored month sketches and edge days: the percentiles, requests and bytes of its own days."""

from __future__ import annotations

import datetime
from collections import Counter

from django.test import TestCase, override_settings

from admin_hits.logs.sketches import decode, encode, percentiles
from admin_hits.models import (
    PageDelivery,
    PageDeliveryMonth,
    PathHits,
    SiteDelivery,
    SiteDeliveryMonth,
    path_hash,
)
from admin_hits.models.month_totals import ALL_SITES
from admin_hits.nightly import period_totals
from admin_hits.report.delivery import queries as delivery_queries
from admin_hits.report.delivery.months import split_period
from admin_hits.report.scope import Scope
from tests.admin.factories import days_ago
from tests.report.test_delivery_months import custom, ranges, rng, shown, sketch_of
from tests.report.test_site_month_rows import ROW_SITES, SITES

SPAN = 420
PATHS = ["/", "/a/", "/b/", "/search/"]


def add_rows() -> None:
    """Random timed days of each site, of the same paths (site 0 before the sites)."""
    pages, days = [], []
    for site in ROW_SITES:
        for n in range(1, SPAN):
            day_bins: Counter[int] = Counter()
            for path in rng.sample(PATHS, rng.randrange(1, len(PATHS))):
                bins = sketch_of(rng.randrange(1, 30), 40 * (site + 1))
                pages.append(PageDelivery(
                    date=days_ago(n), site=site, path=path, path_hash=path_hash(path),
                    requests=sum(bins.values()), bytes=rng.randrange(100, 9000),
                    sketch=encode(bins), **percentiles(bins),
                ))  # fmt: skip
                day_bins += bins
            days.append(SiteDelivery(date=days_ago(n), site=site, requests=day_bins.total(),
                                     bytes=n * (site + 1), sketch=encode(day_bins)))  # fmt: skip
    PageDelivery.objects.bulk_create(pages)
    SiteDelivery.objects.bulk_create(days)
    # The month totals' days (their first day decides the months computed).
    PathHits.objects.create(date=days_ago(SPAN), path="/", path_hash=path_hash("/"), views=1)


def page_truth(scope: Scope) -> list[dict]:
    """The period's slow pages of the scope's site, merged here from its days."""
    found: dict[str, dict] = {}
    for row in PageDelivery.objects.filter(site=scope.site).order_by("date"):
        if row.date in scope.period:
            page = found.setdefault(row.path_hash, {"page": row.path, "requests": 0,
                                                    "bytes": 0, "bins": Counter()})  # fmt: skip
            page["requests"] += row.requests
            page["bytes"] += row.bytes
            page["bins"] += decode(row.sketch)
    rows = [{"page": p["page"], "requests": p["requests"], "bytes": p["bytes"],
             **percentiles(p["bins"]), "key": key} for key, p in found.items()]  # fmt: skip
    rows.sort(key=lambda r: (-r["requests"], r["key"]))
    return [{k: v for k, v in r.items() if k != "key"} for r in rows]


def site_truth(period, site: int | None) -> tuple[int | None, int | None]:
    """(p50, bytes) of ``period``'s days of ``site`` (of every site for None)."""
    days = [d for d in SiteDelivery.objects.all() if d.date in period and site in (None, d.site)]
    bins: Counter[int] = Counter()
    for day in days:
        bins += decode(day.sketch)
    return (percentiles(bins)["p50"] if bins else None), (
        sum(d.bytes for d in days) if days else None
    )


@override_settings(ADMIN_HITS_SITES=SITES)
class SiteDeliveryMonthsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        add_rows()
        period_totals.refresh()

    def test_each_site_has_its_months(self) -> None:
        months = {
            (m.replace(day=1), s) for m, s in SiteDelivery.objects.values_list("date", "site")
        }
        last = days_ago(0).replace(day=1)
        for site in (ALL_SITES, 1, 2):
            stored = SiteDeliveryMonth.objects.filter(site=site)
            expected = {m for m, s in months if m < last and site in (ALL_SITES, s)}
            self.assertEqual({r.month for r in stored}, expected)
            for row in stored:
                end = (row.month + datetime.timedelta(days=31)).replace(day=1)
                days = SiteDelivery.objects.filter(date__gte=row.month, date__lt=end)
                if site != ALL_SITES:
                    days = days.filter(site=site)
                bins: Counter[int] = Counter()
                for day in days:
                    bins += decode(day.sketch)
                self.assertEqual(decode(row.sketch), dict(bins), (row.month, site))
                self.assertEqual(row.bytes, sum(d.bytes for d in days), (row.month, site))
            self.assertTrue(PageDeliveryMonth.objects.filter(site=site).exists(), site)

    def test_one_sites_slow_pages_and_figures_are_its_days_merged(self) -> None:
        for first, last in ranges():
            for site in (None, 1, 2):
                scope = custom(first, last, site=site)
                with self.subTest(first=first, last=last, site=site):
                    self.assertIsNotNone(split_period(scope, scope.period))
                    if site is not None:
                        self.assertEqual(shown(delivery_queries.slow_pages(scope)),
                                         page_truth(scope))  # fmt: skip
                    found = delivery_queries.site_figures(scope)
                    self.assertEqual((found.p50, found.bytes), site_truth(scope.period, site))
                    self.assertEqual((found.previous_p50, found.previous_bytes),
                                     site_truth(scope.previous, site))  # fmt: skip
