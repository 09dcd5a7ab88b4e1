"""The report in the staff's language: words, numbers, dates and the chart's axes follow the
active locale; CSV files stay machine-readable whatever the language."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import TestCase, override_settings
from django.utils import translation

from admin_hits.models import Hits, PathHits
from tests.admin.factories import days_ago, superuser
from tests.report.factories import REPORT, add_object, export_url, object_url
from tests.report.test_export import download
from tests.testapp.models import Article

GERMAN_MONTHS = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
GERMAN_SHORT_MONTHS = "Jan. Feb. März April Mai Juni Juli Aug. Sep. Okt. Nov. Dez."
LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
LANGUAGES = [("en", "English"), ("de", "German"), ("fr", "French"), ("es", "Spanish")]


def with_locale_middleware() -> list[str]:
    """The test site's middleware with ``LocaleMiddleware`` where Django's docs put it: after
    the session (it may read the language from it), before ``CommonMiddleware``."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.middleware.common.CommonMiddleware"), LOCALE_MIDDLEWARE
    )
    return middleware


def german_day(day, months: str = GERMAN_MONTHS) -> str:
    return f"{day.day}. {months.split()[day.month - 1]}"


@override_settings(MIDDLEWARE=with_locale_middleware(), LANGUAGES=LANGUAGES)
class ReportLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.launch = Article.objects.create(title="Launch", slug="launch")
        add_object(cls.launch, {1: 10000, 2: 2345, 31: 1000, 40: 250})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def page(self, language: str, url: str = REPORT) -> str:
        response = self.client.get(url, headers={"accept-language": language})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Language"], language)
        return response.content.decode()

    def test_german(self) -> None:
        html = self.page("de")
        self.assertIn('<html lang="de" dir="ltr">', html)
        self.assertIn("<h1>Traffic-Bericht</h1>", html)
        for words in ("Aufrufe", "Letzte 7 Tage", "Vorzeitraum", "Top-Objekte", "Quellen"):
            self.assertIn(words, html)
        # Thousands with a dot, a decimal comma, a space before the percent sign.
        self.assertIn(">12.345<", html)
        self.assertIn("vs. 1.250", html)
        self.assertIn("+888\xa0%", html)
        first, last = days_ago(30), days_ago(1)
        self.assertIn(f"{german_day(first)} {first.year} – {german_day(last)} {last.year}", html)

    def test_german_chart_axes(self) -> None:
        chart = re.search(r"<svg class=\"admin-hits-chart-svg\".*?</svg>", self.page("de"), re.S)
        assert chart is not None
        axis = re.findall(r'<text class="axis"[^>]*>([^<]*)</text>', chart.group())
        self.assertIn("10.000", axis)  # the gridlines' values: 0, 2.500, ... 10.000
        self.assertIn("2.500", axis)
        self.assertIn(german_day(days_ago(30), GERMAN_SHORT_MONTHS), axis)
        self.assertFalse([text for text in axis if re.fullmatch(r"\d+,\d{3}", text)])

    def test_french_and_spanish(self) -> None:
        french = self.page("fr")
        self.assertIn("<h1>Rapport de trafic</h1>", french)
        self.assertRegex(french, r">12\s345<")  # a (narrow) no-break space between thousands
        self.assertIn("Vues", french)
        spanish = self.page("es")
        self.assertIn("<h1>Informe de tráfico</h1>", spanish)
        self.assertIn("Vistas", spanish)

    def test_an_object_page_in_german(self) -> None:
        html = self.page("de", object_url(self.launch))
        self.assertIn("Aufrufe pro Tag", html)
        day = days_ago(1)
        self.assertIn(f"{german_day(day)} {day.year}", html)  # the table of days

    def test_csv_keeps_plain_numbers_and_iso_dates_in_german(self) -> None:
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
        body, rows = download(self.client, export_url("objects"), {"period": "30d"})
        # The headers are the staff's words; the cells are numbers a program reads.
        self.assertEqual(rows[0], ["Objekt", "Typ", "Aufrufe", "Vorzeitraum", "Veränderung, %"])
        self.assertEqual(rows[1], ["Launch", "article", "12345", "1250", "887.6"])
        _, days = download(self.client, object_url(self.launch, "admin_hits_object_export", "days"))
        self.assertEqual(days[0], ["Datum", "Aufrufe"])
        self.assertEqual(days[1], [days_ago(1).isoformat(), "10000"])
        self.assertEqual(days[2], [days_ago(2).isoformat(), "2345"])
        self.assertNotIn(b"12.345", body)

    def test_a_rows_title_in_german(self) -> None:
        """What the row's admin page and breadcrumbs call it."""
        day = days_ago(1)
        hits = Hits.objects.get(date=day)
        path_hits = PathHits.objects.get(date=day)
        with translation.override("de"):
            self.assertEqual(
                str(hits), f"article {self.launch.pk} am {german_day(day)} {day.year}: 10.000"
            )
            self.assertEqual(
                str(path_hits), f"/articles/launch/ am {german_day(day)} {day.year}: 10.000"
            )
