"""Traffic e-mails of one site of several: the site a staff user chooses in their preferences,
and the digest and spike alerts of that site's figures.

The rows are of two sites (and of site 0, counted before sites were configured); each test
computes what a reader of one site, or of all of them, should read from the rows it wrote.
"""

from __future__ import annotations

import datetime
from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from admin_hits.live.hours import site_key
from admin_hits.live.stores import get_store
from admin_hits.models import DayTotals, Hits, MailPreference, NotFoundHits, ReferrerHits
from admin_hits.models.periods import change
from admin_hits.notify.alert_mail import send_alerts
from admin_hits.report.formatting import percent_text
from tests.admin.factories import staff, superuser
from tests.nightly.test_parse_log_sites import SITES
from tests.notify.test_alerts import NOON, TODAY
from tests.notify.test_digest import TODAY as DIGEST_TODAY
from tests.notify.test_digest import WEEK, WEEK_BEFORE
from tests.testapp.models import Article, Story

ADD = reverse("admin:admin_hits_mailpreference_add")
multi_site = override_settings(
    ADMIN_HITS_SITES=SITES,
    ADMIN_HITS_LOG_FORMAT="vhost_combined",
    ADMIN_HITS_SITE_URL="https://press.example",
    ADMIN_HITS_MODELS=["testapp.Article", "testapp.Release", "testapp.Story"],
)


def reader(name: str, site: int | None, **choices) -> None:
    user = superuser(name)
    user.email = f"{name}@example.com"
    user.save()
    MailPreference.objects.create(user=user, site=site, **choices)


def mail_to(address: str):
    [found] = [m for m in mail.outbox if m.to == [address]]
    return found


# Each site's (views, visitors, bot views) of every day of the week and of the week before.
DAYS = {
    1: ({d: (100 + n, 50, 3) for n, d in enumerate(WEEK)}, dict.fromkeys(WEEK_BEFORE, (90, 40, 2))),
    2: ({d: (10 + n, 6, 1) for n, d in enumerate(WEEK)}, dict.fromkeys(WEEK_BEFORE, (20, 9, 0))),
    0: ({}, dict.fromkeys(WEEK_BEFORE[:2], (500, 100, 7))),  # before sites were configured
}
# An article's views on each day of the week, by site; its views the week before.
ARTICLES = {"www": {1: 40, 2: 0}, "blog": {1: 1, 2: 30}}
ARTICLES_BEFORE = {"www": {1: 10, 2: 2}, "blog": {1: 0, 2: 100}}
REFERRERS = {1: "news.example", 2: "blogroll.example"}
MISSING = {1: "/www-gone/", 2: "/blog-gone/"}


def of(site: int | None, figure: int, *, before: bool = False) -> int:
    """A figure (0: views, 1: visitors, 2: bot views) of the week of ``site`` (None: all)."""
    return sum(
        values[figure]
        for s, weeks in DAYS.items() if site in (None, s)
        for values in weeks[1 if before else 0].values()
    )  # fmt: skip


@multi_site
class SiteDigestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for site, weeks in DAYS.items():
            for week in weeks:
                for day, (views, visitors, bots) in week.items():
                    DayTotals.objects.create(date=day, site=site, views=views,
                                             visitors=visitors, bot_views=bots)  # fmt: skip
        article = ContentType.objects.get_for_model(Article)
        for slug in ARTICLES:
            obj = Article.objects.create(title=f"{slug} article", slug=slug)
            for days, views in ((WEEK, ARTICLES[slug]), (WEEK_BEFORE, ARTICLES_BEFORE[slug])):
                Hits.objects.bulk_create(
                    Hits(content_type=article, object_id=str(obj.pk), date=day, site=site,
                         views=n)
                    for day in days for site, n in views.items() if n
                )  # fmt: skip
        for site in (1, 2):
            ReferrerHits.objects.create(date=WEEK[2], path="/", host=REFERRERS[site], views=site,
                                        site=site)  # fmt: skip
            NotFoundHits.objects.create(date=WEEK[3], path=MISSING[site], hits=site, site=site)
        reader("everything", None, digest="week")
        reader("blogger", 2, digest="week")
        reader("stale", 9, digest="week")  # a site no longer configured: every site

    def test_each_reader_reads_the_figures_of_their_site(self):
        call_command("hits_digest", "--period", "week", "--today", DIGEST_TODAY,
                     stdout=StringIO())  # fmt: skip
        for address, site in [("everything", None), ("blogger", 2), ("stale", None)]:
            message = mail_to(f"{address}@example.com")
            views, before = of(site, 0), of(site, 0, before=True)
            self.assertIn(f"{views:,} views ({percent_text(change(views, before))})",
                          message.subject)  # fmt: skip
            self.assertIn(f"Visitors: {of(site, 1)}", message.body)
            self.assertIn(f"Bot views: {of(site, 2)}", message.body)
            top = message.body.split("Top objects")[1].split("Biggest")[0]
            for slug in ARTICLES:
                week = sum(n for s, n in ARTICLES[slug].items() if site in (None, s)) * 7
                self.assertEqual(f"{slug} article: {week} (" in top, week > 0, (address, slug))
            for s in (1, 2):
                self.assertEqual(REFERRERS[s] in message.body, site in (None, s))
                self.assertEqual(f"{MISSING[s]}: {s}" in message.body, site in (None, s))
        blogger = mail_to("blogger@example.com")
        self.assertIn("on blog.example.com:", blogger.subject)
        self.assertIn("Site: blog.example.com", blogger.body)
        self.assertIn("&site=2", blogger.body)  # the report's link shows the blog
        self.assertNotIn("Site:", mail_to("everything@example.com").body)


def history(obj, site: int, views_per_day: int) -> None:
    """``views_per_day`` on ``site`` on each of the 28 days before today."""
    ct = ContentType.objects.get_for_model(obj)
    Hits.objects.bulk_create(
        Hits(content_type=ct, object_id=str(obj.pk), views=views_per_day, site=site,
             date=TODAY - datetime.timedelta(days=n))
        for n in range(1, 29)
    )  # fmt: skip


@multi_site
@override_settings(ADMIN_HITS_ALERT_RATIO=3, ADMIN_HITS_ALERT_MIN_VIEWS=100)
class SiteAlertTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The same address is an article on www and a story on the blog (its own URLconf).
        cls.article = Article.objects.create(title="Big article", slug="big")
        Story.objects.create(title="Big story", slug="big")
        # Usual by noon (half a day without hours): 100 views on www, 10 on the blog.
        history(cls.article, 1, 200)
        history(Story.objects.get(), 2, 20)
        reader("everything", None, spike_alerts=True)
        reader("blogger", 2, spike_alerts=True)
        reader("webmaster", 1, spike_alerts=True)

    def test_each_reader_is_alerted_of_their_sites_spikes(self):
        path = self.article.get_absolute_url()
        www, blog = 250, 120  # 2.5x on www (no spike), 12x on the blog
        store = get_store()
        store.add(TODAY, {path: www + blog, site_key(1, path): www, site_key(2, path): blog})
        store.close()
        outcome = send_alerts(NOON)
        self.assertEqual(sorted(outcome.sent), ["blogger@example.com", "everything@example.com"])
        self.assertEqual(outcome.skipped, ["webmaster@example.com"])
        blogger = mail_to("blogger@example.com")
        self.assertEqual(
            blogger.subject, "Traffic spike on blog.example.com: Big story has 120 views today"
        )
        self.assertIn("Big story: 120 views today, usual by now 10 (12.0×)", blogger.body)
        self.assertIn("?site=2", blogger.body)  # the object's page of the blog
        # Every site's counter, resolved as the report of all sites does (an article): 370
        # views against the article's usual 100 by noon.
        everything = mail_to("everything@example.com")
        self.assertIn("Big article: 370 views today, usual by now 100 (3.7×)", everything.body)
        self.assertNotIn("Site:", everything.body)


class SitePreferenceAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reader = staff("reader", "admin_hits.view_hits")

    def setUp(self):
        self.client.force_login(self.reader)

    def test_one_site_or_all_offered_with_several_sites(self):
        with multi_site:
            form = self.client.get(ADD).context["adminform"].form
            self.assertEqual(
                [(str(value), str(label)) for value, label in form.fields["site"].choices],
                [("", "All sites"), ("1", "example.com"), ("2", "blog.example.com")],
            )
            self.client.post(ADD, {"digest": "week", "site": "2"})
        self.assertEqual(MailPreference.objects.get().site, 2)

    def test_a_single_site_offers_no_choice(self):
        form = self.client.get(ADD).context["adminform"].form
        self.assertNotIn("site", form.fields)
        self.client.post(ADD, {"digest": "week", "site": "2"})
        self.assertIsNone(MailPreference.objects.get().site)
