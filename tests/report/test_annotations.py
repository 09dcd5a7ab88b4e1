"""Publication and admin edits marked on the drill-down's chart, and the days objects were
published on the report's."""

from __future__ import annotations

import json
import re

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.test import TestCase, override_settings

from tests.admin.factories import add_hits, days_ago, staff, superuser
from tests.report.factories import REPORT, object_url
from tests.report.test_launches import launched
from tests.report.test_publication import log, moment
from tests.testapp.models import Article


def marks(chart: str) -> list[tuple[str, str]]:
    """``(kind, tooltip)`` of each mark of a chart."""
    found = re.findall(r'<g class="mark (\w+)">(?:<a href="[^"]*">)?<title>([^<]*)</title>', chart)
    return [(kind, title) for kind, title in found]


class ObjectChartTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        cls.editor = staff("alice")
        cls.editor.first_name, cls.editor.last_name = "Alice", "Martin"
        cls.editor.save()
        cls.story = launched("story", 20, [50, 30, 20])
        title_change = json.dumps([{"changed": {"fields": ["Title"]}}])
        log(cls.story, CHANGE, moment(days_ago(5), 11), cls.editor, title_change)
        log(cls.story, CHANGE, moment(days_ago(5), 15), cls.boss, "Fixed a <b>typo</b>")
        log(cls.story, DELETION, moment(days_ago(4), 15), cls.boss)  # not an edit
        log(cls.story, CHANGE, moment(days_ago(90), 15), cls.boss, "Long ago")  # off the chart

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_publication_and_edits_marked_with_editor_and_message(self) -> None:
        response = self.client.get(object_url(self.story))
        chart = str(response.context["chart"])
        found = marks(chart)
        self.assertEqual([kind for kind, _ in found], ["published", "edit"])
        self.assertIn("Published", found[0][1])
        edit = found[1][1]
        self.assertIn("Changed Title. (Alice Martin)", edit)
        self.assertIn("Fixed a &lt;b&gt;typo&lt;/b&gt; (boss)", edit)  # escaped, one mark a day
        self.assertNotIn("Long ago", chart)
        events = response.context["chart_events"]
        self.assertEqual([e.kind for e in events], ["published", "edit", "edit"])
        self.assertEqual(events[1].who, "Alice Martin")
        self.assertContains(response, "Publication and edits")
        self.assertContains(response, "Fixed a &lt;b&gt;typo&lt;/b&gt;")

    def test_an_addition_is_an_edit_and_a_period_without_any(self) -> None:
        article = Article.objects.create(title="A", slug="a")
        add_hits(article, {3: 5})
        log(article, ADDITION, moment(days_ago(3), 9), self.editor, "")
        response = self.client.get(object_url(article))
        # Its publication is the addition (no date field): both marks on one day.
        self.assertEqual([k for k, _ in marks(str(response.context["chart"]))], ["published"])
        self.assertEqual(
            [e.text for e in response.context["chart_events"]], ["Published", "Added."]
        )
        before = {"period": "custom", "start": days_ago(60), "end": days_ago(40)}
        response = self.client.get(object_url(article), before)
        self.assertEqual(response.context["chart_events"], [])
        self.assertNotContains(response, "Publication and edits")


@override_settings(ADMIN_HITS_MODELS=["testapp.Article", "testapp.Release", "testapp.Story"])
class ReportChartTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        for n in range(3):
            launched(f"same-day-{n}", 6, [n + 1])
        launched("alone", 9, [4])
        launched("old", 60, [4])

    def test_days_with_publications_are_marked_and_linked(self) -> None:
        self.client.force_login(self.boss)
        response = self.client.get(REPORT, {"period": "30d"})
        chart = str(response.context["chart"])
        self.assertEqual([k for k, _ in marks(chart)], ["launches", "launches"])
        day = days_ago(6).isoformat()
        self.assertIn(
            f'href="?period=custom&amp;start={day}&amp;end={day}&amp;tab=content#launches-table"',
            chart,
        )
        titles = [t for _, t in marks(chart)]
        self.assertIn("1 object published: Alone", titles[0])
        self.assertIn("3 objects published: Same-Day-", titles[1])
        self.assertContains(response, "Published on these days")
        linked = {"period": "custom", "start": day, "end": day, "tab": "content"}
        linked = self.client.get(REPORT, linked)
        self.assertEqual(len(linked.context["blocks"][0].table.page_records()), 3)
