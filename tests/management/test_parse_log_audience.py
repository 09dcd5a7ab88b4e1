"""parse_log's audience: browsers, systems, devices, countries and hours of generated lines,
checked against counts the test makes from its own labels (not from the code)."""

from __future__ import annotations

import datetime
import json
import random
import zoneinfo
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings

from admin_hits.models import AICrawlerHits, AudienceHits, DayTotals, HourHits, ObjectAudience
from tests.helpers import combined, write_log
from tests.testapp.models import Article

DAY = datetime.date(2026, 11, 28)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")  # tests/settings.py's TIME_ZONE
# (user agent, browser family, system family, device class): well-known user agents and
# what any reader of them says they are.
AGENTS = [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", "Chrome", "Windows", "desktop"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
     "Firefox", "Linux", "desktop"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
     "like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Mobile Safari", "iOS", "mobile"),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Mobile/15E148 Safari/604.1", "Mobile Safari", "iOS", "tablet"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome Mobile", "Android", "mobile"),
    ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", "Chrome", "Android", "tablet"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/18.1 Safari/605.1.15", "Safari", "Mac OS X", "desktop"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge", "Windows", "desktop"),
    # A browser's user agent and 10 kB of padding: read safely, by its start.
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 " + "x" * 10_000,
     "Firefox", "Linux", "desktop"),
    # No browser a parser knows: a person's all the same (it has a platform), as "Other".
    ("Mozilla/5.0 (Unknown; Nothing) Whatever/1.0", "Other", "Other", "other"),
]  # fmt: skip
# (address, country): blocks whose registration has not changed in decades; "ZZ" for none.
ADDRESSES = [
    ("8.8.8.8", "US"),  # Google, ARIN
    ("2001:4860:4860::8888", "US"),  # Google's IPv6 resolver, ARIN
    ("193.0.0.1", "NL"),  # RIPE NCC's own block
    ("200.160.0.1", "BR"),  # NIC.br, LACNIC
    ("133.0.0.1", "JP"),  # 133/8, a Japanese legacy block
    ("10.1.2.3", "ZZ"),  # private: no country
    ("2001:db8::7", "ZZ"),  # IPv6 documentation range: no country
]
AUDIENCE_FIELDS = ("content_type", "object_id", "dimension", "name", "views")
HOUR_FIELDS = ("content_type", "object_id", "hour", "views")
OBJECT_FIELDS = ("content_type", "object_id", "views", "hours", "names")
# The figures of an object's own row, and where they are in the generated line's truth.
OWN = {"browser": 1, "os": 2, "device": 3, "country": 4}
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GPTBOT = ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
          "+https://openai.com/gptbot)")  # fmt: skip
CLAUDEBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0)"


def parse(*args: str) -> dict:
    out = StringIO()
    call_command("parse_log", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def generated(articles: list[Article], n: int = 4000) -> tuple[list[str], dict]:
    """Lines of DAY (and human views' expected figures per dimension, site and per path)."""
    rng = random.Random(23)
    lines, expected = [], {k: Counter() for k in ("browsers", "os", "devices", "countries")}
    expected["hours"] = Counter()
    expected["paths"] = Counter()
    expected["ai"] = Counter()
    for i in range(n):
        agent, browser, system, device = rng.choice(AGENTS)
        address, country = rng.choice(ADDRESSES)
        local = datetime.datetime.combine(DAY, datetime.time(rng.randrange(24), rng.randrange(60)))
        when = local.replace(tzinfo=BERLIN).astimezone(datetime.UTC if i % 2 else BERLIN)
        path = f"/articles/{rng.choice(articles).slug}/"
        lines.append(combined(path, when.strftime("%d/%b/%Y:%H:%M:%S %z"), ip=address,
                              user_agent=agent))  # fmt: skip
        if i % 10 == 0:  # bots' and reader's views are no part of the audience
            bot = (BOT, GPTBOT, CLAUDEBOT)[i % 3]
            lines.append(combined(path, when.strftime("%d/%b/%Y:%H:%M:%S %z"), user_agent=bot))
            if bot != BOT:
                expected["ai"][{GPTBOT: "GPTBot", CLAUDEBOT: "ClaudeBot"}[bot], path] += 1
        for name, value in (("browsers", browser), ("os", system), ("devices", device),
                            ("countries", country), ("hours", local.hour)):  # fmt: skip
            expected[name][value] += 1
        expected["paths"][path, browser, system, device, country, local.hour] += 1
    # A client that read robots.txt is a bot all day: its views count nowhere here.
    reader = ("192.0.2.99", AGENTS[0][0])
    lines += [
        combined("/robots.txt", ip=reader[0], user_agent=reader[1]),
        combined(f"/articles/{articles[0].slug}/", ip=reader[0], user_agent=reader[1]),
    ]
    return lines, expected


@pytest.fixture
def articles(db) -> list[Article]:
    return [Article.objects.create(title=f"A{i}", slug=f"a{i}") for i in range(5)]


@pytest.fixture
def log(tmp_path: Path, articles) -> tuple[str, dict]:
    pattern = str(tmp_path / "%Y-%m-%d.log")
    lines, expected = generated(articles)
    write_log(Path(DAY.strftime(pattern)), lines)
    return pattern, expected


def test_json_gives_each_figure_of_the_day_exactly(log):
    pattern, expected = log
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        (day,) = parse("--date", DAY.isoformat())["days"]
    for name in ("browsers", "os", "devices", "countries"):
        assert day[name] == dict(expected[name]), name
    assert day["hours"] == [expected["hours"][hour] for hour in range(24)]
    assert sum(day["browsers"].values()) == day["views"]


def test_two_jobs_give_what_one_gives(log, monkeypatch):
    # Small ranges, so that both processes count some of the lines.
    monkeypatch.setattr("admin_hits.nightly.logfiles.byte_ranges.__defaults__", (64 << 10,))
    pattern, _ = log
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        one = parse("--date", DAY.isoformat(), "--jobs", "1")
        site_rows = Counter(AudienceHits.objects.values_list(*AUDIENCE_FIELDS))
        hour_rows = Counter(HourHits.objects.values_list(*HOUR_FIELDS))
        object_rows = Counter(ObjectAudience.objects.values_list(*OBJECT_FIELDS))
        assert site_rows and hour_rows and object_rows
        two = parse("--date", DAY.isoformat(), "--jobs", "2")
    for key in ("browsers", "os", "devices", "countries", "hours", "views"):
        assert one["days"][0][key] == two["days"][0][key]
    assert site_rows == Counter(AudienceHits.objects.values_list(*AUDIENCE_FIELDS))
    assert hour_rows == Counter(HourHits.objects.values_list(*HOUR_FIELDS))
    assert object_rows == Counter(ObjectAudience.objects.values_list(*OBJECT_FIELDS))


def test_rows_of_the_site_and_of_each_object(log, articles):
    pattern, expected = log
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        parse("--date", DAY.isoformat())
    site = AudienceHits.objects.filter(date=DAY, content_type=None)
    for dimension, name in (("browser", "browsers"), ("os", "os"), ("device", "devices"),
                            ("country", "countries")):  # fmt: skip
        found = dict(site.filter(dimension=dimension).values_list("name", "views"))
        assert found == dict(expected[name])
    hours = dict(HourHits.objects.filter(date=DAY, content_type=None).values_list("hour", "views"))
    assert hours == dict(expected["hours"])
    # The site's rows hold no object's: each object's day is its one compact row.
    assert not AudienceHits.objects.filter(content_type__isnull=False).exists()
    assert not HourHits.objects.filter(content_type__isnull=False).exists()


def own_truth(expected: dict, path: str) -> tuple[dict[str, Counter], Counter]:
    """One path's human views per name of each dimension, and per hour, from the labels."""
    names = {dimension: Counter() for dimension in OWN}
    hours = Counter()
    for key, n in expected["paths"].items():
        if key[0] == path:
            for dimension, at in OWN.items():
                names[dimension][key[at]] += n
            hours[key[5]] += n
    return names, hours


def test_one_compact_row_per_object_gives_its_figures_exactly(log, articles):
    pattern, expected = log
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        parse("--date", DAY.isoformat())
    ct = ContentType.objects.get_for_model(Article)
    assert ObjectAudience.objects.count() == len(articles)  # one row per object viewed
    for article in articles:
        names, hours = own_truth(expected, f"/articles/{article.slug}/")
        row = ObjectAudience.objects.get(date=DAY, content_type=ct, object_id=str(article.pk))
        for dimension, truth in names.items():
            assert row.name_views(dimension) == dict(truth), (article.slug, dimension)
        assert row.hour_views() == [hours[hour] for hour in range(24)]
        assert row.views == sum(hours.values())
        assert row.name_views("version") == {}  # the site's rows alone keep versions


def test_an_objects_row_keeps_its_top_names_and_the_rest_as_other(log, articles, monkeypatch):
    monkeypatch.setattr("admin_hits.nightly.audience_rows.OBJECT_NAMES", 2)
    pattern, expected = log
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        parse("--date", DAY.isoformat())
    article = articles[3]
    names, _ = own_truth(expected, f"/articles/{article.slug}/")
    row = ObjectAudience.objects.get(object_id=str(article.pk))
    for dimension, truth in names.items():
        ranked = sorted(truth.items(), key=lambda item: (-item[1], item[0]))
        kept = Counter(dict(ranked[:2]))
        kept["Other"] += sum(n for _, n in ranked[2:])
        assert row.name_views(dimension) == {k: n for k, n in kept.items() if n}, dimension


def test_ai_crawlers_per_object_and_their_share_of_bot_views(log, articles):
    pattern, expected = log
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        parse("--date", DAY.isoformat())
    site = dict(AICrawlerHits.objects.filter(content_type=None).values_list("bot", "views"))
    per_bot = Counter()
    for (bot, _), n in expected["ai"].items():
        per_bot[bot] += n
    assert site == dict(per_bot) and set(site) == {"GPTBot", "ClaudeBot"}
    article = articles[2]
    own = {
        bot: n for (bot, path), n in expected["ai"].items() if path == f"/articles/{article.slug}/"
    }
    rows = AICrawlerHits.objects.filter(object_id=str(article.pk))
    assert dict(rows.values_list("bot", "views")) == own
    # Googlebot and the robots.txt reader are bots too, but no AI crawlers.
    assert DayTotals.objects.get(date=DAY).bot_views > sum(site.values())


def test_referrer_spam_is_no_referrer_and_counts_as_bot_views(tmp_path, articles):
    from admin_hits.models import BotHits, ReferrerHits

    pattern = str(tmp_path / "%Y-%m-%d.log")
    path = f"/articles/{articles[0].slug}/"
    lines = [combined(path, referrer="http://semalt.com/") for _ in range(4)]
    lines += [combined(path, referrer="https://www.spam.example/") for _ in range(2)]
    lines += [combined(path, referrer="https://news.example/a")]
    write_log(Path(DAY.strftime(pattern)), lines)
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern,
                           ADMIN_HITS_REFERRER_SPAM=["spam.example"]):  # fmt: skip
        (day,) = parse("--date", DAY.isoformat())["days"]
    assert day["views"] == 1
    assert list(ReferrerHits.objects.values_list("host", flat=True)) == ["news.example"]
    assert BotHits.objects.get(bot="(referrer spam)").hits == 6
    assert DayTotals.objects.get(date=DAY).bot_views == 6
