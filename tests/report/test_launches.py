"""Launch figures from generated days, the peers' band with many, one and no peers, and the
drill-down's launch section and JSON."""

from __future__ import annotations

import datetime
import statistics

from django.test import TestCase, override_settings

from admin_hits.report.editorial.launches import Band, Launch, band, launch_of, launches
from tests.admin.factories import add_hits, days_ago, superuser, today
from tests.report.factories import REPORT, export_url, object_url, records
from tests.report.test_export import download
from tests.report.test_publication import moment
from tests.testapp.models import Story


def story(slug: str, published_days_ago: int | None) -> Story:
    published = None
    if published_days_ago is not None:
        published = moment(days_ago(published_days_ago), 10)
    return Story.objects.create(title=slug.title(), slug=slug, published=published)


def launched(slug: str, published_days_ago: int, daily: list[int]) -> Story:
    """A story with ``daily[i]`` views on the i-th day from its publication."""
    obj = story(slug, published_days_ago)
    add_hits(obj, {published_days_ago - i: v for i, v in enumerate(daily) if v})
    return obj


class LaunchFiguresTests(TestCase):
    def test_figures_of_generated_days(self) -> None:
        # 40 days of views: day i (0 = the publication day) has 100 - 2 i, but day 3 peaks.
        daily = [100 - 2 * i for i in range(40)]
        daily[3] = 500
        obj = launched("forty", 45, daily)
        add_hits(obj, {46: 999})  # a preview, the day before publication: not its launch
        launch = launch_of(obj, today())
        self.assertEqual(launch.published, days_ago(45))
        self.assertEqual(launch.first_day, daily[0])
        self.assertEqual(launch.first_7_days, sum(daily[:7]))
        self.assertEqual(launch.first_30_days, sum(daily[:30]))
        self.assertEqual(launch.peak_date, days_ago(45) + datetime.timedelta(days=3))
        self.assertEqual(launch.age, 30)
        self.assertEqual(launch.cumulative()[6], sum(daily[:7]))

    def test_a_young_object_counts_the_days_so_far(self) -> None:
        obj = launched("young", 3, [5, 8, 2, 4])  # today's stored row counts too
        launch = launch_of(obj, today())
        self.assertEqual((launch.age, launch.first_7_days, launch.first_30_days), (3, 19, 19))
        self.assertEqual(launch.cumulative(), [5, 13, 15])

    def test_the_earliest_of_equal_peaks_and_no_views(self) -> None:
        launch = Launch(datetime.date(2026, 1, 1), [3, 7, 7, 1], 4)
        self.assertEqual(launch.peak_date, datetime.date(2026, 1, 2))
        self.assertIsNone(Launch(datetime.date(2026, 1, 1), [0, 0], 2).peak_date)

    def test_no_publication_date_no_launch(self) -> None:
        self.assertIsNone(launch_of(story("draft", None), today()))

    def test_a_future_publication_has_no_launch_yet(self) -> None:
        obj = story("embargo", -2)
        self.assertEqual(launches(Story, {str(obj.pk): days_ago(-2)}, today()), {})


class BandTests(TestCase):
    def test_median_and_upper_quartile_of_peers_at_each_age(self) -> None:
        firsts = [10, 20, 30, 40, 1000]
        for n, first in enumerate(firsts):
            launched(f"peer-{n}", 20 + n, [first, 1, 1])
        peers = band(Story, 3, today())
        self.assertEqual(peers.peers, 5)
        self.assertTrue(peers.shown)
        self.assertEqual(peers.median[0], 30)
        self.assertEqual(peers.median[2], 32)
        self.assertEqual(peers.upper[0], statistics.quantiles(firsts, n=4, method="inclusive")[2])
        self.assertEqual(peers.median_at(1), 30)
        self.assertIsNone(peers.median_at(4))

    def test_peers_too_young_or_excluded_do_not_count(self) -> None:
        old = launched("old", 20, [10])
        launched("other", 15, [30])
        launched("new", 2, [50])  # not 7 days old yet
        self.assertEqual(band(Story, 7, today()).peers, 2)
        self.assertEqual(band(Story, 7, today(), exclude=[str(old.pk)]).peers, 1)

    def test_one_peer_is_no_band(self) -> None:
        launched("only", 20, [10])
        peers = band(Story, 7, today())
        self.assertEqual(peers.peers, 1)
        self.assertFalse(peers.shown)
        self.assertEqual((peers.median, peers.median_at(1)), ([], None))

    def test_no_peer_is_no_band(self) -> None:
        self.assertEqual(band(Story, 7, today()), Band(0))


@override_settings(ADMIN_HITS_MODELS=["testapp.Article", "testapp.Release", "testapp.Story"])
class DrillDownLaunchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        cls.subject = launched("subject", 10, [40, 20, 10, 5, 5, 5, 5, 1, 1, 1])
        for n in range(3):
            launched(f"peer-{n}", 40 + n, [10 * (n + 1)] * 30)

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_launch_section_and_curve(self) -> None:
        response = self.client.get(object_url(self.subject))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="launch"')
        chart = str(response.context["launch_chart"])
        self.assertIn('class="band"', chart)
        self.assertIn('role="img"', chart)
        self.assertEqual(chart.count('class="launch-day"'), 10)
        # Day 10: 93 views, typical (median of 3 peers at day 10) 200.
        summary = response.context["launch_summary"]
        self.assertTrue(summary.startswith("Day 10: 0.4"), summary)  # 93 / 200 = 0.465
        self.assertIn("(93 views, median 200 of 3)", summary)

    def test_json_holds_the_launch_figures(self) -> None:
        data = self.client.get(object_url(self.subject), {"format": "json"}).json()
        self.assertEqual(data["published"], days_ago(10).isoformat())
        self.assertEqual(data["first_day"], 40)
        self.assertEqual(data["first_7_days"], 40 + 20 + 10 + 5 + 5 + 5 + 5)
        self.assertEqual(data["first_30_days"], 93)
        self.assertEqual(data["peak_date"], days_ago(10).isoformat())
        self.assertEqual(data["views"], 93)  # the last 30 days
        self.assertEqual(data["launch"]["peers"], 3)
        self.assertEqual(data["launch"]["median"][0], 20)
        week = self.client.get(object_url(self.subject), {"format": "json", "period": "7d"})
        self.assertEqual(week.json()["views"], 5 + 5 + 5 + 5 + 1 + 1 + 1)

    def test_one_peer_says_so(self) -> None:
        lonely = launched("lonely-subject", 5, [1, 2])
        response = self.client.get(object_url(lonely))  # peers: three Stories, but the
        self.assertIn("band", str(response.context["launch_chart"]))  # band is drawn
        Story.objects.exclude(pk__in=[lonely.pk, self.subject.pk]).delete()
        response = self.client.get(object_url(lonely))
        self.assertContains(response, "Only one other story is old enough")
        self.assertNotIn('class="band"', str(response.context["launch_chart"]))

    def test_object_without_publication_date(self) -> None:
        draft = story("a-draft", None)
        add_hits(draft, {2: 3})  # the report shows objects with rows
        response = self.client.get(object_url(draft))
        self.assertNotContains(response, 'id="launch"')
        data = self.client.get(object_url(draft), {"format": "json"}).json()
        self.assertEqual((data["published"], data["first_7_days"], data["launch"]), (None,) * 3)


@override_settings(ADMIN_HITS_MODELS=["testapp.Article", "testapp.Release", "testapp.Story"])
class RecentLaunchesTableTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        for n in range(4):  # peers, published long before: 10, 20, 30, 40 views a day
            launched(f"peer-{n}", 60 + n, [10 * (n + 1)] * 10)
        cls.hit = launched("hit", 12, [400, 100, 50, 10, 10, 10, 20, 5])
        cls.fresh = launched("fresh", 2, [30, 30])
        cls.draft = story("draft", None)

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_objects_published_in_the_period_against_the_median(self) -> None:
        response = self.client.get(REPORT, {"period": "30d", "tab": "content"})
        rows = records(response, "launches")
        self.assertEqual([r["object_pk"] for r in rows], [str(self.fresh.pk), str(self.hit.pk)])
        fresh, hit = rows
        self.assertEqual((hit["current"], hit["typical"]), (600, 175))  # median of 70..280
        self.assertAlmostEqual(hit["ratio"], 600 / 175)
        # Two complete days: against the peers' first two days (median 2 * 25).
        self.assertEqual((fresh["age"], fresh["current"], fresh["typical"]), (2, 60, 50))
        self.assertContains(response, "2 of 7 days so far")

    def test_a_period_without_launches(self) -> None:
        rows = records(
            self.client.get(REPORT, {"period": "yesterday", "tab": "content"}), "launches"
        )
        self.assertEqual(rows, [])

    def test_csv(self) -> None:
        _body, lines = download(self.client, export_url("launches"), {"period": "30d"})
        self.assertEqual(
            lines[0], ["object", "type", "published", "first 7 days", "typical", "vs typical"]
        )
        self.assertEqual(
            lines[2], ["Hit", "story", days_ago(12).isoformat(), "600", "175.0", "3.43"]
        )
