"""What ``HitsAdminMixin`` adds to a content model's admin: the inline and two columns."""

from __future__ import annotations

import re
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.admin.factories import add_hits, add_live, days_ago, superuser
from tests.testapp.models import Article, Release

ARTICLES = reverse("admin:testapp_article_changelist")
RELEASES = reverse("admin:testapp_release_changelist")
UNREACHABLE = "memcached://127.0.0.1:1"


def column(response, name: str) -> list[str]:
    """The texts of a changelist column, top to bottom."""
    cells = re.findall(rf'<td class="field-{name}">(.*?)</td>', response.content.decode(), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


class InlineTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Launch", slug="launch")
        add_hits(cls.article, {1: 1500, 2: 20, 13: 30, 14: 40, 60: 50})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)
        self.url = reverse("admin:testapp_article_change", args=[self.article.pk])

    def test_recent_days_newest_first_with_live_figure_and_link(self) -> None:
        add_live(self.article, 321)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        formset = next(
            f.formset
            for f in response.context["inline_admin_formsets"]
            if f.opts.model._meta.label == "admin_hits.Hits"
        )
        # INLINE_DAYS defaults to 14: today and the 13 days before it.
        self.assertEqual(
            [form.instance.date for form in formset.forms],
            [days_ago(1), days_ago(2), days_ago(13)],
        )
        self.assertContains(response, "Views, last 14 days")
        self.assertContains(response, "1,500")
        self.assertContains(response, "<strong>321</strong>", html=True)
        ct = ContentType.objects.get_for_model(Article)
        link = (
            f"{reverse('admin:admin_hits_hits_changelist')}"
            f"?content_type__id__exact={ct.pk}&amp;object_id={self.article.pk}"
        )
        self.assertContains(response, f'<a href="{link}">all 5 days</a>', html=True)

    @override_settings(ADMIN_HITS_INLINE_DAYS=2)
    def test_window_follows_the_setting(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Views, last 2 days")
        self.assertContains(response, "1,500")
        self.assertNotContains(response, ">20<")

    def test_the_link_lists_every_day_of_the_object(self) -> None:
        other = Article.objects.create(title="Other", slug="other")
        add_hits(other, {1: 1})
        response = self.client.get(self.url)
        link = re.search(r'href="([^"]*admin_hits/hits/\?[^"]*)"', response.content.decode())
        listed = self.client.get(link.group(1).replace("&amp;", "&")).context["cl"]
        self.assertEqual(sorted(r.views for r in listed.result_list), [20, 30, 40, 50, 1500])

    @override_settings(ADMIN_HITS_STORE=UNREACHABLE, ADMIN_HITS_STORE_TIMEOUT=0.2)
    def test_unreachable_live_store_still_renders_and_says_so(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "live store unavailable")
        self.assertContains(response, "1,500")

    def test_saving_the_object_keeps_working(self) -> None:
        page = self.client.get(self.url)
        prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"])
        data = {
            "title": "Launch day",
            "slug": "launch",
            f"{prefix}-TOTAL_FORMS": "3",
            f"{prefix}-INITIAL_FORMS": "3",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "0",
        }
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Launch day")

    def test_query_count_does_not_grow_with_the_rows_shown(self) -> None:
        few = Article.objects.create(title="Few", slug="few")
        add_hits(few, {1: 5})
        many = Article.objects.create(title="Many", slug="many")
        add_hits(many, dict.fromkeys(range(14), 5))

        def queries_for(article: Article) -> int:
            url = reverse("admin:testapp_article_change", args=[article.pk])
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(queries)

        queries_for(few)  # warm the content-type cache
        self.assertEqual(queries_for(few), queries_for(many))

    def test_add_page_has_no_inline(self) -> None:
        response = self.client.get(reverse("admin:testapp_article_add"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "admin-hits-summary")


class ColumnTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.busy = Article.objects.create(title="Busy", slug="busy")
        cls.quiet = Article.objects.create(title="Quiet", slug="quiet")
        # The report's "last 30 days": yesterday back to day 30; day 31 is outside, and so is
        # a stored row of today (the "views today" column has today's).
        add_hits(cls.busy, {0: 4444, 1: 1000, 30: 234, 31: 99999})
        add_hits(cls.quiet, {2: 5})
        cls.release = Release.objects.create(
            id=uuid.UUID("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), title="Two"
        )
        add_hits(cls.release, {3: 77})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_views_today_and_last_30_days(self) -> None:
        add_live(self.busy, 4321)
        response = self.client.get(ARTICLES, {"o": "-3"})  # most viewed first: Busy, Quiet
        self.assertContains(response, "Views today")
        self.assertContains(response, "Views, last 30 days")
        self.assertEqual(column(response, "views_today"), ["4,321", "0"])
        self.assertEqual(column(response, "views_last_30_days"), ["1,234", "5"])

    def test_uuid_primary_keys_are_matched(self) -> None:
        response = self.client.get(RELEASES)
        self.assertEqual(column(response, "views_last_30_days"), ["77"])

    def test_last_30_days_column_sorts(self) -> None:
        position = len(column(self.client.get(ARTICLES), "views_last_30_days"))
        self.assertEqual(position, 2)
        ascending = self.client.get(ARTICLES, {"o": "3"}).context["cl"].result_list
        descending = self.client.get(ARTICLES, {"o": "-3"}).context["cl"].result_list
        self.assertEqual([a.title for a in ascending], ["Quiet", "Busy"])
        self.assertEqual([a.title for a in descending], ["Busy", "Quiet"])

    @override_settings(ADMIN_HITS_STORE=UNREACHABLE, ADMIN_HITS_STORE_TIMEOUT=0.2)
    def test_unreachable_live_store_still_renders_and_says_so(self) -> None:
        response = self.client.get(ARTICLES)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The live store is unavailable")
        self.assertEqual(column(response, "views_today"), ["?", "?"])
        self.assertEqual(sorted(column(response, "views_last_30_days")), ["1,234", "5"])

    def test_query_count_is_the_same_for_10_and_100_rows(self) -> None:
        Article.objects.all().delete()

        def queries_for(rows: int) -> int:
            Article.objects.all().delete()
            for n in range(rows):
                article = Article.objects.create(title=f"Article {n}", slug=f"article-{n}")
                add_hits(article, {1: n, 2: 1})
                add_live(article, n)
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(ARTICLES)
            self.assertEqual(len(response.context["cl"].result_list), rows)
            self.assertEqual(column(response, "views_last_30_days")[0], str(rows))
            return len(queries)

        queries_for(1)  # warm caches (content types, sessions)
        self.assertEqual(queries_for(10), queries_for(100))
