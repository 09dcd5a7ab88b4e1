"""The changelists' searches at volume: the ``Hits`` search finds rows through an index, not a
scan of every row, and a ``PathHits`` search on SQLite scans the table once instead of walking
the newest-first index row by row (seconds at a million rows)."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.urls import reverse

from admin_hits.models import PathHits
from tests.admin.factories import add_hits, days_ago, superuser
from tests.testapp.models import Article, Release

HITS = reverse("admin:admin_hits_hits_changelist")


def scans_every_row(queryset, table: str) -> bool:
    """Whether the database plans to read ``table`` whole for ``queryset``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # tiny tables: make the planner show its indexes
            cursor.execute("SET LOCAL enable_seqscan = off")
        return f"Seq Scan on {table}" in queryset.explain()
    return any(line.split()[3:5] == ["SCAN", table] for line in queryset.explain().splitlines())


class SearchPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        for n in range(30):
            add_hits(Article.objects.create(title=f"A {n}", slug=f"a{n}"), {1: n + 1, 2: 1})
        cls.release = Release.objects.create(title="R")
        add_hits(cls.release, {1: 3})
        cls.boss = superuser()

    def test_an_object_id_is_found_through_the_index(self) -> None:
        self.client.force_login(self.boss)
        response = self.client.get(HITS, {"q": str(self.release.pk)})
        cl = response.context["cl"]
        self.assertEqual([row.object_id for row in cl.result_list], [str(self.release.pk)])
        self.assertFalse(scans_every_row(cl.queryset, "admin_hits_hits"), cl.queryset.explain())


PATHS = reverse("admin:admin_hits_pathhits_changelist")


class PathSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        for n in range(40):
            PathHits.objects.create(date=days_ago(n % 9), path=f"/p/{n}/page", views=n % 7)
        cls.boss = superuser()

    def test_a_search_never_walks_the_newest_first_index_and_keeps_the_order(self) -> None:
        self.client.force_login(self.boss)
        cl = self.client.get(PATHS, {"q": "page"}).context["cl"]
        shown = [(row.date, row.views, row.pk) for row in cl.result_list]
        self.assertEqual(shown, sorted(shown, reverse=True))  # newest, most viewed first
        self.assertEqual(len(shown), 40)
        self.assertNotIn("paths_newest_first", cl.queryset.explain() if sqlite() else "")
        # Without a search, the index gives the first page at once.
        plain = self.client.get(PATHS).context["cl"]
        self.assertEqual([(r.date, r.views, r.pk) for r in plain.result_list], shown)
        if sqlite():
            self.assertIn("paths_newest_first", plain.queryset.explain())


def sqlite() -> bool:
    return connection.vendor == "sqlite"
