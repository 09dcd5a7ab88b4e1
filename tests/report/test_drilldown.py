"""One object's traffic page, and the links to it from the admin."""

from __future__ import annotations

import re
import uuid

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from admin_hits.models import Hits
from tests.admin.factories import add_live, days_ago, staff, superuser
from tests.report.factories import REPORT, add_object, add_paths, object_url, records
from tests.testapp.models import Article, Page, Release


class DrillDownTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Results <em>Q3</em>", slug="results")
        cls.release = Release.objects.create(
            id=uuid.UUID("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), title="Version 2"
        )
        add_object(cls.article, {1: 1200, 3: 30, 35: 600})
        add_paths("/articles/results/amp/", {1: 34}, cls.article)  # a second path, same object
        add_object(cls.release, {2: 9})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_daily_views_paths_figures_and_chart(self) -> None:
        response = self.client.get(object_url(self.article))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Traffic: Results &lt;em&gt;Q3&lt;/em&gt;")
        views = response.context["figures"][0]
        self.assertEqual((views.value, views.previous), (1230, 600))
        days = records(response, "days")
        self.assertEqual(len(days), 30)  # the 30 days on one page, newest first
        self.assertEqual(days[0], {"date": days_ago(1), "current": 1200})
        self.assertEqual(days[2]["current"], 30)
        paths = records(response, "paths")
        self.assertEqual(
            [(r["page"], r["current"]) for r in paths],
            [("/articles/results/", 1200 + 30), ("/articles/results/amp/", 34)],
        )
        self.assertEqual(str(response.context["chart"]).count('class="bar"'), 30)
        change = reverse("admin:testapp_article_change", args=[self.article.pk])
        self.assertContains(response, f'href="{change}"')
        self.assertContains(response, "<code", count=3)  # its address and its two paths

    def test_uuid_objects_and_custom_periods(self) -> None:
        url = object_url(self.release)
        response = self.client.get(url, {"period": "yesterday"})
        self.assertEqual(response.context["figures"][0].value, 0)
        response = self.client.get(url, {"period": "7d", "days-sort": "current"})
        self.assertEqual(response.context["figures"][0].value, 9)
        self.assertEqual(records(response, "days")[-1]["current"], 9)

    def test_today_is_live(self) -> None:
        add_live(self.article, 77)
        response = self.client.get(object_url(self.article), {"period": "today"})
        views = response.context["figures"][0]
        self.assertEqual((views.value, views.previous), (77, 1200))  # vs all of yesterday
        self.assertEqual(records(response, "days"), [{"date": days_ago(0), "current": 77}])
        live = re.search(r'data-admin-hits-live="([^"]+)"', response.content.decode())
        self.assertEqual(live.group(1), object_url(self.article, "admin_hits_object_live"))

    def test_deleted_object_with_rows_is_still_reported(self) -> None:
        gone = Article.objects.create(title="Withdrawn", slug="withdrawn")
        add_object(gone, {2: 4})
        url = object_url(gone)
        gone_id = gone.pk
        gone.delete()
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"article {gone_id} (deleted)")
        self.assertEqual(response.context["figures"][0].value, 4)
        today = self.client.get(url, {"period": "today"})
        self.assertEqual(today.status_code, 200)
        self.assertNotContains(today, "data-admin-hits-live")  # nothing to poll for

    def test_unknown_objects_and_types_are_not_found(self) -> None:
        ct = ContentType.objects.get_for_model(Article)
        for args in ([ct.pk, "999999"], [999999, "1"], [ct.pk, "not-a-number"]):
            with self.subTest(args=args):
                url = reverse("admin:admin_hits_object", args=args)
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_objects_the_report_does_not_show_are_not_found(self) -> None:
        # The page names its object: for an object of a model without hits in the admin and
        # without rows of its own (a user, say), that would give its name away, to anyone
        # who may see the report and whether or not they may see that model.
        viewer = staff("viewer", "admin_hits.view_hits")
        user_type = ContentType.objects.get_for_model(type(viewer))
        for who in (viewer, self.boss):
            self.client.force_login(who)
            for name in ("admin_hits_object", "admin_hits_object_live"):
                with self.subTest(user=who.username, url=name):
                    response = self.client.get(
                        reverse(f"admin:{name}", args=[user_type.pk, self.boss.pk])
                    )
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn(self.boss.username, response.content.decode())
        # With rows of its own it is in the report anyway, so it has its page.
        Hits.objects.create(
            content_type=user_type, object_id=str(self.boss.pk), date=days_ago(1), views=2
        )
        response = self.client.get(
            reverse("admin:admin_hits_object", args=[user_type.pk, self.boss.pk])
        )
        self.assertEqual(response.status_code, 200)

    def test_objects_of_models_with_hits_have_a_page_before_their_first_row(self) -> None:
        fresh = Article.objects.create(title="Published today", slug="today")
        self.assertEqual(self.client.get(object_url(fresh)).status_code, 200)
        self.assertEqual(
            self.client.get(object_url(fresh, "admin_hits_object_live")).status_code, 200
        )

    def test_objects_without_url_or_admin(self) -> None:
        page = Page.objects.create(code="imprint")  # no get_absolute_url: no live figure
        Hits.objects.create(
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(page.pk),
            date=days_ago(1),
            views=3,
        )
        response = self.client.get(object_url(page))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["figures"][0].value, 3)
        self.assertEqual(
            response.context["change_url"], reverse("admin:testapp_page_change", args=[page.pk])
        )
        page_admin = admin.site._registry.pop(Page)
        try:
            response = self.client.get(object_url(page))
        finally:
            admin.site._registry[Page] = page_admin
        self.assertEqual(response.context["change_url"], "")
        # No admin for the model: nobody may view it, its objects go by model and id.
        self.assertNotContains(response, "imprint")
        self.assertContains(response, f"page #{page.pk}")


class LinkTests(TestCase):
    """The drill-down page is linked from the report, the changelist columns and the inline."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Linked", slug="linked")
        add_object(cls.article, {1: 5})
        cls.boss = superuser()

    def test_from_the_report(self) -> None:
        self.client.force_login(self.boss)
        self.assertContains(self.client.get(REPORT), f'href="{object_url(self.article)}"')

    def test_from_the_changelist_columns_and_the_inline(self) -> None:
        self.client.force_login(self.boss)
        changelist = self.client.get(reverse("admin:testapp_article_changelist"))
        self.assertContains(changelist, f'href="{object_url(self.article)}"', count=2)
        self.assertContains(changelist, 'class="admin-hits-sparkline"')
        change = self.client.get(reverse("admin:testapp_article_change", args=[self.article.pk]))
        self.assertContains(change, f'href="{object_url(self.article)}"')

    def test_not_for_staff_who_may_not_see_the_report(self) -> None:
        self.client.force_login(staff("editor", "testapp.view_article"))
        changelist = self.client.get(reverse("admin:testapp_article_changelist"))
        self.assertEqual(changelist.status_code, 200)
        self.assertNotContains(changelist, object_url(self.article))
        # Nor the hit columns: like the inline, they need the permission to view hits.
        self.assertNotContains(changelist, 'class="admin-hits-sparkline"')
        self.assertNotContains(changelist, "views_last_30_days")
        self.assertNotContains(changelist, "views_today")
