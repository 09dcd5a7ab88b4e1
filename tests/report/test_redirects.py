"""404s turned into fixes: the suggested target of a missing path, and the "Create redirect"
button's permission, CSRF and idempotency."""

from __future__ import annotations

from django.contrib.redirects.models import Redirect
from django.test import Client, TestCase
from django.urls import reverse

from admin_hits.models import NotFoundHits
from admin_hits.report.editorial.redirects import Suggester
from tests.admin.factories import days_ago, staff, superuser
from tests.report.factories import REPORT, add_object, add_paths, records
from tests.testapp.models import Article

REDIRECT = reverse("admin:admin_hits_redirect")
TECHNICAL = {"tab": "technical"}


def missing(path: str, hits: int, days_ago_: int = 1) -> None:
    NotFoundHits.objects.create(date=days_ago(days_ago_), path=path, hits=hits)


class SuggestionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.moved = Article.objects.create(title="Moved", slug="new-name")
        add_paths("/articles/old-name/", {40: 12}, cls.moved)  # its address before
        add_object(cls.moved, {3: 50})
        results = Article.objects.create(title="Results", slug="results-2026")
        add_object(results, {2: 80})
        gone = Article.objects.create(title="Gone", slug="gone")
        add_paths("/articles/gone/", {50: 3}, gone)
        gone.delete()

    def test_the_object_that_lived_there(self) -> None:
        found = Suggester().suggest("/articles/old-name/")
        self.assertEqual((found.path, found.reason), ("/articles/new-name/", "moved"))

    def test_the_closest_path_of_the_same_pattern(self) -> None:
        found = Suggester().suggest("/articles/results-2062/")
        self.assertEqual((found.path, found.reason), ("/articles/results-2026/", "similar"))

    def test_nothing_close_a_deleted_object_or_another_pattern(self) -> None:
        suggester = Suggester()
        self.assertIsNone(suggester.suggest("/articles/zzzzzzzzzzzzzzzzzz/"))
        self.assertIsNone(suggester.suggest("/no/such/pattern/"))
        found = suggester.suggest("/articles/gone/")  # deleted: only a similar path, if any
        self.assertTrue(found is None or found.reason == "similar")

    def test_many_paths_in_a_fixed_number_of_queries(self) -> None:
        paths = [f"/articles/results-{n}/" for n in range(30)] + ["/articles/old-name/"]
        with self.assertNumQueries(4):  # past objects, the objects, renames, candidate paths
            found = Suggester().suggest_many(paths)
        self.assertEqual(found["/articles/old-name/"].path, "/articles/new-name/")


class RedirectButtonTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.moved = Article.objects.create(title="Moved", slug="new-name")
        add_paths("/articles/old-name/", {40: 12}, cls.moved)
        missing("/articles/old-name/", 30)
        missing("/wp-login.php", 5)
        cls.boss = superuser()
        cls.reader = staff("reader", "admin_hits.view_hits")
        cls.fixer = staff("fixer", "admin_hits.view_hits", "redirects.add_redirect")

    def fix_cells(self, client: Client) -> dict[str, str]:
        response = client.get(REPORT, TECHNICAL)
        self.assertEqual(response.status_code, 200)
        table = next(b.table for b in response.context["blocks"] if b.section.slug == "not-found")
        return {r["page"]: str(table.render_fix(r)) for r in records(response, "not-found")}

    def post(self, client: Client, **data: str) -> object:
        data = {"old_path": "/articles/old-name/", "new_path": "/articles/new-name/", **data}
        return client.post(REDIRECT, data)

    def test_suggestions_in_the_table_and_its_csv(self) -> None:
        self.client.force_login(self.boss)
        response = self.client.get(REPORT, TECHNICAL)
        self.assertContains(response, "suggested target")
        self.assertContains(response, "/articles/new-name/")

    def test_only_with_the_permission(self) -> None:
        self.client.force_login(self.reader)
        self.assertNotIn("Create redirect", "".join(self.fix_cells(self.client).values()))
        self.assertEqual(self.post(self.client).status_code, 403)
        self.assertFalse(Redirect.objects.exists())
        self.client.force_login(self.fixer)
        cells = self.fix_cells(self.client)
        self.assertIn("Create redirect", cells["/articles/old-name/"])
        self.assertEqual(cells["/wp-login.php"], "")  # nothing to suggest: no button

    def test_csrf_is_required(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.fixer)
        self.assertEqual(self.post(client).status_code, 403)
        self.assertFalse(Redirect.objects.exists())
        cell = self.fix_cells(client)["/articles/old-name/"]
        token = cell.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = self.post(client, csrfmiddlewaretoken=token, next=REPORT + "?tab=technical")
        self.assertRedirects(response, REPORT + "?tab=technical", fetch_redirect_response=False)
        self.assertEqual(Redirect.objects.get().new_path, "/articles/new-name/")

    def test_a_second_click_creates_nothing_and_the_row_says_redirected(self) -> None:
        self.client.force_login(self.fixer)
        self.post(self.client)
        self.post(self.client, new_path="/elsewhere/")
        redirect = Redirect.objects.get()
        self.assertEqual(
            (redirect.old_path, redirect.new_path), ("/articles/old-name/", "/articles/new-name/")
        )
        cells = self.fix_cells(self.client)
        self.assertIn("redirected", cells["/articles/old-name/"])
        self.assertNotIn("Create redirect", cells["/articles/old-name/"])

    def test_get_and_bad_paths_are_refused(self) -> None:
        self.client.force_login(self.fixer)
        self.assertEqual(self.client.get(REDIRECT).status_code, 405)
        self.assertEqual(self.post(self.client, old_path="no-slash").status_code, 400)
        self.assertEqual(self.post(self.client, new_path="javascript:alert(1)").status_code, 400)
        response = self.post(self.client, next="https://evil.example/")
        self.assertEqual(response["Location"], REPORT + "?tab=technical")
        self.assertEqual(Redirect.objects.count(), 1)
