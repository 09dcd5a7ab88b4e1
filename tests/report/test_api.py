"""The report as JSON: every page, tab and drill-down, for a signed-in user and for an API
token, with the figures of the page and the rows of its CSV; tokens that are wrong say nothing."""

from __future__ import annotations

import csv
import io
import logging
from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import TestCase, override_settings

from admin_hits.models import DayTotals
from admin_hits.report.sections import OBJECT_SECTIONS, REPORT_SECTIONS, groups_of
from admin_hits.report.views.tokens import token_hash
from tests.admin.factories import days_ago, staff, superuser
from tests.report.factories import REPORT, add_object, add_paths, export_permission, object_url
from tests.testapp.models import Article, Release

TOKEN = "t" * 43
OTHER_TOKEN = "u" * 43


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def as_text(value) -> str:
    return "" if value is None else str(value)


@override_settings(
    ADMIN_HITS_API_TOKENS={token_hash(TOKEN): "reader", token_hash(OTHER_TOKEN): "gone"}
)
class ApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reader = staff("reader", "admin_hits.view_hits", "testapp.view_article",
                           "testapp.view_release")  # fmt: skip
        cls.reader.user_permissions.add(export_permission())
        gone = staff("gone", "admin_hits.view_hits")
        gone.is_active = False
        gone.save()
        cls.boss = superuser()
        for n in range(1, 15):
            DayTotals.objects.create(date=days_ago(n), views=100 + n, visitors=50, bot_views=3)
        cls.story = Article.objects.create(title="Story", slug="story")
        add_object(cls.story, {1: 40, 2: 30, 9: 20})
        for n in range(12):
            add_object(Article.objects.create(title=f"A{n:02}", slug=f"a{n}"), {3: 10 + n})
        add_object(Release.objects.create(title="Release"), {2: 7})
        add_paths("/unknown/", {1: 5})

    def get_json(self, url, **params):
        response = self.client.get(url, {**params, "format": "json"})
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json")
        return response.json()

    def test_figures_are_the_pages(self):
        self.client.force_login(self.reader)
        page = self.client.get(REPORT, {"period": "7d"})
        data = self.get_json(REPORT, period="7d")
        shown = {f.key: (f.value, f.previous) for f in page.context["figures"]}
        self.assertEqual({f["key"]: (f["value"], f["previous"]) for f in data["figures"]}, shown)
        views = next(f for f in data["figures"] if f["key"] == "views")
        self.assertEqual(views["value"], sum(range(101, 108)))
        self.assertEqual(data["period"]["preset"], "7d")
        self.assertEqual(data["period"]["end"], days_ago(1).isoformat())
        self.assertEqual(len(data["days"]), 7)
        self.assertEqual(data["days"][-1], {"date": days_ago(1).isoformat(), "views": 101})

    def test_every_tab_and_table_equals_its_csv(self):
        self.client.force_login(self.reader)
        for url, sections, export in self.pages():
            # The tabs shown: no response time is stored here, so no "Speed" tab.
            shown = [s for s in sections if s.available is None]
            for tab, _ in groups_of(shown):
                data = self.get_json(url, period="7d", tab=tab)
                self.assertTrue(data["compare"])
                self.assertEqual(data["tab"], tab)
                for table in data["tables"]:
                    with self.subTest(url=url, table=table["slug"]):
                        rows = csv_rows(self.client.get(export(table["slug"]), {"period": "7d"}))
                        headers = [c["header"] for c in table["columns"]]
                        self.assertEqual(len(headers), len(rows[0]))
                        names = [c["name"] for c in table["columns"]]
                        got = [[as_text(r[n]) for n in names] for r in table["rows"]]
                        self.assertEqual(got, rows[1 : 1 + len(got)])

    def test_without_a_previous_period_no_comparison_columns_as_on_the_page(self):
        self.client.force_login(self.reader)
        data = self.get_json(REPORT, period="custom", start=days_ago(14).isoformat(),
                             end=days_ago(1).isoformat())  # fmt: skip
        self.assertFalse(data["compare"])
        objects = next(t for t in data["tables"] if t["slug"] == "objects")
        self.assertEqual([c["name"] for c in objects["columns"]],
                         ["object", "object_type", "current"])  # fmt: skip
        self.assertNotIn("previous_days", data)

    def pages(self):
        ct = ContentType.objects.get_for_model(Article)
        yield REPORT, REPORT_SECTIONS, lambda slug: f"{REPORT}export/{slug}/"
        yield (
            object_url(self.story),
            OBJECT_SECTIONS,
            lambda slug: f"/admin/admin_hits/object/{ct.pk}/{self.story.pk}/export/{slug}/",
        )

    def test_paging_and_sorting_parameters_are_the_pages(self):
        self.client.force_login(self.reader)
        first = self.get_json(REPORT, period="30d", **{"objects-per_page": 5})
        second = self.get_json(REPORT, period="30d", **{"objects-per_page": 5, "objects-page": 2})
        objects = next(t for t in first["tables"] if t["slug"] == "objects")
        later = next(t for t in second["tables"] if t["slug"] == "objects")
        self.assertEqual((objects["page"], later["page"], objects["per_page"]), (1, 2, 5))
        self.assertTrue(objects["has_next"])
        self.assertFalse(
            {r["object"] for r in objects["rows"]} & {r["object"] for r in later["rows"]}
        )
        views = [r["current"] for r in objects["rows"]]
        self.assertEqual(views, sorted(views, reverse=True))
        self.assertIsInstance(views[0], int)

    def test_the_drill_down_names_its_object(self):
        self.client.force_login(self.reader)
        data = self.get_json(object_url(self.story), period="30d")
        self.assertEqual(data["object"]["name"], "Story")
        self.assertEqual(data["object"]["path"], "/articles/story/")
        views = next(f for f in data["figures"] if f["key"] == "views")
        self.assertEqual(views["value"], 90)

    def test_accept_header(self):
        self.client.force_login(self.reader)
        response = self.client.get(REPORT, HTTP_ACCEPT="application/json")
        self.assertEqual(response["Content-Type"], "application/json")
        browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        self.assertContains(self.client.get(REPORT, HTTP_ACCEPT=browser), "<html")

    def test_the_same_permissions(self):
        response = self.client.get(REPORT, {"format": "json"})
        self.assertEqual(response.status_code, 302)  # to the login page
        self.client.force_login(staff("nobody"))
        self.assertEqual(self.client.get(REPORT, {"format": "json"}).status_code, 403)

    def test_a_token_reads_json_with_its_users_permissions(self):
        response = self.client.get(REPORT, {"period": "7d"}, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        self.assertEqual(response.status_code, 200)
        self.client.force_login(self.reader)
        by_token, by_session = response.json(), self.get_json(REPORT, period="7d")
        for key in ("figures", "days", "period"):
            self.assertEqual(by_token[key], by_session[key])
        rows = [t["rows"] for t in by_token["tables"]]
        self.assertEqual(rows, [t["rows"] for t in by_session["tables"]])
        self.client.logout()
        export = self.client.get(f"{REPORT}export/objects/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        self.assertEqual(export.status_code, 200)

    def test_a_wrong_token_is_a_401_that_says_nothing_more(self):
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("probe").debug("start")
            answers = [
                self.client.get(REPORT, HTTP_AUTHORIZATION=f"Bearer {token}")
                for token in ("x" * 43, OTHER_TOKEN, "", TOKEN[:-1])  # unknown, inactive user
            ]
        for answer in answers:
            self.assertEqual(answer.status_code, 401)
            self.assertEqual(answer.json(), {"error": "invalid token"})
            self.assertEqual(answer["WWW-Authenticate"], 'Bearer realm="admin_hits"')
        logged = "\n".join(logs.output)
        for token in (TOKEN, OTHER_TOKEN, "x" * 43):
            self.assertNotIn(token, logged)

    def test_a_token_of_a_user_without_the_report(self):
        staff("plain")
        with override_settings(ADMIN_HITS_API_TOKENS={token_hash(TOKEN): "plain"}):
            response = self.client.get(REPORT, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        self.assertEqual(response.status_code, 403)


class TokenCommandTests(TestCase):
    def test_a_token_for_a_reader(self):
        staff("reader", "admin_hits.view_hits")
        out = StringIO()
        call_command("hits_api_token", "reader", stdout=out)
        token = out.getvalue().split("give it to the script): ")[1].split()[0]
        self.assertIn(f'"{token_hash(token)}": "reader"', out.getvalue())
        with override_settings(ADMIN_HITS_API_TOKENS={token_hash(token): "reader"}):
            response = self.client.get(REPORT, HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(response.status_code, 200)

    def test_refused_for_a_user_who_may_not_read_the_report(self):
        from django.core.management import CommandError

        staff("plain")
        with self.assertRaisesMessage(CommandError, "may not view the report"):
            call_command("hits_api_token", "plain", stdout=StringIO())

    def test_a_bad_setting_is_a_check_error(self):
        from admin_hits.checks import check_settings

        with override_settings(ADMIN_HITS_API_TOKENS={"secret-in-clear": "reader"}):
            self.assertIn("admin_hits.E008", [m.id for m in check_settings()])
        with override_settings(ADMIN_HITS_API_TOKENS={token_hash("x"): "reader"}):
            self.assertNotIn("admin_hits.E008", [m.id for m in check_settings()])
