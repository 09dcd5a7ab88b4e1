"""``hits_alerts``: spikes at the edges of the ratio and the minimum, little history, once per
object and day, and a live store that is down."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from admin_hits.live.stores import get_store
from admin_hits.models import AlertDelivery, Hits, HourHits, MailPreference
from admin_hits.notify.alert_mail import send_alerts
from admin_hits.notify.alerts import day_share, find_spikes
from tests.admin.factories import staff, superuser
from tests.testapp.models import Article, Release

BERLIN = ZoneInfo("Europe/Berlin")  # the tests' TIME_ZONE
NOON = datetime.datetime(2026, 12, 7, 12, 0)
TODAY = NOON.date()


def history(obj, views_per_day, days):
    """``views_per_day`` on each of the ``days`` days before today."""
    ct = ContentType.objects.get_for_model(obj)
    Hits.objects.bulk_create(
        Hits(content_type=ct, object_id=str(obj.pk), views=views_per_day,
             date=TODAY - datetime.timedelta(days=n))
        for n in range(1, days + 1)
    )  # fmt: skip


def live(objs_views):
    store = get_store()
    store.add(TODAY, {obj.get_absolute_url(): views for obj, views in objs_views.items()})
    store.close()


def ref(obj):
    return (ContentType.objects.get_for_model(obj).pk, str(obj.pk))


@override_settings(ADMIN_HITS_ALERT_RATIO=3, ADMIN_HITS_ALERT_MIN_VIEWS=100)
class SpikeTests(TestCase):
    def setUp(self):
        self.objs = [Article.objects.create(title=f"A{n}", slug=f"a{n}") for n in range(4)]

    def spikes(self, views):
        return {s.ref: s for s in find_spikes({ref(o): v for o, v in views.items()}, NOON)}

    def test_the_minimum_decides_when_the_usual_day_is_small(self):
        low, _, _, _ = self.objs
        history(low, 20, 28)  # usual by noon: 10 views
        self.assertEqual(self.spikes({low: 99}), {})
        spike = self.spikes({low: 100})[ref(low)]
        self.assertAlmostEqual(spike.usual, 10.0)
        self.assertAlmostEqual(spike.ratio, 10.0)

    def test_the_ratio_decides_when_the_usual_day_is_big(self):
        _, busy, _, _ = self.objs
        history(busy, 100, 28)  # usual by noon: 50 views; 3x is 150
        self.assertEqual(self.spikes({busy: 149}), {})
        self.assertAlmostEqual(self.spikes({busy: 150})[ref(busy)].ratio, 3.0)

    def test_with_less_than_a_week_of_history_the_minimum_alone_decides(self):
        _, _, new, _ = self.objs
        history(new, 500, 6)
        self.assertIsNone(self.spikes({new: 100})[ref(new)].usual)
        self.assertEqual(self.spikes({new: 99}), {})

    def test_a_week_of_history_is_enough(self):
        _, _, _, week = self.objs
        history(week, 100, 7)  # average of its 7 days, not of 28: usual 50 by noon
        self.assertEqual(self.spikes({week: 149}), {})
        self.assertIn(ref(week), self.spikes({week: 150}))

    def test_the_share_of_the_day_follows_the_sites_hours(self):
        # Four weeks of a site read only in the morning: 10 views in each hour 8:00 to 11:59.
        HourHits.objects.bulk_create(
            HourHits(date=TODAY - datetime.timedelta(days=d), hour=h, views=10)
            for d in range(1, 29) for h in (8, 9, 10, 11)
        )  # fmt: skip
        self.assertAlmostEqual(day_share(NOON.replace(hour=10, minute=30)), 25 / 40)
        self.assertAlmostEqual(day_share(NOON), 1.0)
        self.assertAlmostEqual(day_share(NOON.replace(hour=7)), 1 / 96)  # never nothing
        low, _, _, _ = self.objs
        history(low, 40, 28)  # by noon its whole usual day: 40 views, 3x is 120
        self.assertEqual(self.spikes({low: 119}), {})
        self.assertAlmostEqual(self.spikes({low: 120})[ref(low)].usual, 40.0)

    def test_without_the_sites_hours_the_day_is_even(self):
        self.assertAlmostEqual(day_share(NOON), 0.5)
        self.assertAlmostEqual(day_share(NOON.replace(hour=18)), 0.75)
        self.assertAlmostEqual(day_share(NOON.replace(hour=0)), 1 / 96)  # never nothing


@override_settings(
    ADMIN_HITS_ALERT_RATIO=3, ADMIN_HITS_ALERT_MIN_VIEWS=100,
    ADMIN_HITS_SITE_URL="https://press.example",
)  # fmt: skip
class AlertMailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = Article.objects.create(title="Big story", slug="big")
        cls.release = Release.objects.create(title="SECRET merger")
        cls.quiet = Article.objects.create(title="Quiet", slug="quiet")
        history(cls.article, 10, 28)
        history(cls.release, 10, 28)
        for name, perms in [("boss", ()), ("editor", ("testapp.view_article",))]:
            user = (
                superuser(name) if name == "boss" else staff(name, "admin_hits.view_hits", *perms)
            )
            user.email = f"{name}@example.com"
            user.save()
            MailPreference.objects.create(user=user, spike_alerts=True)

    def setUp(self):
        live({self.article: 300, self.release: 250, self.quiet: 5})

    def test_one_mail_per_subscriber_naming_what_they_may_see(self):
        outcome = send_alerts(NOON)
        self.assertEqual(sorted(outcome.sent), ["boss@example.com", "editor@example.com"])
        editor = next(m for m in mail.outbox if m.to == ["editor@example.com"])
        self.assertIn("Big story", editor.subject)
        self.assertIn("Big story: 300 views today, usual by now 5 (60.0×)", editor.body)
        self.assertNotIn("SECRET", editor.body + editor.alternatives[0][0])
        self.assertIn(f"release #{self.release.pk}", editor.body)
        self.assertNotIn("Quiet", editor.body)
        boss = next(m for m in mail.outbox if m.to == ["boss@example.com"])
        self.assertIn("SECRET merger", boss.body)
        self.assertIn("https://press.example/admin/admin_hits/object/", boss.body)

    def test_each_object_once_per_day(self):
        send_alerts(NOON)
        self.assertEqual(len(mail.outbox), 2)
        outcome = send_alerts(NOON.replace(hour=13))
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(sorted(outcome.skipped), ["boss@example.com", "editor@example.com"])
        quiet_surges = {self.quiet: 400}
        live(quiet_surges)
        send_alerts(NOON.replace(hour=14))
        self.assertEqual(len(mail.outbox), 4)
        self.assertIn("Quiet", mail.outbox[-1].subject)
        self.assertNotIn("Big story", mail.outbox[-1].body)
        self.assertEqual(AlertDelivery.objects.filter(recipient="boss@example.com").count(), 3)

    def test_the_command_at_noon_and_its_dry_run(self):
        out = StringIO()
        with time_machine.travel(datetime.datetime(2026, 12, 7, 12, tzinfo=BERLIN), tick=False):
            call_command("hits_alerts", "--dry-run", stdout=out)
            self.assertIn(
                "would send to boss@example.com: Traffic spikes: Big story", out.getvalue()
            )
            self.assertEqual(mail.outbox, [])
            self.assertFalse(AlertDelivery.objects.exists())
            call_command("hits_alerts", stdout=out)
        self.assertIn("sent to editor@example.com", out.getvalue())
        self.assertEqual(len(mail.outbox), 2)

    @override_settings(ADMIN_HITS_STORE="memcached://127.0.0.1:9", ADMIN_HITS_STORE_TIMEOUT=0.2)
    def test_a_store_that_is_down_sends_nothing_and_fails(self):
        with self.assertRaisesMessage(CommandError, "live store can not be read"):
            call_command("hits_alerts", stdout=StringIO())
        self.assertEqual(mail.outbox, [])
        self.assertFalse(AlertDelivery.objects.exists())
