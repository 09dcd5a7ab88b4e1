"""AI crawlers per object: counted by parse_log from the bot views, shown by the report and
the drill-down."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from admin_hits.models import AICrawlerHits, BotHits, Hits
from tests.admin.factories import superuser
from tests.helpers import combined, write_log
from tests.report.factories import REPORT, export_url, object_url, records
from tests.report.test_export import download
from tests.testapp.models import Article

GPTBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"
CLAUDEBOT = "Mozilla/5.0 (compatible; ClaudeBot/1.0; +claudebot@anthropic.com)"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def crawled(db, tmp_path: Path, client, settings):
    settings.ADMIN_HITS_ACCESS_LOG = None
    a = Article.objects.create(title="A", slug="a")
    b = Article.objects.create(title="B", slug="b")
    lines = [combined("/articles/a/", user_agent=GPTBOT)] * 3
    lines += [combined("/articles/a/?page=2", user_agent=GPTBOT)]  # the same object
    lines += [combined("/articles/b/", user_agent=CLAUDEBOT)] * 2
    lines += [combined("/articles/a/", user_agent=GOOGLEBOT)] * 5  # a bot, not an AI crawler
    lines += [combined("/about/", user_agent=GPTBOT)]  # no object
    lines += [combined("/articles/a/")]  # a person
    log = write_log(tmp_path / "access.log", lines)
    call_command("parse_log", str(log), "--date", "2026-11-28", stdout=StringIO())
    client.force_login(superuser())
    return a, b


def test_parse_log_counts_ai_crawlers_per_object(crawled) -> None:
    a, b = crawled
    objects = AICrawlerHits.objects.filter(content_type__isnull=False)
    rows = {(r.object_id, r.bot, r.views) for r in objects}
    assert rows == {(str(a.pk), "GPTBot", 4), (str(b.pk), "ClaudeBot", 2)}
    # Taken from the bot views already counted: the same figures.
    assert Hits.objects.get(object_id=str(a.pk)).bot_views == 4 + 5
    assert BotHits.objects.get(bot="GPTBot").hits == 4 + 1


def test_report_and_drill_down(crawled, client) -> None:
    a, _b = crawled
    period = {"period": "custom", "start": "2026-11-28", "end": "2026-11-28"}
    response = client.get(REPORT, {**period, "tab": "content"})
    rows = [(r["object_pk"], r["crawler"], r["current"]) for r in records(response, "ai-read")]
    assert rows == [(str(a.pk), "GPTBot", 4), (str(_b.pk), "ClaudeBot", 2)]
    response = client.get(object_url(a), period)
    assert [(r["bot"], r["current"]) for r in records(response, "crawlers")] == [("GPTBot", 4)]


def test_one_store_of_every_object_read_in_both_tables(db, tmp_path: Path, client, settings):
    """``AICrawlerHits`` keeps every object a crawler fetched (once its top 200 of the day),
    and the technical tab's "Objects fetched by AI crawlers" shows the rows of "Read by AI
    crawlers"."""
    settings.ADMIN_HITS_ACCESS_LOG = None
    articles = [Article.objects.create(title=f"T{n}", slug=f"t{n}") for n in range(205)]
    lines = [combined(f"/articles/{a.slug}/", user_agent=GPTBOT) for a in articles]
    lines += [combined("/articles/t0/", user_agent=GPTBOT)] * 2
    call_command("parse_log", str(write_log(tmp_path / "access.log", lines)), "--date",
                 "2026-11-28", stdout=StringIO())  # fmt: skip
    objects = AICrawlerHits.objects.filter(content_type__isnull=False)
    assert objects.count() == 205
    assert objects.get(object_id=str(articles[0].pk)).views == 3
    client.force_login(superuser())
    period = {"period": "custom", "start": "2026-11-28", "end": "2026-11-28"}

    def rows(slug: str) -> set[tuple[str, ...]]:
        """(object, crawler, views) of every row of the table's CSV."""
        _body, table = download(client, export_url(slug), period)
        header = [name.lower() for name in table[0]]
        wanted = [header.index(name) for name in ("object", "ai crawler", "views")]
        return {tuple(row[i] for i in wanted) for row in table[1:]}

    read = rows("ai-read")
    assert len(read) == 205 and ("T0", "GPTBot", "3") in read
    assert rows("ai-objects") == read
