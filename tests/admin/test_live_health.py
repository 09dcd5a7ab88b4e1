"""The admin's live figures say who counts into the store, and label a stored partial day."""

from __future__ import annotations

import time

from django.contrib import messages
from django.test import TestCase
from django.urls import reverse

from admin_hits.live.stores.db import DatabaseStore
from admin_hits.live.stores.heartbeats import Heartbeat
from tests.admin.factories import add_hits, add_live, superuser, today
from tests.report.factories import LIVE, REPORT
from tests.testapp.models import Article

ARTICLES = reverse("admin:testapp_article_changelist")
NO_PIPE = "No pipe has written to this live store (db) today"


def pipe_wrote(seconds_ago: float = 600) -> None:
    """A pipe's heartbeat in the (default) db store, as the running pipe writes it."""
    now = time.time()
    record = Heartbeat("web1", 42, "1.0", now - 600, 10, 7, now - seconds_ago, now - 1)
    DatabaseStore().beat(today(), record)


class LiveHealthTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Launch", slug="launch")
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)
        self.change = reverse("admin:testapp_article_change", args=[self.article.pk])

    def test_inline_says_plainly_that_no_pipe_wrote_today(self) -> None:
        response = self.client.get(self.change)
        self.assertContains(response, NO_PIPE)
        self.assertContains(response, 'class="admin-hits-live-health errornote"')

    def test_inline_says_who_counts(self) -> None:
        add_live(self.article, 5)
        pipe_wrote()
        response = self.client.get(self.change)
        self.assertContains(response, "Counted by 1 pipe, last write 10 min ago.")
        self.assertNotContains(response, NO_PIPE)

    def test_a_stored_row_of_today_is_labelled_a_partial_day(self) -> None:
        add_hits(self.article, {0: 40, 1: 300})  # parse_log --date today, and yesterday
        add_live(self.article, 55)
        response = self.client.get(self.change)
        self.assertContains(response, "40 (partial day, stored by parse_log)")
        self.assertContains(response, "<strong>55</strong>", html=True)
        self.assertNotContains(response, "300 (partial")

    def test_changelist_warns_when_no_pipe_wrote_today(self) -> None:
        response = self.client.get(ARTICLES)
        warnings = [m.message for m in response.context["messages"] if m.level == messages.WARNING]
        self.assertEqual(len(warnings), 1)
        self.assertIn(NO_PIPE, warnings[0])

    def test_changelist_cells_say_who_counts_without_a_warning(self) -> None:
        pipe_wrote()
        response = self.client.get(ARTICLES)
        self.assertEqual(list(response.context["messages"]), [])
        self.assertContains(response, 'title="Counted by 1 pipe, last write 10 min ago."')

    def test_report_and_live_json_say_who_counts(self) -> None:
        self.assertContains(self.client.get(REPORT, {"period": "today"}), NO_PIPE)
        pipe_wrote()
        self.assertContains(self.client.get(REPORT), "Counted by 1 pipe, last write 10 min ago.")
        health = self.client.get(LIVE).json()["health"]
        self.assertEqual(health, "Counted by 1 pipe, last write 10 min ago.")
