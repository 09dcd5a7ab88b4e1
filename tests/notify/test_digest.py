"""``hits_digest``: what a digest says, to whom, once, and what happens when an address fails."""

from __future__ import annotations

import datetime
from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from admin_hits import compat
from admin_hits.models import (
    DayTotals,
    DigestDelivery,
    Hits,
    MailPreference,
    NotFoundHits,
    ReferrerHits,
)
from tests.admin.factories import staff, superuser
from tests.testapp.models import Article, Release

REFUSING_BACKEND = "tests.notify.backends.RefusingBackend"
# Django 6.1 names its mailers (and deprecates EMAIL_BACKEND); 5.2 has only EMAIL_BACKEND.
REFUSING = (
    {"MAILERS": {"default": {"BACKEND": REFUSING_BACKEND}}}
    if compat.HAS_MAILERS
    else {"EMAIL_BACKEND": REFUSING_BACKEND}
)
TODAY = "2026-12-07"  # a Monday: the week digest covers 30 Nov to 6 Dec
WEEK = [datetime.date(2026, 11, 30) + datetime.timedelta(days=n) for n in range(7)]
WEEK_BEFORE = [day - datetime.timedelta(days=7) for day in WEEK]
# Site-wide figures of each day: (views, visitors, bot views).
SITE = {day: (100 + n, 40 + n, 9) for n, day in enumerate(WEEK)}
SITE_BEFORE = dict.fromkeys(WEEK_BEFORE, (80, 30, 11))


def digest(*args: str) -> str:
    out = StringIO()
    call_command("hits_digest", "--period", "week", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


def subscribe(user, kind="week"):
    user.email = f"{user.username}@example.com"
    user.save()
    MailPreference.objects.create(user=user, digest=kind)
    return user


@override_settings(ADMIN_HITS_SITE_URL="https://press.example")
class DigestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.rising = Article.objects.create(title="Rising article", slug="rising")
        cls.falling = Article.objects.create(title="Falling article", slug="falling")
        cls.release = Release.objects.create(title="SECRET release")
        for day, (views, visitors, bots) in {**SITE, **SITE_BEFORE}.items():
            DayTotals.objects.create(date=day, views=views, visitors=visitors, bot_views=bots)
        article, release = (ContentType.objects.get_for_model(m) for m in (Article, Release))
        rows = [Hits(content_type=article, object_id=str(cls.rising.pk), date=d, views=10)
                for d in WEEK]  # fmt: skip
        rows += [Hits(content_type=article, object_id=str(cls.rising.pk), date=d, views=5)
                 for d in WEEK_BEFORE]  # fmt: skip
        rows.append(Hits(content_type=article, object_id=str(cls.falling.pk),
                         date=WEEK_BEFORE[2], views=20))  # fmt: skip
        rows.append(Hits(content_type=release, object_id=str(cls.release.pk), date=WEEK[1],
                         views=40))  # fmt: skip
        Hits.objects.bulk_create(rows)
        ReferrerHits.objects.create(date=WEEK[3], path="/a/", host="news.example", views=12)
        ReferrerHits.objects.create(date=WEEK[3], path="/a/", host="old.example", views=30)
        ReferrerHits.objects.create(
            date=WEEK[0] - datetime.timedelta(days=20), path="/a/", host="old.example", views=1
        )
        NotFoundHits.objects.create(date=WEEK[4], path="/gone-away/", hits=7)
        cls.editor = subscribe(staff("editor", "admin_hits.view_hits", "testapp.view_article"))
        cls.boss = subscribe(superuser("boss"))

    def mail_to(self, address):
        found = [m for m in mail.outbox if m.to == [address]]
        self.assertEqual(len(found), 1, [m.to for m in mail.outbox])
        return found[0]

    def test_the_figures_against_the_week_before(self):
        digest()
        message = self.mail_to("boss@example.com")
        views = sum(v for v, _, _ in SITE.values())
        before = sum(v for v, _, _ in SITE_BEFORE.values())
        visitors = sum(v for _, v, _ in SITE.values())
        self.assertIn(f"{views:,}", message.subject)
        change = round((views - before) / before * 100)
        self.assertIn(f"+{change}%", message.subject)
        self.assertIn(f"Visitors: {visitors}", message.body)
        self.assertIn(f"Bot views: {9 * 7}", message.body)

    def test_top_objects_risers_fallers_referrers_and_404s(self):
        digest()
        body = self.mail_to("boss@example.com").body
        top = body.split("Top objects")[1].split("Biggest risers")[0]
        self.assertLess(top.index("Rising article: 70"), top.index("SECRET release: 40"))
        risers = body.split("Biggest risers")[1].split("Biggest fallers")[0]
        self.assertIn("Rising article: 70 (+100%, 35)", risers)
        fallers = body.split("Biggest fallers")[1].split("New referring sites")[0]
        self.assertIn("Falling article: 0 (−100%, 20)", fallers)
        referrers = body.split("New referring sites")[1].split("Pages not found")[0]
        self.assertIn("news.example: 12", referrers)
        self.assertNotIn("old.example", referrers)  # it sent a view 20 days before
        self.assertIn("/gone-away/: 7", body)
        link = "https://press.example/admin/admin_hits/report/?period=custom&start=2026-11-30"
        self.assertIn(link + "&end=2026-12-06", body)

    def test_html_part_has_inlined_styles_and_no_remote_resource(self):
        digest()
        html, kind = self.mail_to("boss@example.com").alternatives[0]
        self.assertEqual(kind, "text/html")
        self.assertNotIn("<style", html)
        self.assertIn('style="', html)
        self.assertNotIn("<img", html)
        self.assertNotIn("<link", html)
        self.assertNotIn("<svg", html)

    def test_names_only_of_models_the_reader_may_view(self):
        digest()
        editor = self.mail_to("editor@example.com")
        html = editor.alternatives[0][0]
        for part in (editor.body, html):
            self.assertNotIn("SECRET", part)
            self.assertIn(f"release #{self.release.pk}", part)
            self.assertIn("Rising article", part)
        self.assertIn("SECRET release", self.mail_to("boss@example.com").body)

    def test_sent_once_per_recipient_and_period(self):
        digest()
        self.assertEqual(len(mail.outbox), 2)
        out = digest()
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("already sent to boss@example.com for 2026-11-30 to 2026-12-06", out)
        self.assertEqual(DigestDelivery.objects.count(), 2)

    def test_only_subscribers_of_that_period_who_may_view_the_report(self):
        subscribe(staff("daily", "admin_hits.view_hits"), kind="day")
        subscribe(staff("no_report"))  # chose the digest, may not view hits
        inactive = subscribe(staff("gone", "admin_hits.view_hits"))
        inactive.is_active = False
        inactive.save()
        digest()
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["boss@example.com", "editor@example.com"]
        )

    def test_to_addresses(self):
        digest("--to", "desk@press.example", "--to", "EDITOR@example.com")
        self.assertEqual(len(mail.outbox), 3)
        self.assertIn("SECRET release", self.mail_to("desk@press.example").body)

    def test_dry_run_sends_and_records_nothing(self):
        out = digest("--dry-run")
        self.assertIn("would send to boss@example.com: Traffic", out)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(DigestDelivery.objects.exists())

    @override_settings(**REFUSING)
    def test_a_refused_address_does_not_stop_the_others(self):
        with self.assertRaisesMessage(CommandError, "not sent to x@bounce.example"):
            digest("--to", "x@bounce.example")
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["boss@example.com", "editor@example.com"]
        )
        self.assertFalse(DigestDelivery.objects.filter(recipient="x@bounce.example").exists())
        with self.assertRaises(CommandError):  # tried again, not skipped
            digest("--to", "x@bounce.example")
        self.assertEqual(len(mail.outbox), 2)

    def test_a_bad_to_address_is_refused_before_anything_is_sent(self):
        with self.assertRaisesMessage(CommandError, "'not-an-address' is not an e-mail address"):
            digest("--to", "not-an-address")
        self.assertEqual(mail.outbox, [])


class DigestQueriesTests(TestCase):
    def test_a_fixed_number_of_queries_whatever_the_number_of_objects(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from admin_hits.notify.audience import Reader
        from admin_hits.notify.digest import build
        from admin_hits.notify.periods import digest_period

        period = digest_period("week", datetime.date(2026, 12, 7))
        article = ContentType.objects.get_for_model(Article)
        counts = []
        for many in (3, 12):
            for n in range(many):
                obj = Article.objects.create(title=f"{many}-{n}", slug=f"s{many}-{n}")
                Hits.objects.create(content_type=article, object_id=str(obj.pk),
                                    date=WEEK[n % 7], views=n + 1)  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                digest = build(Reader("boss@example.com"), period)
            counts.append(len(queries))
            self.assertEqual(len(digest.top), min(10, many + (3 if many == 12 else 0)))
        self.assertEqual(counts[0], counts[1])
