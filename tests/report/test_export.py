"""CSV exports of the report tables: what the table shows, every row, formulas neutralised."""

from __future__ import annotations

import csv
import io

from django.test import TestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from admin_hits.models import CampaignHits, path_hash
from admin_hits.report.csv_cells import FORMULA_PREFIXES
from admin_hits.report.tables import ReportTable
from admin_hits.report.views.csv import csv_lines
from tests.admin.factories import days_ago, superuser
from tests.report.factories import add_object, add_paths, export_url, object_url
from tests.testapp.models import Article, Release


def download(client, url: str, params: dict | None = None) -> tuple[bytes, list[list[str]]]:
    response = client.get(url, params or {})
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="traffic-')
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


class ReportExportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.evil = Article.objects.create(title='=HYPERLINK("http://x.example/","open")', slug="e")
        cls.plain = Article.objects.create(title="Plain, with a comma", slug="p")
        cls.release = Release.objects.create(title="@SUM(1+1)")
        add_object(cls.evil, {1: 10, 40: 20})
        add_object(cls.plain, {1: 1234})
        add_object(cls.release, {2: 5})
        add_paths("-2+3", {1: 7})
        add_paths("\t/tab/", {1: 1})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_objects_exact_bytes(self) -> None:
        body, _ = download(self.client, export_url("objects"))
        self.assertEqual(
            body,
            b'object,type,views,previous period,"change, %"\r\n'
            b'"Plain, with a comma",article,1234,0,\r\n'
            b'"\'=HYPERLINK(""http://x.example/"",""open"")",article,10,20,-50.0\r\n'
            b"'@SUM(1+1),release,5,0,\r\n",
        )

    def test_every_row_not_only_the_page_in_the_chosen_order(self) -> None:
        for n in range(25):
            add_object(Article.objects.create(title=f"A{n:02}", slug=f"a{n}"), {3: 100 + n})
        params = {"objects-sort": "current", "objects-page": "2"}
        _, rows = download(self.client, export_url("objects"), params)
        views = [int(row[2]) for row in rows[1:]]
        self.assertEqual(len(views), 28)
        self.assertEqual(views, sorted(views))

    def test_follows_the_period_and_the_model_filter(self) -> None:
        params = {
            "period": "custom",
            "start": days_ago(2).isoformat(),
            "end": days_ago(2).isoformat(),
        }
        response = self.client.get(export_url("objects"), params)
        name = f"traffic-objects-{days_ago(2).isoformat()}-{days_ago(2).isoformat()}.csv"
        self.assertEqual(response["Content-Disposition"], f'attachment; filename="{name}"')
        _, rows = download(self.client, export_url("objects"), params)
        self.assertEqual(rows[1:], [["'@SUM(1+1)", "release", "5", "0", ""]])
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(Article)
        _, rows = download(self.client, export_url("objects"), {"objects-model": ct.pk})
        self.assertEqual(rows[0], ["object", "views", "previous period", "change, %"])
        self.assertEqual(len(rows), 3)

    def test_paths_are_escaped(self) -> None:
        _, rows = download(self.client, export_url("unmatched"))
        self.assertEqual(rows, [["path", "views", "previous period", "change, %"],
                                ["'-2+3", "7", "0", ""], ["'\t/tab/", "1", "0", ""]])  # fmt: skip
        _, rows = download(self.client, export_url("pages"))
        self.assertEqual(rows[0], ["path", "object", "views", "previous period", "change, %"])
        self.assertIn(["/articles/e/", "'" + str(self.evil.title), "10", "20", "-50.0"], rows)

    def test_drill_down_tables(self) -> None:
        _, rows = download(self.client, object_url(self.evil, "admin_hits_object_export", "days"))
        self.assertEqual(rows[0], ["date", "views"])
        self.assertEqual(len(rows), 31)
        self.assertEqual(rows[1], [days_ago(1).isoformat(), "10"])
        _, rows = download(self.client, object_url(self.evil, "admin_hits_object_export", "paths"))
        self.assertEqual(rows[1:], [["/articles/e/", "10", "20", "-50.0"]])

    def test_figures_and_empty_cells_are_plain_values(self) -> None:
        add_object(Release.objects.create(title="Busy before"), {1: 1000, 40: 2000})
        CampaignHits.objects.create(date=days_ago(1), path="/", path_hash=path_hash("/"),
                                    source="newsletter", views=3)  # fmt: skip
        _, rows = download(self.client, export_url("objects"))
        self.assertIn(["Busy before", "release", "1000", "2000", "-50.0"], rows)
        _, rows = download(self.client, export_url("campaigns"))
        self.assertEqual(rows[1:], [["", "newsletter", "", "3", "0", ""]])

    def test_unknown_section(self) -> None:
        self.assertEqual(self.client.get(export_url("nope")).status_code, 404)
        self.assertEqual(
            self.client.get(object_url(self.evil, "admin_hits_object_export", "nope")).status_code,
            404,
        )

    def test_the_report_links_each_table_to_its_csv_with_the_request_parameters(self) -> None:
        from tests.report.factories import REPORT

        response = self.client.get(REPORT, {"period": "7d", "pages-sort": "page"})
        for slug in ("objects", "pages", "unmatched"):
            self.assertContains(
                response, f'href="{export_url(slug)}?period=7d&amp;pages-sort=page"'
            )


@settings(max_examples=200)
@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none())))
def test_no_text_cell_reads_as_a_formula(cells: list) -> None:
    line = "".join(csv_lines([cells]))
    (read,) = list(csv.reader(io.StringIO(line, newline="")))
    for original, cell in zip(cells, read, strict=True):
        if isinstance(original, str):
            assert not cell.startswith(FORMULA_PREFIXES)
            assert cell in (original, "'" + original)
        elif original is None:
            assert cell == ""
        else:
            assert cell == str(original)


def report_tables(cls: type = ReportTable) -> list[type]:
    import admin_hits.report.traffic.tables  # noqa: F401  (its tables are subclasses too)

    found = []
    for sub in cls.__subclasses__():
        found += [sub, *report_tables(sub)]
    return found


def test_every_column_rendered_for_the_page_has_a_plain_value_for_csv() -> None:
    # A CSV cell is ``value_<column>``, and without one django-tables2 takes what
    # ``render_<column>`` gives the page: markup, or text such as "1,234".
    tables = report_tables()
    assert len(tables) > 10
    missing = [
        f"{table.__name__}.{name}"
        for table in tables
        for name in dir(table)
        if name.startswith("render_") and not hasattr(table, "value_" + name[len("render_") :])
    ]
    assert missing == []
