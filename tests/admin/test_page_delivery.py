"""``Page delivery`` in the admin: each page's response times and bytes per day, read-only,
searched by path, drilled down by date, exported as CSV (streamed, formulas escaped)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from admin_hits.models import PageDelivery
from tests.admin.factories import days_ago, staff, superuser
from tests.admin.test_export import export
from tests.testapp.models import Article

CHANGELIST = reverse("admin:admin_hits_pagedelivery_changelist")
EXPORT = reverse("admin:admin_hits_pagedelivery_export")


class PageDeliveryAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Launch", slug="launch")
        article_type = ContentType.objects.get_for_model(Article)
        cls.slow = PageDelivery.objects.create(
            date=days_ago(1), path="/articles/launch/", content_type=article_type,
            object_id=str(cls.article.pk), requests=120, bytes=2_500_000, p50=84.25, p95=1234.6,
            p99=4321.0, sketch=b"x",
        )  # fmt: skip
        PageDelivery.objects.create(date=days_ago(40), path="/search/", requests=7, bytes=None,
                                    p50=900.0, p95=2000.0, p99=2500.0)  # fmt: skip
        PageDelivery.objects.create(date=days_ago(1), path="=cmd()", requests=1)
        cls.viewer = staff("viewer", "admin_hits.view_pagedelivery")
        cls.boss = superuser()

    def test_the_changelist_shows_percentiles_and_bytes(self) -> None:
        self.client.force_login(self.boss)
        response = self.client.get(CHANGELIST)
        self.assertContains(response, "/articles/launch/")
        self.assertContains(response, "1,235\u00a0ms")  # p95
        self.assertContains(response, "84\u00a0ms")  # p50
        self.assertContains(response, "2.5\u00a0MB")
        self.assertContains(response, "date__month=")  # the date hierarchy

    def test_search_by_path_and_a_day_of_the_hierarchy(self) -> None:
        self.client.force_login(self.boss)
        found = self.client.get(CHANGELIST, {"q": "search"})
        self.assertEqual([r.path for r in found.context["cl"].result_list], ["/search/"])
        day = days_ago(1)
        params = {"date__year": day.year, "date__month": day.month, "date__day": day.day}
        rows = self.client.get(CHANGELIST, params).context["cl"].result_list
        self.assertEqual(sorted(r.path for r in rows), ["/articles/launch/", "=cmd()"])

    def test_view_permission_only_no_add_change_or_delete(self) -> None:
        self.client.force_login(staff("clerk"))
        self.assertEqual(self.client.get(CHANGELIST).status_code, 403)
        for user in (self.viewer, self.boss):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(CHANGELIST).status_code, 200)
                add = reverse("admin:admin_hits_pagedelivery_add")
                change = reverse("admin:admin_hits_pagedelivery_change", args=[self.slow.pk])
                delete = reverse("admin:admin_hits_pagedelivery_delete", args=[self.slow.pk])
                self.assertEqual(self.client.get(add).status_code, 403)
                self.assertEqual(self.client.post(change, {"requests": "1"}).status_code, 403)
                self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
                page = self.client.get(change)
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, 'name="_save"')
                self.assertNotContains(page, 'name="sketch"')
        self.slow.refresh_from_db()
        self.assertEqual(self.slow.requests, 120)

    def test_the_csv_export(self) -> None:
        self.client.force_login(self.boss)
        rows = export(self.client, EXPORT)
        by_path = {row["path"]: row for row in rows}
        self.assertEqual(set(by_path), {"/articles/launch/", "/search/", "'=cmd()"})
        launch = by_path["/articles/launch/"]
        self.assertEqual(launch["object"], "Launch")
        self.assertEqual(launch["content_type"], "testapp.article")
        self.assertEqual((launch["requests"], launch["bytes"]), ("120", "2500000"))
        self.assertEqual(
            (launch["p50"], launch["p95"], launch["p99"]), ("84.25", "1234.6", "4321.0")
        )
        self.assertEqual(by_path["/search/"]["bytes"], "")
