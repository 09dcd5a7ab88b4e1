"""The read-only ``Hits`` and ``PathHits`` changelists."""

from __future__ import annotations

import re
import uuid

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admin_hits.models import PathHits
from tests.admin.factories import add_hits, days_ago, staff, superuser
from tests.testapp.models import Article, Page, Release

HITS_CHANGELIST = reverse("admin:admin_hits_hits_changelist")


class HitsChangelistTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Quarterly results", slug="results")
        cls.release = Release.objects.create(
            id=uuid.UUID("6f0c2d4e-1b7a-4c89-9d3e-2a5b7c9e1f00"), title="Version 2.0"
        )
        cls.page = Page.objects.create(code="imprint")  # registered, but not a HitsMixin admin
        add_hits(cls.article, {1: 12345, 2: 7})
        add_hits(cls.release, {1: 42})
        add_hits(cls.page, {1: 3})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_rows_of_integer_and_uuid_objects_link_to_their_admin_pages(self) -> None:
        response = self.client.get(HITS_CHANGELIST)
        self.assertEqual(response.status_code, 200)
        article_url = reverse("admin:testapp_article_change", args=[self.article.pk])
        release_url = reverse("admin:testapp_release_change", args=[self.release.pk])
        self.assertContains(response, f'<a href="{article_url}">Quarterly results</a>', html=True)
        self.assertContains(response, f'<a href="{release_url}">Version 2.0</a>', html=True)
        self.assertContains(response, "12,345")

    def test_object_of_unregistered_model_is_named_by_model_and_id(self) -> None:
        # Nobody may view a model without an admin: its objects' names are nobody's to read.
        page_admin = admin.site._registry.pop(Page)
        try:
            response = self.client.get(HITS_CHANGELIST)
        finally:
            admin.site._registry[Page] = page_admin
        self.assertNotContains(response, "imprint")
        self.assertContains(response, f"page #{self.page.pk}")
        self.assertNotContains(response, reverse("admin:testapp_page_change", args=[self.page.pk]))

    def test_deleted_object_is_named_by_type_and_id(self) -> None:
        gone = Article.objects.create(title="Withdrawn", slug="withdrawn")
        add_hits(gone, {3: 1})
        gone_id = gone.pk
        gone.delete()
        self.assertContains(self.client.get(HITS_CHANGELIST), f"article {gone_id} (deleted)")

    def test_filters_by_content_type_and_date(self) -> None:
        ct = ContentType.objects.get_for_model(Release)
        response = self.client.get(HITS_CHANGELIST, {"content_type__id__exact": ct.pk})
        self.assertEqual(
            [row.object_id for row in response.context["cl"].result_list], [str(self.release.pk)]
        )
        day = days_ago(2)
        response = self.client.get(
            HITS_CHANGELIST,
            {"date__year": day.year, "date__month": day.month, "date__day": day.day},
        )
        self.assertEqual([row.views for row in response.context["cl"].result_list], [7])

    def test_content_type_filter_offers_the_types_that_have_hits(self) -> None:
        response = self.client.get(HITS_CHANGELIST)
        (spec,) = [f for f in response.context["cl"].filter_specs if f.title == "content type"]
        offered = {label for _, label in spec.lookup_choices}
        expected = {str(ContentType.objects.get_for_model(m)) for m in (Article, Release, Page)}
        self.assertEqual(offered, expected)  # not users, groups, sessions ...

    def test_rows_link_to_their_page_from_the_date_and_figures_line_up(self) -> None:
        html = self.client.get(HITS_CHANGELIST).content.decode()
        # Links in links are split by browsers into an empty one: the object cell has its own.
        cell = re.search(r'<th class="field-object_display">(.*?)</th>', html, re.S)
        self.assertIsNone(cell)  # the first column is no longer the row's link
        self.assertRegex(
            html, r'<th class="field-date[^"]*"><a href="/admin/admin_hits/hits/\d+/change/'
        )
        self.assertIn("admin_hits/admin_hits.css", html)  # views right-aligned

    def test_search_by_object_id(self) -> None:
        response = self.client.get(HITS_CHANGELIST, {"q": str(self.release.pk)})
        self.assertEqual([row.views for row in response.context["cl"].result_list], [42])

    def search_by_title(self) -> tuple[list, list]:
        """The rows found by "quarterly" (the article) and "version 2" (the release), with
        the title searched by the content models' admins."""
        for model in (Article, Release):
            admin.site._registry[model].search_fields = ("title",)
        try:
            articles = self.client.get(HITS_CHANGELIST, {"q": "quarterly"}).context["cl"]
            releases = self.client.get(HITS_CHANGELIST, {"q": "version 2"}).context["cl"]
        finally:
            for model in (Article, Release):
                del admin.site._registry[model].search_fields
        return list(articles.result_list), list(releases.result_list)

    def test_search_by_object_text_uses_the_objects_admin_search(self) -> None:
        articles, releases = self.search_by_title()
        self.assertEqual(sorted(r.views for r in articles), [7, 12345])
        self.assertEqual([r.object_id for r in releases], [str(self.release.pk)])

    def test_search_uses_only_the_admins_the_user_may_see(self) -> None:
        # Hits would tell which objects match words of fields the user may not look at.
        viewer = staff("viewer", "admin_hits.view_hits", "testapp.view_release")
        self.client.force_login(viewer)
        articles, releases = self.search_by_title()
        self.assertEqual(articles, [])
        self.assertEqual([r.object_id for r in releases], [str(self.release.pk)])

    def test_query_count_does_not_grow_with_rows(self) -> None:
        self.client.get(HITS_CHANGELIST)  # warm the content type cache

        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(HITS_CHANGELIST).status_code, 200)
            return len(queries)

        few = count_queries()
        for n in range(40):
            add_hits(Article.objects.create(title=f"A{n}", slug=f"a{n}"), {1: n + 1})
            add_hits(Release.objects.create(title=f"R{n}"), {1: n + 1})
        self.assertEqual(count_queries(), few)


class PathHitsChangelistTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Launch", slug="launch")
        ct = ContentType.objects.get_for_model(Article)
        day = days_ago(1)
        PathHits.objects.create(
            date=day, path="/articles/launch/", views=9, content_type=ct, object_id=cls.article.pk
        )
        PathHits.objects.create(date=day, path="/no/such/page/", views=2)
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def changelist(self, **params: str) -> list[str]:
        response = self.client.get(reverse("admin:admin_hits_pathhits_changelist"), params)
        self.assertEqual(response.status_code, 200)
        return [row.path for row in response.context["cl"].result_list]

    def test_matched_and_unmatched_paths(self) -> None:
        self.assertEqual(self.changelist(), ["/articles/launch/", "/no/such/page/"])
        self.assertEqual(self.changelist(matched="yes"), ["/articles/launch/"])
        self.assertEqual(self.changelist(matched="no"), ["/no/such/page/"])

    def test_search_by_path(self) -> None:
        self.assertEqual(self.changelist(q="such"), ["/no/such/page/"])

    def test_matched_object_is_linked(self) -> None:
        response = self.client.get(reverse("admin:admin_hits_pathhits_changelist"))
        url = reverse("admin:testapp_article_change", args=[self.article.pk])
        self.assertContains(response, f'<a href="{url}">Launch</a>', html=True)
