"""CSV export of the hits changelists, with spreadsheet formulas escaped."""

from __future__ import annotations

import csv
import io

from django.contrib.contenttypes.models import ContentType
from django.forms import BooleanField
from django.test import TestCase
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from admin_hits.models import PathHits
from admin_hits.report.csv_cells import FORMULA_PREFIXES, escape_formula, looks_like_formula
from tests.admin.factories import add_hits, days_ago, superuser
from tests.testapp.models import Article, Release


def export(client, url: str, params: str = "") -> list[dict[str, str]]:
    """POST the export form as the admin does, and read the CSV back."""
    form = client.get(url + params).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name, f in form.fields.items() if isinstance(f, BooleanField)})
    response = client.post(url + params, data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # written as rows are read, never whole in memory
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


class HitsExportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.evil = Article.objects.create(title='=HYPERLINK("http://x.example/","open")', slug="a")
        cls.plain = Article.objects.create(title="Plain title", slug="b")
        cls.release = Release.objects.create(title="@SUM(1+1)")
        add_hits(cls.evil, {1: 10})
        add_hits(cls.plain, {1: 1234, 2: 3})
        add_hits(cls.release, {1: 5})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_csv_names_objects_and_escapes_formulas(self) -> None:
        rows = export(self.client, reverse("admin:admin_hits_hits_export"))
        self.assertEqual(list(rows[0]), ["date", "content_type", "object_id", "object", "views"])
        by_object = {row["object"]: row for row in rows if row["date"] == str(days_ago(1))}
        self.assertEqual(
            set(by_object),
            {'\'=HYPERLINK("http://x.example/","open")', "Plain title", "'@SUM(1+1)"},
        )
        plain = by_object["Plain title"]
        self.assertEqual(plain["content_type"], "testapp.article")
        self.assertEqual(plain["object_id"], str(self.plain.pk))
        self.assertEqual(plain["views"], "1234")
        self.assertEqual(by_object["'@SUM(1+1)"]["object_id"], str(self.release.pk))

    def test_export_follows_the_changelist_filters(self) -> None:
        ct = ContentType.objects.get_for_model(Article)
        params = f"?content_type__id__exact={ct.pk}&object_id={self.plain.pk}"
        changelist = self.client.get(reverse("admin:admin_hits_hits_changelist") + params)
        export_url = reverse("admin:admin_hits_hits_export")
        self.assertContains(changelist, f'href="{export_url}{params.replace("&", "&amp;")}"')
        rows = export(self.client, export_url, params)
        self.assertEqual(sorted(row["views"] for row in rows), ["1234", "3"])

    def test_path_export_escapes_paths(self) -> None:
        PathHits.objects.create(date=days_ago(1), path="-2+3", views=1)
        PathHits.objects.create(date=days_ago(1), path="/fine/", views=2)
        rows = export(self.client, reverse("admin:admin_hits_pathhits_export"))
        self.assertEqual(sorted(row["path"] for row in rows), ["'-2+3", "/fine/"])


@given(st.text())
def test_escaped_text_never_starts_a_formula(text: str) -> None:
    escaped = escape_formula(text)
    assert not escaped.startswith(FORMULA_PREFIXES)
    assert not looks_like_formula(escaped)
    assert escaped == text or escaped == "'" + text
    assert (escaped != text) == looks_like_formula(text)
    if text.startswith(FORMULA_PREFIXES):
        assert escaped == "'" + text


# What a program may drop or read differently before it looks at a cell's first character.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u061c", "\u180e"]
SPACES = [" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000", "\x0b", "\x0c"]
SIGNS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62",
         "\ufe63", "\ufe6b", "\u207c", "\u208c", "\u207a", "\u208b", "\u2a75"]  # fmt: skip


@given(
    st.lists(st.sampled_from(INVISIBLE + SPACES), max_size=6).map("".join),
    st.sampled_from(SIGNS),
    st.text(),
)
def test_signs_behind_spaces_invisible_characters_or_in_another_width_are_escaped(
    lead: str, sign: str, rest: str
) -> None:
    text = lead + sign + rest
    assert escape_formula(text) == "'" + text


@given(
    st.lists(st.sampled_from(INVISIBLE + SPACES), max_size=6).map("".join),
    st.characters(categories=["L", "N"]).filter(lambda c: c not in "+-=@"),
    st.text(),
)
def test_text_that_starts_with_a_letter_or_digit_is_left_alone(
    lead: str, first: str, rest: str
) -> None:
    text = lead + first + rest
    if not text.startswith(FORMULA_PREFIXES):
        assert escape_formula(text) == text


@given(st.one_of(st.integers(), st.dates(), st.none()))
def test_non_text_values_pass_unchanged(value: object) -> None:
    assert escape_formula(value) == value


class ChosenColumnsTests(TestCase):
    def test_export_writes_the_columns_chosen_in_the_form(self) -> None:
        add_hits(Article.objects.create(title="Chosen", slug="c"), {1: 4})
        self.client.force_login(superuser())
        url = reverse("admin:admin_hits_hits_export")
        form = self.client.get(url).context["form"]
        data = {"format": "0", "resource": "0"}
        data.update({name: "on" for name in form.fields if name.endswith(("_date", "_views"))})
        response = self.client.post(url, data)
        text = b"".join(response.streaming_content).decode()
        self.assertEqual(text.splitlines(), ["date,views", f"{days_ago(1).isoformat()},4"])
