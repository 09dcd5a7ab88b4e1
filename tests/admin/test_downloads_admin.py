"""Downloads in a content model's admin: "downloads" beside "views" in the inline, and a
"downloads, last 30 days" column."""

from __future__ import annotations

import uuid

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admin_hits.models import DownloadHits
from tests.admin.factories import add_hits, days_ago, superuser
from tests.admin.test_content_admin import ARTICLES, RELEASES, column
from tests.testapp.models import Article, Release


def files(obj, by_days_ago: dict[int, int], path: str = "/media/kit.pdf") -> None:
    for day, n in by_days_ago.items():
        DownloadHits.objects.create(date=days_ago(day), path=path, downloads=n, requests=n,
                                    content_object=obj)  # fmt: skip


class DownloadsAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Launch", slug="launch")
        cls.quiet = Article.objects.create(title="Quiet", slug="quiet")
        add_hits(cls.article, {1: 1500, 2: 20, 31: 5})
        add_hits(cls.quiet, {2: 3})
        files(cls.article, {1: 7, 31: 100})
        files(cls.article, {1: 2}, path="/media/photo.jpg")
        cls.release = Release.objects.create(
            id=uuid.UUID("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), title="Two"
        )
        add_hits(cls.release, {3: 77})
        files(cls.release, {3: 12})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_the_inline_shows_downloads_beside_views(self) -> None:
        response = self.client.get(reverse("admin:testapp_article_change", args=[self.article.pk]))
        formset = next(
            f.formset
            for f in response.context["inline_admin_formsets"]
            if f.opts.model._meta.label == "admin_hits.Hits"
        )
        self.assertEqual(
            [(form.instance.date, form.instance.admin_hits_downloads) for form in formset.forms],
            [(days_ago(1), 9), (days_ago(2), 0)],
        )
        self.assertContains(response, "Downloads")
        cell = '<td class="field-downloads_display"><p>9</p></td>'
        self.assertContains(response, cell, html=True)

    def test_the_changelist_column(self) -> None:
        response = self.client.get(ARTICLES, {"o": "-3"})
        self.assertContains(response, "Downloads, last 30 days")
        self.assertEqual(column(response, "downloads_last_30_days"), ["9", "0"])
        self.assertEqual(column(self.client.get(RELEASES), "downloads_last_30_days"), ["12"])

    def test_no_query_per_row(self) -> None:
        url = reverse("admin:testapp_article_change", args=[self.article.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        files(self.article, {2: 1, 3: 1, 4: 1})
        add_hits(self.article, {3: 1, 4: 1})
        with CaptureQueriesContext(connection) as after:
            self.client.get(url)
        self.assertEqual(len(after), len(before))
